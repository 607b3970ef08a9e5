// Downloads a URL once and hashes what it serves (SHA-256), for `ADD --checksum`: https only (plain
// http to loopback hosts), through HTTPS_PROXY as Docker would, at most 3 redirects, an idle and a
// total time limit, a size cap, streamed.
import { createHash } from 'crypto';
import * as http from 'http';
import * as https from 'https';
import * as net from 'net';
import * as tls from 'tls';
import { isLoopback, proxyFor } from '../registry/proxy';
import { safeUrl } from '../registry/redact';

export interface DownloadOptions {
  /** No byte for this long ends the download (default 30 s). */
  idleTimeoutMs?: number;
  /** The whole download, redirects included (default 10 min). */
  totalTimeoutMs?: number;
  /** Largest body hashed (default 200 MiB): a larger one is refused. */
  maxBytes?: number;
  signal?: AbortSignal;
  /** One line per request (URLs without credentials). */
  log?: (line: string) => void;
  /** Where HTTPS_PROXY / NO_PROXY are read (default: this process's environment). */
  env?: NodeJS.ProcessEnv;
}

/** The checksum of one download, or why there is none. */
export type DownloadResult =
  | { ok: true; checksum: string; bytes: number; ms: number; finalUrl: string }
  | { ok: false; message: string };

export const MAX_REDIRECTS = 3;
export const DEFAULT_MAX_BYTES = 200 * 1024 * 1024;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

class DownloadError extends Error {}

/** Whether `url` may be fetched: https anywhere, http only on loopback hosts. */
export function downloadAllowed(url: URL): string | undefined {
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && isLoopback(url.hostname)) return undefined;
  if (url.protocol === 'http:') return `refusing plain HTTP to ${url.host}: only https, or http to this machine, is downloaded`;
  return `refusing a ${url.protocol} URL`;
}

function mib(n: number): string {
  return `${(n / 1024 / 1024).toFixed(0)} MiB`;
}

/** A TLS connection to `url`'s host through the proxy's CONNECT tunnel. */
function tunnel(proxy: URL, url: URL, signal: AbortSignal, idleMs: number): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const authority = `${url.hostname}:${url.port || 443}`;
    const auth = proxy.username ? { 'proxy-authorization': `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}` } : {};
    const lib = proxy.protocol === 'https:' ? https : http;
    const port = Number(proxy.port || (proxy.protocol === 'https:' ? 443 : 80));
    const req = lib.request({ hostname: proxy.hostname.replace(/^\[|\]$/g, ''), port, method: 'CONNECT', path: authority, headers: { host: authority, ...auth }, agent: false, signal });
    req.setTimeout(idleMs, () => req.destroy(new DownloadError(`no answer from the proxy ${proxy.host} for ${Math.round(idleMs / 1000)} s`)));
    req.on('connect', (res: http.IncomingMessage, socket: net.Socket) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        return reject(new DownloadError(`the proxy ${proxy.host} refused CONNECT ${authority} with HTTP ${res.statusCode}`));
      }
      const host = url.hostname.replace(/^\[|\]$/g, '');
      const secure = tls.connect({ socket, servername: net.isIP(host) ? undefined : host });
      secure.once('secureConnect', () => resolve(secure));
      secure.once('error', reject);
    });
    req.on('response', (res: http.IncomingMessage) => {
      res.resume();
      reject(new DownloadError(`the proxy ${proxy.host} refused CONNECT ${authority} with HTTP ${res.statusCode}`));
    });
    req.on('error', reject);
    req.end();
  });
}

