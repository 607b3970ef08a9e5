// Proxy choice from HTTPS_PROXY / HTTP_PROXY / NO_PROXY, and which hosts may use plain HTTP.
import net from 'node:net';

/** Host name without brackets or port, lower case. */
function bareHost(host: string): string {
  return host.replace(/^\[|\]$/g, '').toLowerCase();
}

/** Whether a host name (no port) is loopback: `localhost`, 127.0.0.0/8 or ::1. */
export function isLoopback(hostname: string): boolean {
  const h = bareHost(hostname);
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (net.isIPv4(h)) return h.startsWith('127.');
  if (net.isIPv6(h)) return h === '::1' || h === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(h);
  return false;
}

/**
 * Docker's rule for plain HTTP (and unverified TLS): loopback hosts, and hosts listed in
 * `insecureRegistries` (as `host` or `host:port`).
 */
export function plainHttpAllowed(url: URL, insecureRegistries: readonly string[]): boolean {
  if (isLoopback(url.hostname)) return true;
  const host = url.host.toLowerCase();
  const hostname = bareHost(url.hostname);
  return insecureRegistries.some((entry) => {
    const e = entry.replace(/^https?:\/\//i, '').replace(/\/.*$/, '').toLowerCase();
    return e === host || e === hostname;
  });
}

function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  return env[name] ?? env[name.toLowerCase()];
}

/** Whether `NO_PROXY` (comma- or space-separated `host`, `.domain`, `*.domain`, `host:port`, `*`) excludes the URL. */
export function noProxyMatches(url: URL, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const hostname = bareHost(url.hostname);
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return noProxy
    .split(/[\s,]+/)
    .filter(Boolean)
    .some((raw) => {
      if (raw === '*') return true;
      let entry = raw.toLowerCase();
      let entryPort: string | undefined;
      const m = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(entry);
      if (m) [entry, entryPort] = [m[1], m[2]];
      entry = bareHost(entry).replace(/^\*?\./, '');
      if (entryPort && entryPort !== port) return false;
      return hostname === entry || hostname.endsWith(`.${entry}`);
    });
}

/**
 * The proxy for a request, as Go's `ProxyFromEnvironment` (what Docker uses) chooses it:
 * `HTTPS_PROXY` for https URLs, `HTTP_PROXY` for http URLs (either case), none for loopback hosts
 * or hosts matched by `NO_PROXY`. A proxy value without a scheme means `http://`.
 */
export function proxyFor(url: URL, env: NodeJS.ProcessEnv): URL | undefined {
  if (isLoopback(url.hostname)) return undefined;
  const value = envValue(env, url.protocol === 'https:' ? 'HTTPS_PROXY' : 'HTTP_PROXY');
  if (!value) return undefined;
  if (noProxyMatches(url, envValue(env, 'NO_PROXY'))) return undefined;
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`);
  } catch {
    return undefined;
  }
}
