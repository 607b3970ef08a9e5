// Authentication against real registries: htpasswd Basic, token auth, Docker config, credential helpers, no leaks.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { RegistrySession, resolveDigest, type Resolution, type ResolveOptions } from '../../server/src/registry';
import { timed } from './helpers/net';
import { buildImage, skopeoCopy, writeLayout } from './helpers/oci';
import { type RegistryHandle, startRegistry } from './helpers/registry';
import { skipUnlessTools } from './helpers/tools';
import { startTokenServer, type TokenServer } from './helpers/token-server';

const USER = 'alice';
const PASSWORD = 'pw-Alice-7f3e9c';
const HELPER_USER = 'helperuser';
const HELPER_SECRET = 's3cret-from-helper-91ab';
const REFRESH = 'refresh-token-5d2c8e';
const SECRETS = [PASSWORD, HELPER_SECRET, REFRESH, Buffer.from(`${USER}:${PASSWORD}`).toString('base64'), Buffer.from(`${HELPER_USER}:${HELPER_SECRET}`).toString('base64')];

const image = buildImage('private image');
let work: string;
let tokenServer: TokenServer | undefined;
/** Every log line and failure message produced in this file, checked for secrets at the end. */
const seen: string[] = [];
const log = (line: string): void => void seen.push(line);
const record = (r: Resolution): Resolution => {
  if (!r.ok) seen.push(r.message);
  return r;
};

