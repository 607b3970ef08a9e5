// resolveDigest against a real anonymous registry on loopback: tags, indexes, failures and bounds.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { resolveDigest, RegistrySession, type ResolveOptions } from '../../server/src/registry';
import { startHangServer, freePort, timed } from './helpers/net';
import { buildImage, buildIndex, pushViaApi, skopeoCopy, writeLayout } from './helpers/oci';
import { startReverseProxy } from './helpers/proxies';
import { type RegistryHandle, startRegistry } from './helpers/registry';
import { skipUnlessTools } from './helpers/tools';

const single = buildImage('single platform v1');
const amd = buildImage('multi amd64', { os: 'linux', architecture: 'amd64' });
const arm = buildImage('multi arm64', { os: 'linux', architecture: 'arm64', variant: 'v8' });
const index = buildIndex([amd, arm]);
const latest = buildImage('the latest one');

let reg: RegistryHandle;
let work: string;
const noConfig = (): ResolveOptions => ({ dockerConfigPath: path.join(work, 'no-config.json'), env: {} });

describe('resolveDigest against a real registry', { skip: skipUnlessTools() }, () => {
  before(async () => {
    work = mkdtempSync(path.join(os.tmpdir(), 'kg-resolve-'));
    reg = await startRegistry();
    writeLayout(path.join(work, 'single'), '1.0', single.manifest, [single.layer, single.config]);
    writeLayout(path.join(work, 'multi'), '2.0', index, [amd.layer, amd.config, amd.manifest, arm.layer, arm.config, arm.manifest]);
    await skopeoCopy(path.join(work, 'single'), '1.0', `${reg.host}/demo/app:1.0`);
    await skopeoCopy(path.join(work, 'multi'), '2.0', `${reg.host}/demo/app:2.0`, { all: true });
    await pushViaApi(reg.url, 'demo/app', 'latest', [latest], latest.manifest);
  });

  after(async () => {
    await reg?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  describe('resolving tags on an anonymous registry', () => {
    test('single-platform tag: HEAD only, digest of the manifest bytes pushed', async () => {
      const session = new RegistrySession();
      const lines: string[] = [];
      const r = await resolveDigest(`${reg.host}/demo/app:1.0`, { ...noConfig(), session, log: (l) => lines.push(l) });
      assert.deepEqual(r, { ok: true, digest: single.manifest.digest, mediaType: 'application/vnd.oci.image.manifest.v1+json', registry: reg.host, repository: 'demo/app', tag: '1.0' });
      assert.equal(session.stats.manifestHead, 1);
      assert.equal(session.stats.manifestGet, 0);
      console.log(`# single tag: ${session.stats.total} requests (${session.stats.failed} failed TLS probe), log:\n#   ${lines.join('\n#   ')}`);
      session.close();
    });

    test('multi-platform tag yields the index digest; platforms only on request, with one GET', async () => {
      const session = new RegistrySession();
      const plain = await resolveDigest(`${reg.host}/demo/app:2.0`, { ...noConfig(), session });
      assert.equal(plain.ok && plain.digest, index.digest);
      assert.equal(plain.ok && plain.mediaType, 'application/vnd.oci.image.index.v1+json');
      assert.equal(plain.ok && plain.platforms, undefined);
      assert.equal(session.stats.manifestGet, 0);
      const withPlatforms = await resolveDigest(`${reg.host}/demo/app:2.0`, { ...noConfig(), session, platforms: true });
      assert.equal(withPlatforms.ok && withPlatforms.digest, index.digest);
      assert.deepEqual(withPlatforms.ok && withPlatforms.platforms, ['linux/amd64', 'linux/arm64/v8']);
      assert.equal(session.stats.manifestHead, 2);
      assert.equal(session.stats.manifestGet, 1);
      session.close();
    });

    test('platforms are not listed for a single manifest, and no GET is made for it', async () => {
      const session = new RegistrySession();
      const r = await resolveDigest(`${reg.host}/demo/app:1.0`, { ...noConfig(), session, platforms: true });
      assert.equal(r.ok && r.platforms, undefined);
      assert.equal(session.stats.manifestGet, 0);
    });

    test('no tag means latest', async () => {
      const r = await resolveDigest(`${reg.host}/demo/app`, noConfig());
      assert.equal(r.ok && r.tag, 'latest');
      assert.equal(r.ok && r.digest, latest.manifest.digest);
    });

    for (const [name, ref] of [
      ['unknown tag', 'demo/app:9.9'],
      ['unknown repository', 'demo/nothing-here:1.0'],
    ]) {
      test(`${name} → not-found naming the registry`, async () => {
        const r = await resolveDigest(`${reg.host}/${ref}`, noConfig());
        assert.equal(r.ok, false);
        assert.equal(!r.ok && r.reason, 'not-found');
        assert.match(!r.ok ? r.message : '', new RegExp(`${ref.split(':')[0]}:${ref.split(':')[1]} not found on 127\\.0\\.0\\.1:${reg.port}`));
      });
    }
  });

  describe('references the client refuses without a request', () => {
    const cases: [string, string, string][] = [
      ['Demo/App:1', 'invalid-reference', 'not a valid image reference'],
      ['demo/app@sha256:' + 'a'.repeat(64), 'invalid-reference', 'already pinned to a digest'],
      ['demo/app:bad tag', 'invalid-reference', 'whitespace'],
      ['', 'invalid-reference', 'empty'],
    ];
    for (const [ref, reason, text] of cases) {
      test(`${JSON.stringify(ref)} → ${reason}`, async () => {
        const r = await resolveDigest(ref, noConfig());
        assert.equal(!r.ok && r.reason, reason);
        assert.match(!r.ok ? r.message : '', new RegExp(text));
      });
    }

    test('networkDisabled answers at once and nothing reaches the registry', async () => {
      const proxy = await startReverseProxy(reg.host);
      const session = new RegistrySession();
      const r = await resolveDigest(`${proxy.host}/demo/app:1.0`, { ...noConfig(), session, networkDisabled: true });
      assert.deepEqual(r, { ok: false, registry: proxy.host, reason: 'network-disabled', message: `not asking ${proxy.host} for demo/app:1.0: network access is disabled` });
      assert.equal(proxy.seen.length, 0);
      assert.equal(session.stats.total, 0);
      await proxy.stop();
    });
  });

  describe('registries that fail', () => {
    test('closed port → unreachable, fast', async () => {
      const port = await freePort();
      const { value: r, ms } = await timed(() => resolveDigest(`127.0.0.1:${port}/demo/app:1.0`, { ...noConfig(), timeoutMs: 5000 }));
      assert.equal(!r.ok && r.reason, 'unreachable');
      assert.match(!r.ok ? r.message : '', new RegExp(`cannot reach 127\\.0\\.0\\.1:${port}: ECONNREFUSED`));
      assert.ok(ms < 1000, `took ${ms} ms`);
      console.log(`# closed port: unreachable after ${ms} ms`);
    });

    test('registry that accepts and never answers → timeout within the configured bound', async () => {
      const hang = await startHangServer();
      const { value: r, ms } = await timed(() => resolveDigest(`127.0.0.1:${hang.port}/demo/app:1.0`, { ...noConfig(), timeoutMs: 1200 }));
      await hang.stop();
      assert.equal(!r.ok && r.reason, 'timeout');
      assert.match(!r.ok ? r.message : '', new RegExp(`127\\.0\\.0\\.1:${hang.port} did not answer within 1200 ms`));
      assert.ok(ms >= 1150 && ms < 1700, `took ${ms} ms`);
      assert.ok(hang.connections() >= 1);
      console.log(`# hanging registry: timeout after ${ms} ms (budget 1200 ms), ${hang.connections()} connection(s)`);
    });

    test('HTTP 500 → error with the status', async () => {
      const proxy = await startReverseProxy(reg.host, { intercept: (_q, res) => (res.writeHead(500).end(), true) });
      const r = await resolveDigest(`${proxy.host}/demo/app:1.0`, noConfig());
      await proxy.stop();
      assert.equal(!r.ok && r.reason, 'error');
      assert.match(!r.ok ? r.message : '', /answered HTTP 500 for demo\/app:1\.0/);
    });
  });
});
