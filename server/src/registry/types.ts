// Shared types of the registry client: resolution results, options and request counters.
import type { RegistrySession } from './session';

/** Why a tag could not be resolved to a digest. */
export type FailureReason =
  | 'not-found'
  | 'unauthorized'
  | 'rate-limited'
  | 'timeout'
  | 'unreachable'
  | 'bad-digest'
  | 'insecure-refused'
  | 'invalid-reference'
  | 'network-disabled'
  | 'error';

/** A tag resolved to the digest of its manifest (the index digest for a multi-platform tag). */
export interface ResolvedDigest {
  ok: true;
  /** `sha256:<64 lowercase hex>`. */
  digest: string;
  /** Media type of the manifest or index the tag points at. */
  mediaType: string;
  /** For an index, when `platforms` was requested: `os/arch[/variant]` of its manifests (attestations left out). */
  platforms?: string[];
  /** Registry as written in the reference (`docker.io`, `ghcr.io`, `127.0.0.1:5000`). */
  registry: string;
  /** Repository path (`library/node`). */
  repository: string;
  /** The tag that was resolved (`latest` when the reference had none). */
  tag: string;
}

/** A failed resolution; `message` names the registry and never contains a secret. */
export interface ResolutionFailure {
  ok: false;
  registry: string;
  reason: FailureReason;
  message: string;
  /** For `rate-limited`: seconds the registry asked us to wait (from `Retry-After`). */
  retryAfterSeconds?: number;
}

export type Resolution = ResolvedDigest | ResolutionFailure;

/** Counters of the HTTP requests a client made; tests and status lines read them. */
export interface RequestStats {
  /** Every HTTP request attempted, failed connection attempts (such as the TLS probe of a plain-HTTP loopback registry) included. */
  total: number;
  /** Manifest HEAD requests that got an HTTP response. */
  manifestHead: number;
  /** Manifest GET requests that got an HTTP response. */
  manifestGet: number;
  /** Token requests that got an HTTP response. */
  token: number;
  /** Requests that ended without an HTTP response (refused, reset, TLS failure, timeout). */
  failed: number;
}

/** Fresh zeroed counters. */
export function createStats(): RequestStats {
  return { total: 0, manifestHead: 0, manifestGet: 0, token: 0, failed: 0 };
}

/** Options of {@link resolveDigest}. */
export interface ResolveOptions {
  /** Total time budget of one resolution in milliseconds (every request, token and helper included). Default 8000. */
  timeoutMs?: number;
  /** Return `network-disabled` at once, without any request. */
  networkDisabled?: boolean;
  /** Fetch the index body (one GET) to list its platforms. Without it only HEAD is used when possible. */
  platforms?: boolean;
  /** Hosts (`host` or `host:port`) where plain HTTP and unverified TLS are allowed, as Docker's `insecure-registries`. Loopback hosts always are. */
  insecureRegistries?: string[];
  /** Path of the Docker `config.json`; default `$DOCKER_CONFIG/config.json` or `~/.docker/config.json`. */
  dockerConfigPath?: string;
  /** Run `docker-credential-<name>` helpers named by `credsStore`/`credHelpers`. Default true; untrusted workspaces set false. */
  allowCredentialHelpers?: boolean;
  /** Extra trusted CA certificates (PEM) for HTTPS registries and token realms. */
  ca?: string | string[];
  /** Environment for proxies (`HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY`), `DOCKER_CONFIG`, `HOME` and helper `PATH`. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Receives one redacted line per request and decision; never a secret. */
  log?: (line: string) => void;
  /** Shared connections, token cache, credentials and counters; a fresh one per call when absent. */
  session?: RegistrySession;
}