/** A Docker config directory holding `config`; returns resolve options that use it. */
function dockerConfig(name: string, config: object, extra: ResolveOptions = {}): ResolveOptions {
  const dir = path.join(work, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
  return { env: { DOCKER_CONFIG: dir, PATH: process.env.PATH }, log, ...extra };
}

describe('authentication against real registries', { skip: skipUnlessTools() }, () => {
  before(() => {
    work = mkdtempSync(path.join(os.tmpdir(), 'kg-auth-'));
    writeLayout(path.join(work, 'layout'), '1.0', image.manifest, [image.layer, image.config]);
  });

  after(() => {
    rmSync(work, { recursive: true, force: true });
    // Bearer tokens issued in this file are secrets too.
    const secrets = [...SECRETS, ...(tokenServer?.issued ?? [])];
    assert.ok((tokenServer?.issued.length ?? 0) > 0);
    for (const line of seen) for (const s of secrets) assert.ok(!line.includes(s), `secret leaked in: ${line}`);
    console.log(`# checked ${seen.length} log lines and messages against ${secrets.length} secrets (${tokenServer?.issued.length} issued tokens): none leaked`);
  });

  describe('htpasswd Basic auth', () => {
    let reg: RegistryHandle;
    before(async () => {
      reg = await startRegistry({ htpasswd: { [USER]: PASSWORD, [HELPER_USER]: HELPER_SECRET } });
      await skopeoCopy(path.join(work, 'layout'), '1.0', `${reg.host}/demo/app:1.0`, { creds: `${USER}:${PASSWORD}` });
    });
    after(() => reg.stop());

    const auth = (u: string, p: string): string => Buffer.from(`${u}:${p}`).toString('base64');
    const configs: [string, () => object][] = [
      ['base64 auth', () => ({ auths: { [reg.host]: { auth: auth(USER, PASSWORD) } } })],
      ['username and password, key with scheme', () => ({ auths: { [`http://${reg.host}/v2/`]: { username: USER, password: PASSWORD } } })],
    ];
    for (const [name, config] of configs) {
      test(`Docker config (${name}) → resolved`, async () => {
        const session = new RegistrySession();
        const r = record(await resolveDigest(`${reg.host}/demo/app:1.0`, dockerConfig(name.replace(/\W+/g, '-'), config(), { session })));
        assert.equal(r.ok && r.digest, image.manifest.digest);
        const again = await resolveDigest(`${reg.host}/demo/app:1.0`, dockerConfig('again', config(), { session }));
        assert.equal(again.ok && again.digest, image.manifest.digest);
        // First resolution: 401 then authenticated HEAD; the second sends Basic at once.
        assert.equal(session.stats.manifestHead, 3);
      });
    }

    test('no credentials → unauthorized, saying it went anonymously', async () => {
      const r = record(await resolveDigest(`${reg.host}/demo/app:1.0`, dockerConfig('empty', {})));
      assert.equal(!r.ok && r.reason, 'unauthorized');
      assert.match(!r.ok ? r.message : '', new RegExp(`${reg.host.replace(/\./g, '\\.')} refused access to demo/app:1\\.0 anonymously \\(no credentials for ${reg.host.replace(/\./g, '\\.')} in .*empty/config\\.json\\)`));
    });

    test('wrong password → unauthorized, naming where the credentials came from', async () => {
      const r = record(await resolveDigest(`${reg.host}/demo/app:1.0`, dockerConfig('wrong', { auths: { [reg.host]: { auth: auth(USER, 'wrong-password') } } })));
      assert.equal(!r.ok && r.reason, 'unauthorized');
      assert.match(!r.ok ? r.message : '', /with credentials from docker config .*wrong\/config\.json/);
      assert.ok(!(!r.ok && r.message.includes('wrong-password')));
    });

    describe('credential helper', () => {
      let bin: string;
      let calls: string;
      before(() => {
        bin = path.join(work, 'bin');
        calls = path.join(work, 'helper-calls');
        mkdirSync(bin, { recursive: true });
        const script = path.join(bin, 'docker-credential-testhelper');
        writeFileSync(script, `#!/bin/sh\n[ "$1" = get ] || exit 1\nread -r server\nprintf '%s\\n' "$server" >> '${calls}'\nprintf '{"ServerURL":"%s","Username":"${HELPER_USER}","Secret":"${HELPER_SECRET}"}\\n' "$server"\n`);
        chmodSync(script, 0o755);
        const slow = path.join(bin, 'docker-credential-slow');
        writeFileSync(slow, '#!/bin/sh\nsleep 30\n');
        chmodSync(slow, 0o755);
      });
      const withHelper = (name: string, config: object, extra: ResolveOptions = {}): ResolveOptions => {
        const o = dockerConfig(name, config, extra);
        return { ...o, env: { ...o.env, PATH: `${bin}:${process.env.PATH}` } };
      };

      for (const [name, config] of [
        ['credHelpers', () => ({ credHelpers: { [reg.host]: 'testhelper' } })],
        ['credsStore', () => ({ credsStore: 'testhelper', auths: { [reg.host]: {} } })],
      ] as [string, () => object][]) {
        test(`${name}: helper on PATH gets the server URL on stdin; its secret is never shown`, async () => {
          rmSync(calls, { force: true });
          const lines: string[] = [];
          const r = record(await resolveDigest(`${reg.host}/demo/app:1.0`, withHelper(name, config(), { log: (l) => (lines.push(l), log(l)) })));
          assert.equal(r.ok && r.digest, image.manifest.digest);
          assert.deepEqual(readFileSync(calls, 'utf8').split('\n').filter(Boolean), [reg.host]);
          assert.ok(lines.some((l) => l.includes('[Basic auth]')), lines.join('\n'));
          for (const l of lines) assert.ok(!l.includes(HELPER_SECRET));
          assert.ok(!JSON.stringify(r).includes(HELPER_SECRET));
        });
      }

      test('allowCredentialHelpers: false → the helper is not run', async () => {
        rmSync(calls, { force: true });
        const lines: string[] = [];
        const r = record(await resolveDigest(`${reg.host}/demo/app:1.0`, withHelper('nohelper', { credHelpers: { [reg.host]: 'testhelper' } }, { allowCredentialHelpers: false, log: (l) => lines.push(l) })));
        assert.equal(!r.ok && r.reason, 'unauthorized');
        assert.equal(existsSync(calls), false);
        assert.match(!r.ok ? r.message : '', /anonymously \(credential helper docker-credential-testhelper not run .*disabled\)/);
        assert.ok(lines.some((l) => l.includes('credential helpers are disabled')));
      });

      test('a helper that hangs is stopped within the resolution budget', async () => {
        const { value: r, ms } = await timed(() => resolveDigest(`${reg.host}/demo/app:1.0`, withHelper('slow', { credHelpers: { [reg.host]: 'slow' } }, { timeoutMs: 1000 })));
        assert.equal(!r.ok && r.reason, 'unauthorized');
        assert.match(!r.ok ? r.message : '', /anonymously \(docker-credential-slow timed out after \d+ ms\)/);
        assert.ok(ms < 1600, `took ${ms} ms`);
        console.log(`# hanging credential helper: gave up after ${ms} ms (${!r.ok && r.reason})`);
      });

      test('a helper name with a path is refused', async () => {
        const r = record(await resolveDigest(`${reg.host}/demo/app:1.0`, withHelper('pathy', { credHelpers: { [reg.host]: '../../bin/sh' } })));
        assert.equal(!r.ok && r.reason, 'unauthorized');
      });
    });
  });

  describe('token auth (Bearer challenge, JWT from a loopback token service)', () => {
    let reg: RegistryHandle;
    let tokens: TokenServer;
    before(async () => {
      tokens = tokenServer = await startTokenServer(work, { users: { [USER]: PASSWORD }, refreshTokens: { [REFRESH]: USER } });
      reg = await startRegistry({ token: { realm: tokens.realm, service: tokens.service, issuer: tokens.issuer, certPath: tokens.certPath } });
      for (const repo of ['demo/app', 'public/app']) await skopeoCopy(path.join(work, 'layout'), '1.0', `${reg.host}/${repo}:1.0`, { creds: `${USER}:${PASSWORD}` });
    });
    after(async () => {
      await reg.stop();
      await tokens.stop();
    });

    test('anonymous token for a public repository; no Authorization sent to the token service', async () => {
      tokens.requests.length = 0;
      const r = record(await resolveDigest(`${reg.host}/public/app:1.0`, dockerConfig('tok-empty', {})));
      assert.equal(r.ok && r.digest, image.manifest.digest);
      assert.equal(tokens.requests.length, 1);
      assert.deepEqual(tokens.requests[0], { method: 'GET', authorization: undefined, scope: ['repository:public/app:pull'], service: tokens.service, grantType: undefined });
    });

    test('anonymous token without pull rights → unauthorized', async () => {
      const r = record(await resolveDigest(`${reg.host}/demo/app:1.0`, dockerConfig('tok-empty', {})));
      assert.equal(!r.ok && r.reason, 'unauthorized');
    });

    test('Basic credentials go to the realm; the token is cached and sent up front next time', async () => {
      tokens.requests.length = 0;
      const session = new RegistrySession();
      const lines: string[] = [];
      const opts = dockerConfig('tok-basic', { auths: { [reg.host]: { username: USER, password: PASSWORD } } }, { session, log: (l) => (lines.push(l), log(l)) });
      for (let i = 0; i < 3; i++) {
        const r = record(await resolveDigest(`${reg.host}/demo/app:1.0`, opts));
        assert.equal(r.ok && r.digest, image.manifest.digest);
      }
      assert.equal(tokens.requests.length, 1);
      assert.match(tokens.requests[0].authorization ?? '', /^Basic /);
      assert.equal(session.stats.token, 1);
      assert.equal(session.stats.manifestHead, 4, '401 + 3 authorised HEADs');
      assert.ok(lines.some((l) => l.includes('[Bearer auth]')));
    });

    const expiryCases: [string, number | null, number, number][] = [
      ['expires_in 300 → reused at +290 s, fetched again at +300 s', 300, 290_000, 300_000],
      ['no expires_in → 60 s: reused at +50 s, fetched again at +60 s', null, 50_000, 60_000],
    ];
    for (const [name, expiresIn, reuseAt, refetchAt] of expiryCases) {
      test(`token lifetime: ${name}`, async () => {
        tokens.options.expiresIn = expiresIn;
        tokens.requests.length = 0;
        let now = Date.now();
        const session = new RegistrySession(() => now);
        const opts = dockerConfig('tok-life', { auths: { [reg.host]: { username: USER, password: PASSWORD } } }, { session });
        try {
          const start = now;
          const counts: number[] = [];
          for (const at of [0, reuseAt, refetchAt]) {
            now = start + at;
            const r = record(await resolveDigest(`${reg.host}/demo/app:1.0`, opts));
            assert.equal(r.ok && r.digest, image.manifest.digest);
            counts.push(tokens.requests.length);
          }
          assert.deepEqual(counts, [1, 1, 2]);
        } finally {
          tokens.options.expiresIn = undefined;
          session.close();
        }
      });
    }

    test('identitytoken → OAuth2 refresh-token POST; `access_token` field accepted', async () => {
      tokens.requests.length = 0;
      tokens.options.field = 'access_token';
      try {
        const r = record(await resolveDigest(`${reg.host}/demo/app:1.0`, dockerConfig('tok-identity', { auths: { [reg.host]: { identitytoken: REFRESH } } })));
        assert.equal(r.ok && r.digest, image.manifest.digest);
        assert.equal(tokens.requests.length, 1);
        assert.equal(tokens.requests[0].method, 'POST');
        assert.equal(tokens.requests[0].grantType, 'refresh_token');
        assert.equal(tokens.requests[0].authorization, undefined);
      } finally {
        tokens.options.field = 'token';
      }
    });

    test('bad password at the realm → unauthorized naming the token service', async () => {
      const r = record(await resolveDigest(`${reg.host}/demo/app:1.0`, dockerConfig('tok-bad', { auths: { [reg.host]: { username: USER, password: 'nope-nope' } } })));
      assert.equal(!r.ok && r.reason, 'unauthorized');
      assert.match(!r.ok ? r.message : '', new RegExp(`token service ${tokens.realm.split('/')[2].replace(/\./g, '\\.')} for .* refused the credentials from docker config`));
    });
  });
});
