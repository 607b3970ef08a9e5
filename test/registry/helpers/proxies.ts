// Loopback HTTP servers standing in front of the registry: a scriptable reverse proxy and a forward (CONNECT) proxy.
import http from 'node:http';
import net from 'node:net';
import { closeServer, listen } from './net';

export interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
}

export interface ReverseProxy {
  port: number;
  host: string;
  seen: Seen[];
  maxInFlight: number;
  stop: () => Promise<void>;
}

export interface ProxyHooks {
  /** Answer the request yourself (return true), or let it through. */
  intercept?: (req: http.IncomingMessage, res: http.ServerResponse, index: number) => boolean;
  /** Change request headers before forwarding. */
  requestHeaders?: (headers: http.OutgoingHttpHeaders, req: http.IncomingMessage) => void;
  /** Change the registry's response headers before they go back. */
  responseHeaders?: (headers: http.IncomingHttpHeaders, req: http.IncomingMessage) => void;
  /** Listen address; default 127.0.0.1. */
  bind?: string;
}

/** A reverse proxy to `target` (`host:port`) that records what it sees and lets hooks bend the traffic. */
export async function startReverseProxy(target: string, hooks: ProxyHooks = {}): Promise<ReverseProxy> {
  const [targetHost, targetPort] = target.split(':');
  const seen: Seen[] = [];
  let inFlight = 0;
  const state = { maxInFlight: 0 };
  const server = http.createServer((req, res) => {
    const index = seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers }) - 1;
    inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, inFlight);
    res.on('close', () => inFlight--);
    if (hooks.intercept?.(req, res, index)) return;
    const headers: http.OutgoingHttpHeaders = { ...req.headers, host: target };
    hooks.requestHeaders?.(headers, req);
    const upstream = http.request({ host: targetHost, port: Number(targetPort), method: req.method, path: req.url, headers, agent: false }, (up) => {
      const out = { ...up.headers };
      hooks.responseHeaders?.(out, req);
      res.writeHead(up.statusCode ?? 502, out);
      up.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  const bind = hooks.bind ?? '127.0.0.1';
  const port = await listen(server, bind);
  return {
    port,
    host: `${bind}:${port}`,
    seen,
    get maxInFlight() {
      return state.maxInFlight;
    },
    stop: () => closeServer(server),
  };
}

export interface ForwardProxy {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** `CONNECT host:port` and `METHOD absolute-url` lines seen, with ` [proxy-auth]` when Proxy-Authorization came. */
  seen: string[];
  stop: () => Promise<void>;
}

/**
 * An HTTP forward proxy: absolute-form requests and CONNECT tunnels. Keys of `hosts` (`name` or
 * `name:port`) map to loopback addresses (`ip` or `ip:port`): the proxy resolves names the client
 * cannot, so `registry.test:5000` or `registry-1.docker.io:443` reach a local registry.
 */
export async function startForwardProxy(hosts: Record<string, string>): Promise<ForwardProxy> {
  const seen: string[] = [];
  const sockets = new Set<net.Socket>();
  const map = (host: string, port: number): [string, number] => {
    const to = hosts[`${host}:${port}`] ?? hosts[host];
    if (!to) return [host, port];
    const [h, p] = to.split(':');
    return [h, p ? Number(p) : port];
  };
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}${req.headers['proxy-authorization'] ? ' [proxy-auth]' : ''}`);
    const url = new URL(req.url ?? '');
    const [host, port] = map(url.hostname, Number(url.port || 80));
    const upstream = http.request({ host, port, method: req.method, path: `${url.pathname}${url.search}`, headers: req.headers, agent: false }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    seen.push(`CONNECT ${req.url}${req.headers['proxy-authorization'] ? ' [proxy-auth]' : ''}`);
    const [name, rawPort] = (req.url ?? '').split(':');
    const [host, port] = map(name, Number(rawPort));
    const upstream = net.connect(port, host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
    }
    upstream.on('error', () => client.destroy());
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    stop: async () => {
      for (const s of sockets) s.destroy();
      await closeServer(server);
    },
  };
}