/** GET `url` (one hop): resolves with the redirect target, or with the hash when the body was read. */
async function hop(url: URL, o: Required<Pick<DownloadOptions, 'idleTimeoutMs' | 'maxBytes'>>, signal: AbortSignal, env: NodeJS.ProcessEnv): Promise<{ redirect: URL } | { checksum: string; bytes: number }> {
  const proxy = url.protocol === 'https:' ? proxyFor(url, env) : undefined;
  const socket = proxy ? await tunnel(proxy, url, signal, o.idleTimeoutMs) : undefined;
  return new Promise((resolve, reject) => {
    const lib = url.protocol === 'https:' ? https : http;
    // `identity`: the bytes hashed are the bytes BuildKit receives (it asks for no compression either).
    const headers = { 'user-agent': 'known-good', 'accept-encoding': 'identity' };
    // With a tunnel, no agent: Node only uses `createConnection` when the request has none.
    const options: https.RequestOptions = socket ? { headers, signal, createConnection: () => socket } : { headers, agent: false, signal };
    const req = lib.get(url, options, (res) => {
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (REDIRECTS.has(status) && location) {
        res.resume();
        return resolve({ redirect: new URL(location, url) });
      }
      if (status !== 200) {
        res.resume();
        return reject(new DownloadError(`${url.host} answered HTTP ${status}`));
      }
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > o.maxBytes) {
        res.destroy();
        return reject(new DownloadError(`the file is ${mib(declared)}, more than the ${mib(o.maxBytes)} Known Good downloads to hash`));
      }
      const hash = createHash('sha256');
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > o.maxBytes) return res.destroy(new DownloadError(`the file is larger than the ${mib(o.maxBytes)} Known Good downloads to hash`));
        hash.update(chunk);
      });
      res.on('end', () => {
        if (!res.complete) return reject(new DownloadError('the connection closed before the whole file arrived'));
        resolve({ checksum: `sha256:${hash.digest('hex')}`, bytes });
      });
      res.on('error', reject);
    });
    req.setTimeout(o.idleTimeoutMs, () => req.destroy(new DownloadError(`no data from ${url.host} for ${Math.round(o.idleTimeoutMs / 1000)} s`)));
    req.on('error', reject);
  });
}

/** Download `url` once (following ≤ 3 redirects) and return `sha256:<hex>` of its body. Never throws. */
export async function sha256OfUrl(raw: string, options: DownloadOptions = {}): Promise<DownloadResult> {
  const started = performance.now();
  const o = { idleTimeoutMs: options.idleTimeoutMs ?? 30_000, maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES };
  const total = new AbortController();
  const timer = setTimeout(() => total.abort(new DownloadError(`the download took longer than ${Math.round((options.totalTimeoutMs ?? 600_000) / 1000)} s`)), options.totalTimeoutMs ?? 600_000);
  // The caller's cancellation ends the download too (without AbortSignal.any: older Node versions lack it).
  const onCancel = () => total.abort(new DownloadError('cancelled'));
  if (options.signal?.aborted) onCancel();
  options.signal?.addEventListener('abort', onCancel);
  const signal = total.signal;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onCancel);
    return { ok: false, message: `\`${raw}\` is not a URL` };
  }
  try {
    for (let n = 0; ; n++) {
      const refused = downloadAllowed(url);
      if (refused) throw new DownloadError(refused);
      const t = performance.now();
      const r = await hop(url, o, signal, options.env ?? process.env);
      options.log?.(`GET ${safeUrl(url)} -> ${'redirect' in r ? `redirect to ${safeUrl(r.redirect)}` : `${r.bytes} bytes`} (${Math.round(performance.now() - t)} ms)`);
      if ('checksum' in r) return { ok: true, checksum: r.checksum, bytes: r.bytes, ms: Math.round(performance.now() - started), finalUrl: url.href };
      if (n >= MAX_REDIRECTS) throw new DownloadError(`more than ${MAX_REDIRECTS} redirects`);
      url = r.redirect;
    }
  } catch (e) {
    const reason = signal.aborted && signal.reason instanceof Error ? signal.reason : e;
    const message = reason instanceof DownloadError ? reason.message : reason instanceof Error ? reason.message : String(reason);
    options.log?.(`GET ${safeUrl(url)} failed: ${message}`);
    return { ok: false, message: `could not download ${safeUrl(url)}: ${message}` };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onCancel);
  }
}
