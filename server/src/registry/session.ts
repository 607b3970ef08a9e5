// State shared by the resolutions of one client: keep-alive agents, tokens, challenges, credentials, counters.
import http from 'node:http';
import https from 'node:https';
import { type Challenge } from './challenge';
import { type CredentialLookupResult } from './docker-config';
import { Redactor } from './redact';
import { createStats, type RequestStats } from './types';

interface CachedToken {
  token: string;
  expiresAt: number;
}

/**
 * Holds what may be reused between resolutions against the same registries: connections, bearer
 * tokens (per realm, service, scope and identity, until `expires_in`), the last challenge of each
 * host (so later requests authenticate at once), the scheme that worked for plain-HTTP-allowed
 * hosts, and the credentials looked up per host. Nothing here is persisted.
 */
export class RegistrySession {
  /** Counters of every request made through this session. */
  readonly stats: RequestStats = createStats();
  /** Every secret seen by this session (credentials, tokens), scrubbed from log lines and messages. */
  readonly redactor = new Redactor();
  /** Token requests in flight, so concurrent resolutions share one. */
  readonly pendingTokens = new Map<string, Promise<string>>();
  /** Last challenge per registry host. */
  readonly challenges = new Map<string, Challenge>();
  /** Scheme that answered per host (`http:` only for loopback or insecure hosts). */
  readonly schemes = new Map<string, 'https:' | 'http:'>();
  /** Credential look-ups per host and configuration, shared by concurrent resolutions. */
  readonly credentials = new Map<string, Promise<CredentialLookupResult>>();
  readonly httpAgent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  readonly httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 8 });
  private readonly tokens = new Map<string, CachedToken>();

  constructor(private readonly now: () => number = Date.now) {}

  /** A cached bearer token still valid for at least five seconds. */
  token(key: string): string | undefined {
    const t = this.tokens.get(key);
    if (!t) return undefined;
    if (t.expiresAt - 5000 <= this.now()) {
      this.tokens.delete(key);
      return undefined;
    }
    return t.token;
  }

  /** Remember a bearer token for `expiresInSeconds` (60 when the token service gave none). */
  storeToken(key: string, token: string, expiresInSeconds: number | undefined): void {
    const seconds = expiresInSeconds && expiresInSeconds > 0 ? expiresInSeconds : 60;
    this.tokens.set(key, { token, expiresAt: this.now() + seconds * 1000 });
  }

  /** Close idle keep-alive connections. The session stays usable. */
  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}
