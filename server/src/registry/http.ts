// One HTTP(S) request with a deadline, optional proxy (absolute-form for http, CONNECT tunnel for https), bounded body.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { proxyFor } from './proxy';
import { type RegistrySession } from './session';

/** A request that ended without an HTTP response. */
export class NetError extends Error {
  constructor(
    message: string,
    /** errno or OpenSSL code, `ETIMEDOUT` for our deadline, `EPROXY` for a refused CONNECT, `ETOOBIG` for an oversized body. */
    readonly code: string,
    readonly timedOut = false,
  ) {
    super(message);
  }

  /** The server answered a TLS handshake in plain HTTP. */
  get plainHttpReply(): boolean {
    return /wrong version number|ERR_SSL_WRONG_VERSION_NUMBER|packet length too long|http request/i.test(`${this.code} ${this.message}`);
  }

  /** Certificate verification failed. */
  get certificateProblem(): boolean {
    return /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME/i.test(this.code);
  }
}

/** What {@link send} needs. */
export interface SendInit {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
  maxBody: number;
  deadline: number;
  env: NodeJS.ProcessEnv;
  session: RegistrySession;
  ca?: string[];
  /** Skip certificate verification (Docker does for insecure registries). */
  insecureTls: boolean;
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  url: URL;
  method: string;
  /** Proxy host used, if any. */
  via?: string;
}

function bare(hostname: string): string {
  return hostname.replace(/^\[|\]$/g, '');
}

function portOf(url: URL): number {
  return Number(url.port || (url.protocol === 'https:' ? 443 : 80));
}

function proxyAuth(proxy: URL): Record<string, string> {
  if (!proxy.username) return {};
  const pair = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return { 'proxy-authorization': `Basic ${Buffer.from(pair).toString('base64')}` };
}

/** Send one request and read its body (at most `maxBody` bytes); rejects with {@link NetError}. */
export function send(init: SendInit): Promise<HttpResponse> {
  const { url, method } = init;
  const remaining = init.deadline - Date.now();
  if (remaining <= 0) return Promise.reject(new NetError('deadline passed', 'ETIMEDOUT', true));
  const proxy = proxyFor(url, init.env);
  const hostname = bare(url.hostname);
  const tlsOptions: tls.ConnectionOptions = {
    ca: init.ca?.length ? [...tls.rootCertificates, ...init.ca] : undefined,
    rejectUnauthorized: !init.insecureTls,
    servername: net.isIP(hostname) ? undefined : hostname,
  };
  return new Promise((resolve, reject) => {
    let done = false;
    const live: { destroy(error?: Error): void }[] = [];
    const finish = (error: Error | undefined, response?: HttpResponse): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (error) {
        for (const x of live) x.destroy();
        reject(error instanceof NetError ? error : new NetError(error.message, (error as NodeJS.ErrnoException).code ?? 'EUNKNOWN'));
      } else resolve(response!);
    };
    const timer = setTimeout(() => finish(new NetError(`no answer within ${remaining} ms`, 'ETIMEDOUT', true)), remaining);

    const onResponse = (res: http.IncomingMessage): void => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > init.maxBody) {
          res.destroy();
          finish(new NetError(`response larger than ${init.maxBody} bytes`, 'ETOOBIG'));
        } else chunks.push(chunk);
      });
      res.on('end', () => finish(undefined, { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), url, method, via: proxy?.host }));
      res.on('error', (e) => finish(e));
    };
    const issue = (req: http.ClientRequest): void => {
      live.push(req);
      req.on('error', (e) => finish(e));
      req.end(init.body);
    };
    const path = `${url.pathname}${url.search}`;

    if (!proxy) {
      const options = { hostname, port: portOf(url), path, method, headers: init.headers };
      if (url.protocol === 'https:') issue(https.request({ ...options, ...tlsOptions, agent: init.session.httpsAgent }, onResponse));
      else issue(http.request({ ...options, agent: init.session.httpAgent }, onResponse));
      return;
    }
    const proxyModule = proxy.protocol === 'https:' ? https : http;
    const proxyTarget = { hostname: bare(proxy.hostname), port: portOf(proxy), agent: false as const };
    if (url.protocol === 'http:') {
      // Absolute-form request through an HTTP proxy.
      const headers = { ...init.headers, host: url.host, ...proxyAuth(proxy) };
      issue(proxyModule.request({ ...proxyTarget, path: url.href, method, headers }, onResponse));
      return;
    }
    const authority = `${url.hostname}:${portOf(url)}`;
    const connect = proxyModule.request({ ...proxyTarget, method: 'CONNECT', path: authority, headers: { host: authority, ...proxyAuth(proxy) } });
    connect.on('response', (res: http.IncomingMessage) => {
      res.resume();
      finish(new NetError(`proxy ${proxy.host} refused CONNECT ${authority} with HTTP ${res.statusCode}`, 'EPROXY'));
    });
    connect.on('connect', (res: http.IncomingMessage, socket: net.Socket) => {
      live.push(socket);
      if (res.statusCode !== 200) {
        finish(new NetError(`proxy ${proxy.host} refused CONNECT ${authority} with HTTP ${res.statusCode}`, 'EPROXY'));
        return;
      }
      const secure = tls.connect({ ...tlsOptions, socket });
      live.push(secure);
      issue(http.request({ hostname, port: portOf(url), path, method, headers: { ...init.headers, host: url.host }, createConnection: () => secure }, onResponse));
    });
    issue(connect);
  });
}
