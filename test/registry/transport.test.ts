// Transport behaviour against a real registry behind loopback stand-ins: 429, digest headers, redirects, plain HTTP, proxies.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { RegistrySession, resolveDigest, type ResolveOptions } from '../../server/src/registry';
import { timed } from './helpers/net';
import { buildImage, buildIndex, pushViaApi, skopeoCopy, writeLayout } from './helpers/oci';
import { type ProxyHooks, startForwardProxy, startReverseProxy } from './helpers/proxies';
import { type RegistryHandle, startRegistry } from './helpers/registry';
import { skipUnlessTools } from './helpers/tools';
import { selfSignedCert } from './helpers/tls';

const image = buildImage('transport image');
const amd = buildImage('t amd64');
const arm = buildImage('t arm64', { os: 'linux', architecture: 'arm64' });
const index = buildIndex([amd, arm]);
const WRONG = `sha256:${createHash('sha256').update('something else').digest('hex')}`;

let reg: RegistryHandle;
let work: string;
const base = (): ResolveOptions => ({ dockerConfigPath: path.join(work, 'none.json'), env: {} });
const isManifest = (url: string | undefined): boolean => /\/manifests\//.test(url ?? '');

/** Run one resolution through a reverse proxy with `hooks`; returns the result, the proxy's record and the session. */
async function through(hooks: ProxyHooks, ref = 'demo/app:1.0', opts: ResolveOptions = {}) {
  const proxy = await startReverseProxy(reg.host, hooks);
  const session = new RegistrySession();
  const lines: string[] = [];
  try {
    const { value: result, ms } = await timed(() => resolveDigest(`${proxy.host}/${ref}`, { ...base(), session, log: (l) => lines.push(l), ...opts }));
    return { result, ms, seen: proxy.seen, session, lines, proxy };
  } finally {
    await proxy.stop();
    session.close();
  }
}

