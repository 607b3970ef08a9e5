// Requests under the client's policy: HTTPS unless plain HTTP is allowed, at most 3 redirects, no credentials across origins.
import { type Ctx, RegistryError } from './context';
import { type HttpResponse, NetError, send } from './http';
import { plainHttpAllowed } from './proxy';
import { safeUrl } from './redact';

/** Which counter a request feeds. */
export type RequestKind = 'manifest' | 'token';

export interface RequestInit {
  method: 'GET' | 'HEAD' | 'POST';
  url: URL;
  headers: Record<string, string>;
  body?: string;
  /** Largest body read; default 4 MiB (the distribution spec's manifest limit). */
  maxBody?: number;
}

const MAX_REDIRECTS = 3;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Send a request and follow up to three redirects. Plain HTTP goes only to loopback hosts and
 * `insecureRegistries` (anything else is refused before a byte is sent); `Authorization` is dropped
 * whenever a redirect leaves the origin (scheme, host and port) it was meant for.
 */
export async function request(ctx: Ctx, kind: RequestKind, init: RequestInit): Promise<HttpResponse> {
  let { url, method, body } = init;
  const headers = { ...init.headers };
  for (let hop = 0; ; hop++) {
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new RegistryError('error', `${ctx.registry}: refusing to follow a ${url.protocol} URL`);
    }
    const insecure = plainHttpAllowed(url, ctx.insecureRegistries);
    if (url.protocol === 'http:' && !insecure) {
      throw new RegistryError(
        'insecure-refused',
        `refusing plain HTTP to ${url.host} (for ${ctx.registry}): only loopback hosts and hosts listed in insecureRegistries may be reached without TLS`,
      );
    }
    const stats = ctx.session.stats;
    stats.total++;
    const started = Date.now();
    const auth = headers.authorization ? ` [${headers.authorization.split(' ')[0]} auth]` : '';
    let res: HttpResponse;
    try {
      res = await send({ method, url, headers, body, maxBody: init.maxBody ?? 4 << 20, deadline: ctx.deadline, env: ctx.env, session: ctx.session, ca: ctx.ca, insecureTls: insecure });
    } catch (e) {
      stats.failed++;
      const code = e instanceof NetError ? e.code : 'error';
      ctx.log(`${method} ${safeUrl(url)}${auth} failed: ${code} (${Date.now() - started} ms)`);
      throw e;
    }
    if (kind === 'token') stats.token++;
    else if (method === 'HEAD') stats.manifestHead++;
    else stats.manifestGet++;
    ctx.log(`${method} ${safeUrl(url)}${auth}${res.via ? ` via proxy ${res.via}` : ''} -> ${res.status} (${Date.now() - started} ms)`);
    const location = res.headers.location;
    if (!REDIRECTS.has(res.status) || !location) return res;
    if (hop >= MAX_REDIRECTS) throw new RegistryError('error', `${ctx.registry}: more than ${MAX_REDIRECTS} redirects for ${safeUrl(init.url)}`);
    let next: URL;
    try {
      next = new URL(location, url);
    } catch {
      throw new RegistryError('error', `${ctx.registry}: invalid redirect location`);
    }
    if (next.origin !== url.origin && headers.authorization) {
      delete headers.authorization;
      ctx.log(`redirect to ${safeUrl(next)}: Authorization dropped (other origin)`);
    }
    if (res.status === 303 && method === 'POST') {
      method = 'GET';
      body = undefined;
    }
    url = next;
  }
}

/**
 * A request to the registry's own API host: HTTPS first; for loopback and insecure hosts, plain
 * HTTP when the TLS attempt fails (Docker's order). The scheme that worked is remembered per host.
 */
export async function registryRequest(ctx: Ctx, init: Omit<RequestInit, 'url'> & { path: string }): Promise<HttpResponse> {
  const known = ctx.session.schemes.get(ctx.host);
  const canPlain = plainHttpAllowed(new URL(`http://${ctx.host}`), ctx.insecureRegistries);
  const order: ('https:' | 'http:')[] = known ? [known] : canPlain ? ['https:', 'http:'] : ['https:'];
  for (let i = 0; ; i++) {
    const scheme = order[i];
    try {
      const res = await request(ctx, 'manifest', { ...init, url: new URL(`${scheme}//${ctx.host}${init.path}`) });
      ctx.session.schemes.set(ctx.host, scheme);
      return res;
    } catch (e) {
      const retry = e instanceof NetError && !e.timedOut && i + 1 < order.length;
      if (!retry) throw e;
      ctx.log(`${ctx.host}: HTTPS failed (${e.code}); trying plain HTTP (allowed for this host)`);
    }
  }
}
