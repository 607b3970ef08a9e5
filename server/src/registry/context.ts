// The state of one resolution (deadline, policy, logging) and the error type that maps to a failure reason.
import { dockerConfigPath } from './docker-config';
import { RegistrySession } from './session';
import { type FailureReason, type ResolveOptions } from './types';

/** A failure with a known reason; `message` is shown to users after redaction. */
export class RegistryError extends Error {
  constructor(
    readonly reason: FailureReason,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** Everything one resolution needs while it runs. */
export interface Ctx {
  /** Registry as written in the reference (`docker.io`). */
  registry: string;
  /** Host that serves its API (`registry-1.docker.io`). */
  host: string;
  repository: string;
  deadline: number;
  timeoutMs: number;
  env: NodeJS.ProcessEnv;
  session: RegistrySession;
  ownSession: boolean;
  ca?: string[];
  insecureRegistries: string[];
  configPath: string;
  allowHelpers: boolean;
  /** Redacted logging. */
  log: (line: string) => void;
  /** Where the credentials we sent came from, for messages; undefined while anonymous. */
  credentialSource?: string;
  /** Why no credentials were available (missing config, helper failed or disabled), for messages. */
  credentialProblem?: string;
}

/** Docker Hub's API host. */
export function apiHost(registry: string): string {
  return registry === 'docker.io' ? 'registry-1.docker.io' : registry;
}

/** `docker.io (registry-1.docker.io)` or just the host. */
export function registryLabel(ctx: Pick<Ctx, 'registry' | 'host'>): string {
  return ctx.registry === ctx.host ? ctx.registry : `${ctx.registry} (${ctx.host})`;
}

/** Build the context of one resolution from its options. */
export function createContext(registry: string, repository: string, options: ResolveOptions): Ctx {
  const env = options.env ?? process.env;
  const session = options.session ?? new RegistrySession();
  const timeoutMs = options.timeoutMs ?? 8000;
  for (const name of ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy']) {
    const value = env[name];
    if (!value) continue;
    try {
      session.redactor.add(decodeURIComponent(new URL(value.includes('://') ? value : `http://${value}`).password));
    } catch {
      // An unparsable proxy value is ignored by proxyFor as well.
    }
  }
  const sink = options.log;
  return {
    registry,
    host: apiHost(registry),
    repository,
    deadline: Date.now() + timeoutMs,
    timeoutMs,
    env,
    session,
    ownSession: !options.session,
    ca: options.ca === undefined ? undefined : Array.isArray(options.ca) ? options.ca : [options.ca],
    insecureRegistries: options.insecureRegistries ?? [],
    configPath: options.dockerConfigPath ?? dockerConfigPath(env),
    allowHelpers: options.allowCredentialHelpers ?? true,
    log: sink ? (line) => sink(session.redactor.clean(line)) : () => undefined,
  };
}