describe('transport against a real registry', { skip: skipUnlessTools() }, () => {
  before(async () => {
    work = mkdtempSync(path.join(os.tmpdir(), 'kg-transport-'));
    reg = await startRegistry();
    await pushViaApi(reg.url, 'demo/app', '1.0', [image], image.manifest);
    await pushViaApi(reg.url, 'demo/app', 'multi', [amd, arm], index);
  });
  after(async () => {
    await reg.stop();
    rmSync(work, { recursive: true, force: true });
  });

  describe('429 Too Many Requests', () => {
    /** Answer the first `times` manifest requests with 429 and `retryAfter`. */
    const limited = (times: number, retryAfter?: string): ProxyHooks => {
      let n = 0;
      return {
        intercept: (req, res) => {
          if (!isManifest(req.url) || n++ >= times) return false;
          res.writeHead(429, retryAfter === undefined ? {} : { 'retry-after': retryAfter }).end('{"errors":[{"code":"TOOMANYREQUESTS"}]}');
          return true;
        },
      };
    };

    test('Retry-After: 1 → one retry after a second, then resolved', async () => {
      const { result, ms, seen } = await through(limited(1, '1'));
      assert.equal(result.ok && result.digest, image.manifest.digest);
      assert.equal(seen.filter((s) => isManifest(s.url)).length, 2);
      assert.ok(ms >= 1000 && ms < 2000, `took ${ms} ms`);
      console.log(`# 429 with Retry-After 1: resolved after one retry in ${ms} ms`);
    });

    const cases: [string, ProxyHooks, number | undefined, number][] = [
      ['Retry-After: 120 (seconds) → reported, no retry', limited(1, '120'), 120, 1],
      ['Retry-After twice 1 s → one retry, then reported', limited(2, '1'), 1, 2],
      ['no Retry-After → reported without a wait', limited(1), undefined, 1],
    ];
    for (const [name, hooks, wait, requests] of cases) {
      test(name, async () => {
        const { result, seen } = await through(hooks);
        assert.equal(!result.ok && result.reason, 'rate-limited');
        assert.equal(!result.ok && result.retryAfterSeconds, wait);
        assert.match(!result.ok ? result.message : '', new RegExp(`rate-limited the request for demo/app:1\\.0 \\(HTTP 429${wait === undefined ? '' : `; retry after ${wait} s`}\\)`));
        assert.equal(seen.filter((s) => isManifest(s.url)).length, requests);
      });
    }

    test('Retry-After as an HTTP date', async () => {
      const { result } = await through(limited(1, new Date(Date.now() + 90_000).toUTCString()));
      assert.equal(!result.ok && result.reason, 'rate-limited');
      const wait = !result.ok ? result.retryAfterSeconds ?? -1 : -1;
      assert.ok(wait >= 88 && wait <= 90, `retryAfterSeconds ${wait}`);
    });
  });

  describe('Docker-Content-Digest handling', () => {
    const edit = (fn: (method: string, headers: Record<string, unknown>) => void): ProxyHooks => ({
      responseHeaders: (headers, req) => {
        if (isManifest(req.url)) fn(req.method ?? '', headers as Record<string, unknown>);
      },
    });

    test('header dropped everywhere → GET and hash the exact bytes', async () => {
      const { result, session } = await through(edit((_m, h) => delete h['docker-content-digest']));
      assert.equal(result.ok && result.digest, image.manifest.digest);
      assert.equal(session.stats.manifestHead, 1);
      assert.equal(session.stats.manifestGet, 1);
    });

    test('header dropped on HEAD and wrong on GET → bad-digest', async () => {
      const { result } = await through(
        edit((m, h) => {
          if (m === 'HEAD') delete h['docker-content-digest'];
          else h['docker-content-digest'] = WRONG;
        }),
      );
      assert.equal(!result.ok && result.reason, 'bad-digest');
      assert.match(!result.ok ? result.message : '', new RegExp(`Docker-Content-Digest ${WRONG} does not match the manifest bytes \\(${image.manifest.digest}\\) for demo/app:1\\.0`));
    });

    test('malformed header on HEAD → GET; the verified bytes decide', async () => {
      const { result, session } = await through(edit((m, h) => m === 'HEAD' && (h['docker-content-digest'] = 'sha256:NOT-HEX')));
      assert.equal(result.ok && result.digest, image.manifest.digest);
      assert.equal(session.stats.manifestGet, 1);
    });

    test('malformed header on the GET as well → bad-digest', async () => {
      const { result } = await through(edit((_m, h) => (h['docker-content-digest'] = `sha256:${'A'.repeat(64)}`)));
      assert.equal(!result.ok && result.reason, 'bad-digest');
      assert.match(!result.ok ? result.message : '', /malformed Docker-Content-Digest/);
    });

    test('platforms: index bytes that do not hash to the HEAD digest → bad-digest', async () => {
      const other = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [] }));
      const { result } = await through(
        {
          intercept: (req, res) => {
            if (req.method !== 'GET' || !isManifest(req.url)) return false;
            res.writeHead(200, { 'content-type': 'application/vnd.oci.image.index.v1+json', 'docker-content-digest': index.digest }).end(other);
            return true;
          },
        },
        'demo/app:multi',
        { platforms: true },
      );
      assert.equal(!result.ok && result.reason, 'bad-digest');
    });
  });

  describe('redirects', () => {
    test('a redirect to another host never carries Authorization', async () => {
      const basicReg = await startRegistry({ htpasswd: { bob: 'pw-bob-4411' } });
      const stops: (() => Promise<void>)[] = [basicReg.stop];
      try {
        const authHeader = `Basic ${Buffer.from('bob:pw-bob-4411').toString('base64')}`;
        await pushViaApi(basicReg.url, 'demo/app', '1.0', [image], image.manifest, { authorization: authHeader });
        // The other host stands for blob storage: it reaches the registry with its own authority.
        const storage = await startReverseProxy(basicReg.host, { bind: '127.0.0.2', requestHeaders: (h) => void (h.authorization = authHeader) });
        stops.push(storage.stop);
        const front = await startReverseProxy(basicReg.host, {
          intercept: (req, res) => {
            if (!isManifest(req.url) || !req.headers.authorization) return false;
            res.writeHead(307, { location: `http://${storage.host}${req.url}` }).end();
            return true;
          },
        });
        stops.push(front.stop);
        const session = new RegistrySession();
        const lines: string[] = [];
        const opts: ResolveOptions = { ...base(), session, log: (l) => lines.push(l), dockerConfigPath: writeConfig({ auths: { [front.host]: { username: 'bob', password: 'pw-bob-4411' } } }) };
        const result = await resolveDigest(`${front.host}/demo/app:1.0`, opts);
        session.close();
        assert.equal(result.ok && result.digest, image.manifest.digest);
        assert.ok(front.seen.some((s) => s.headers.authorization === authHeader), 'credentials went to the registry host');
        assert.ok(storage.seen.length >= 1);
        assert.deepEqual(storage.seen.map((s) => s.headers.authorization), storage.seen.map(() => undefined));
        assert.ok(lines.some((l) => l.includes('Authorization dropped (other origin)')));
        console.log(`# redirect: ${front.seen.length} request(s) at the registry host, ${storage.seen.length} at the other host (127.0.0.2), none with Authorization there`);
      } finally {
        for (const stop of stops.reverse()) await stop();
      }
    });

    test('more than 3 redirects → error after 4 requests', async () => {
      const { result, seen } = await through({
        intercept: (req, res) => (res.writeHead(302, { location: `${req.url}x` }).end(), true),
      });
      assert.equal(!result.ok && result.reason, 'error');
      assert.match(!result.ok ? result.message : '', /more than 3 redirects/);
      assert.equal(seen.length, 4);
    });

    test('redirect to plain HTTP on a non-loopback host → insecure-refused, no request there', async () => {
      const { result, session } = await through({
        intercept: (req, res) => (res.writeHead(307, { location: 'http://registry.example.invalid:5000/v2/x' }).end(), true),
      });
      assert.equal(!result.ok && result.reason, 'insecure-refused');
      assert.match(!result.ok ? result.message : '', /refusing plain HTTP to registry\.example\.invalid:5000/);
      assert.equal(session.stats.total, 2, 'the TLS probe and the HEAD to the loopback registry, nothing more');
    });

    test('token realm on plain HTTP at a non-loopback host → insecure-refused, no token request', async () => {
      const { result, session } = await through({
        intercept: (req, res) => (res.writeHead(401, { 'www-authenticate': 'Bearer realm="http://registry.example.invalid/token",service="x"' }).end(), true),
      });
      assert.equal(!result.ok && result.reason, 'insecure-refused');
      assert.match(!result.ok ? result.message : '', /refusing plain HTTP to registry\.example\.invalid/);
      assert.equal(session.stats.token, 0);
      assert.equal(session.stats.total, 2);
    });
  });

  describe('proxies (HTTPS_PROXY / HTTP_PROXY / NO_PROXY)', () => {
    const name = (): string => `registry.test:${reg.port}`;
    const proxied = async (env: Record<string, string>, opts: ResolveOptions = {}) => {
      const proxy = await startForwardProxy({ 'registry.test': '127.0.0.1' });
      const full = { ...env };
      for (const k of Object.keys(full)) full[k] = full[k].replace('PROXY', proxy.url.slice('http://'.length));
      const lines: string[] = [];
      const { value: result, ms } = await timed(() => resolveDigest(`${name()}/demo/app:1.0`, { ...base(), env: full, log: (l) => lines.push(l), ...opts }));
      await proxy.stop();
      return { result, seen: proxy.seen, lines, ms };
    };

    test('plain-HTTP registry by name through the proxy, listed in insecureRegistries → resolved', async () => {
      const { result, seen } = await proxied({ HTTPS_PROXY: 'http://PROXY', HTTP_PROXY: 'http://PROXY' }, { insecureRegistries: [name()] });
      assert.equal(result.ok && result.digest, image.manifest.digest);
      assert.deepEqual(seen, [`CONNECT ${name()}`, `HEAD http://${name()}/v2/demo/app/manifests/1.0`]);
    });

    test('same registry not listed in insecureRegistries → insecure-refused after the TLS attempt only', async () => {
      const { result, seen } = await proxied({ https_proxy: 'PROXY', http_proxy: 'PROXY' });
      assert.equal(!result.ok && result.reason, 'insecure-refused');
      assert.match(!result.ok ? result.message : '', /answered HTTPS in plain HTTP/);
      assert.deepEqual(seen, [`CONNECT ${name()}`]);
    });

    for (const noProxy of ['registry.test', '.test', '*.test', `registry.test:${0}`, '*']) {
      test(`NO_PROXY=${noProxy.replace(':0', ':<port>')} bypasses the proxy`, async () => {
        const { result, seen } = await proxied({ HTTPS_PROXY: 'http://PROXY', HTTP_PROXY: 'http://PROXY', NO_PROXY: noProxy.replace(':0', `:${reg.port}`) }, { insecureRegistries: [name()] });
        assert.deepEqual(seen, []);
        // Without the proxy the name cannot be resolved on this machine.
        assert.equal(!result.ok && result.reason, 'unreachable');
        assert.match(!result.ok ? result.message : '', /cannot reach registry\.test:\d+: (ENOTFOUND|EAI_AGAIN)/);
      });
    }

    test('NO_PROXY for another port does not bypass', async () => {
      const { result, seen } = await proxied({ HTTPS_PROXY: 'http://PROXY', HTTP_PROXY: 'http://PROXY', NO_PROXY: 'registry.test:1' }, { insecureRegistries: [name()] });
      assert.equal(result.ok, true);
      assert.equal(seen.length, 2);
    });

    test('loopback registries are never proxied (Go/Docker rule)', async () => {
      const proxy = await startForwardProxy({});
      const result = await resolveDigest(`${reg.host}/demo/app:1.0`, { ...base(), env: { HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url } });
      await proxy.stop();
      assert.equal(result.ok && result.digest, image.manifest.digest);
      assert.deepEqual(proxy.seen, []);
    });

    test('proxy credentials go to the proxy and never into a log line', async () => {
      const { result, seen, lines } = await proxied({ HTTPS_PROXY: 'http://puser:proxy-pw-8812@PROXY', HTTP_PROXY: 'http://puser:proxy-pw-8812@PROXY' }, { insecureRegistries: [name()] });
      assert.equal(result.ok && result.digest, image.manifest.digest);
      assert.deepEqual(seen, [`CONNECT ${name()} [proxy-auth]`, `HEAD http://${name()}/v2/demo/app/manifests/1.0 [proxy-auth]`]);
      assert.ok(lines.length >= 2);
      for (const l of lines) assert.ok(!l.includes('proxy-pw-8812') && !l.includes(Buffer.from('puser:proxy-pw-8812').toString('base64')), l);
    });

    test('HTTPS registry through a CONNECT tunnel, certificate checked against the given CA', async () => {
      const cert = selfSignedCert(work, 'registry', 'registry.test', ['DNS:registry.test', 'IP:127.0.0.1']);
      const tlsReg = await startRegistry({ tls: cert });
      try {
        writeLayout(path.join(work, 'tls-layout'), '1.0', image.manifest, [image.layer, image.config]);
        await skopeoCopy(path.join(work, 'tls-layout'), '1.0', `${tlsReg.host}/demo/app:1.0`);
        const proxy = await startForwardProxy({ 'registry.test': '127.0.0.1' });
        const ref = `registry.test:${tlsReg.port}/demo/app:1.0`;
        const env = { HTTPS_PROXY: proxy.url };
        const trusted = await resolveDigest(ref, { ...base(), env, ca: cert.certPem });
        const untrusted = await resolveDigest(ref, { ...base(), env });
        await proxy.stop();
        assert.equal(trusted.ok && trusted.digest, image.manifest.digest);
        assert.equal(!untrusted.ok && untrusted.reason, 'error');
        assert.match(!untrusted.ok ? untrusted.message : '', /TLS certificate of registry\.test:\d+ not trusted \(DEPTH_ZERO_SELF_SIGNED_CERT\)/);
        assert.deepEqual(proxy.seen, [`CONNECT registry.test:${tlsReg.port}`, `CONNECT registry.test:${tlsReg.port}`]);
      } finally {
        await tlsReg.stop();
      }
    });
  });

  function writeConfig(config: object): string {
    const file = path.join(mkdtempSync(path.join(work, 'cfg-')), 'config.json');
    writeFileSync(file, JSON.stringify(config));
    return file;
  }
});
