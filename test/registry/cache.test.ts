// DigestCache against a real registry: moved tags, TTL, coalescing, persistence, and 500 references in bounded parallel.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DigestCache, type DigestCacheOptions } from '../../server/src/registry';
import { timed } from './helpers/net';
import { annotated, buildImage, pushViaApi, putManifest } from './helpers/oci';
import { type ReverseProxy, startReverseProxy } from './helpers/proxies';
import { type RegistryHandle, startRegistry } from './helpers/registry';
import { skipUnlessTools } from './helpers/tools';

const first = buildImage('moving tag, first content');
const second = buildImage('moving tag, second content');
const third = buildImage('moving tag, third content');
const base = buildImage('many tags');

let reg: RegistryHandle;
let proxy: ReverseProxy;
let work: string;
const manifestRequests = (): number => proxy.seen.filter((s) => s.url.includes('/manifests/')).length;
const options = (extra: DigestCacheOptions = {}): DigestCacheOptions => ({ dockerConfigPath: path.join(work, 'none.json'), env: {}, ...extra });
const ref = (tag: string): string => `${proxy.host}/demo/app:${tag}`;

describe('DigestCache against a real registry', { skip: skipUnlessTools() }, () => {
  before(async () => {
    work = mkdtempSync(path.join(os.tmpdir(), 'kg-cache-'));
    reg = await startRegistry();
    proxy = await startReverseProxy(reg.host);
    await pushViaApi(reg.url, 'demo/app', 'moving', [first], first.manifest);
    await pushViaApi(reg.url, 'demo/app', 'stable', [second], second.manifest);
    await pushViaApi(reg.url, 'demo/app', 'other', [third], third.manifest);
    await pushViaApi(reg.url, 'demo/app', 'base', [base], base.manifest);
  });
  after(async () => {
    await proxy.stop();
    await reg.stop();
    rmSync(work, { recursive: true, force: true });
  });

  describe('a tag that moves to a new digest', () => {
    test('cached until invalidated, then the new digest', async () => {
      const cache = new DigestCache(options());
      const a = await cache.get(ref('moving'));
      assert.equal(a.ok && a.digest, first.manifest.digest);
      await pushViaApi(reg.url, 'demo/app', 'moving', [second], second.manifest);
      const before = manifestRequests();
      const b = await cache.get(ref('moving'));
      assert.equal(b.ok && b.digest, first.manifest.digest, 'still the cached digest');
      assert.equal(manifestRequests(), before, 'no request for a cached reference');
      cache.invalidate(ref('moving'));
      const c = await cache.get(ref('moving'));
      assert.equal(c.ok && c.digest, second.manifest.digest);
      assert.deepEqual(cache.counts, { resolutions: 2, hits: 1, coalesced: 0 });
      cache.dispose();
    });

    test('TTL 0 resolves every time; an expired TTL resolves again', async () => {
      await pushViaApi(reg.url, 'demo/app', 'moving', [third], third.manifest);
      const zero = new DigestCache(options({ ttlMs: 0 }));
      const r1 = await zero.get(ref('moving'));
      assert.equal(r1.ok && r1.digest, third.manifest.digest);
      await pushViaApi(reg.url, 'demo/app', 'moving', [first], first.manifest);
      const r2 = await zero.get(ref('moving'));
      assert.equal(r2.ok && r2.digest, first.manifest.digest);
      assert.equal(zero.counts.resolutions, 2);

      let now = 1_000_000;
      const clocked = new DigestCache(options({ ttlMs: 60_000, now: () => now }));
      await clocked.get(ref('stable'));
      now += 59_000;
      await clocked.get(ref('stable'));
      assert.equal(clocked.counts.resolutions, 1);
      now += 2_000;
      await clocked.get(ref('stable'));
      assert.equal(clocked.counts.resolutions, 2);
      zero.dispose();
      clocked.dispose();
    });
  });

  describe('sharing work', () => {
    test('concurrent requests for one reference share one resolution', async () => {
      const cache = new DigestCache(options());
      const before = manifestRequests();
      const results = await Promise.all(Array.from({ length: 20 }, () => cache.get(ref('stable'))));
      assert.ok(results.every((r) => r.ok && r.digest === second.manifest.digest));
      assert.deepEqual(cache.counts, { resolutions: 1, hits: 0, coalesced: 19 });
      assert.equal(manifestRequests() - before, 1);
      cache.dispose();
    });

    test('failures are not cached', async () => {
      const cache = new DigestCache(options());
      for (let i = 0; i < 2; i++) {
        const r = await cache.get(ref('missing'));
        assert.equal(!r.ok && r.reason, 'not-found');
      }
      assert.equal(cache.counts.resolutions, 2);
      cache.dispose();
    });

    test('500 references to 100 tags: at most 100 manifest requests, at most 6 at once, per-reference failures', async () => {
      const tags = Array.from({ length: 100 }, (_, i) => `t${i}`);
      const images = tags.map((_, i) => annotated(base, i));
      await Promise.all(tags.map((t, i) => putManifest(reg.url, 'demo/app', t, images[i].manifest)));
      const counter = await startReverseProxy(reg.host);
      try {
        const refs: string[] = [];
        for (let round = 0; round < 5; round++) for (const t of tags) refs.push(`${counter.host}/demo/app:${t}`);
        // Shuffle deterministically so duplicates arrive while the first is in flight and after it finished.
        for (let i = refs.length - 1, seed = 7; i > 0; i--) {
          seed = (seed * 16807) % 2147483647;
          const j = seed % (i + 1);
          [refs[i], refs[j]] = [refs[j], refs[i]];
        }
        refs.push(`${counter.host}/demo/app:nope`, 'Not A Reference');
        const cache = new DigestCache(options());
        const { value: results, ms } = await timed(() => cache.resolveMany(refs));
        const manifestsAtRegistry = counter.seen.filter((s) => s.url.includes('/manifests/')).length;
        const forTheTags = counter.seen.filter((s) => /\/manifests\/t\d+$/.test(s.url)).length;
        assert.equal(results.length, 502);
        for (let i = 0; i < 500; i++) {
          const r = results[i];
          assert.equal(r.ok && r.digest, images[Number(refs[i].split(':t')[1])].manifest.digest, refs[i]);
        }
        assert.equal(!results[500].ok && results[500].reason, 'not-found');
        assert.equal(!results[501].ok && results[501].reason, 'invalid-reference');
        assert.ok(forTheTags <= 100, `${forTheTags} manifest requests for 100 tags`);
        assert.equal(forTheTags, 100);
        assert.equal(manifestsAtRegistry, 101, '100 tags + the missing one');
        assert.equal(cache.stats.manifestHead, 101);
        assert.equal(cache.stats.manifestGet, 0);
        // 100 tags, the missing tag and the invalid reference; every other reference was a hit or joined one in flight.
        assert.equal(cache.counts.resolutions, 102);
        assert.equal(cache.counts.resolutions + cache.counts.hits + cache.counts.coalesced, 502);
        assert.ok(counter.maxInFlight <= 6, `max in flight ${counter.maxInFlight}`);
        console.log(
          `# resolveMany: 502 references (100 tags x5, 1 missing, 1 invalid) in ${ms} ms; registry saw ${manifestsAtRegistry} manifest requests, ` +
            `max ${counter.maxInFlight} at once; client counted ${cache.stats.manifestHead} HEAD, ${cache.stats.manifestGet} GET, ${cache.stats.total} attempts ` +
            `(${cache.stats.failed} failed TLS probes); ${cache.counts.resolutions} resolutions, ${cache.counts.hits} hits, ${cache.counts.coalesced} coalesced`,
        );
        cache.dispose();
      } finally {
        await counter.stop();
      }
    });
  });

  describe('persistence', () => {
    test('written atomically, reused by a new cache without any request', async () => {
      const file = path.join(work, 'persist', 'digests.json');
      const a = new DigestCache(options({ file }));
      await a.resolveMany([ref('stable'), ref('other')]);
      await a.flush();
      a.dispose();
      const doc = JSON.parse(readFileSync(file, 'utf8')) as { version: number; entries: Record<string, { result: { digest: string } }> };
      assert.equal(doc.version, 1);
      assert.deepEqual(Object.keys(doc.entries).sort(), [`${proxy.host}/demo/app:other`, `${proxy.host}/demo/app:stable`]);
      assert.equal(doc.entries[`${proxy.host}/demo/app:stable`].result.digest, second.manifest.digest);
      assert.deepEqual(readdirSync(path.dirname(file)), ['digests.json'], 'no temp file left');

      const before = manifestRequests();
      const b = new DigestCache(options({ file }));
      const r = await b.get(ref('stable'));
      assert.equal(r.ok && r.digest, second.manifest.digest);
      assert.equal(b.stats.total, 0);
      assert.equal(manifestRequests(), before);
      b.dispose();
    });

    test('entries older than the TTL are ignored when loading', async () => {
      const file = path.join(work, 'old', 'digests.json');
      let now = 5_000_000;
      const a = new DigestCache(options({ file, now: () => now }));
      await a.get(ref('stable'));
      await a.flush();
      now += 3_600_001;
      const b = new DigestCache(options({ file, now: () => now }));
      await b.get(ref('stable'));
      assert.equal(b.counts.resolutions, 1);
      a.dispose();
      b.dispose();
    });

    for (const [name, content] of [
      ['not JSON', '{"version": 1, "entries": {'],
      ['wrong shape', '{"version": 1, "entries": {"x": {"result": {"ok": true, "digest": "sha256:nothex"}, "resolvedAt": 1}}}'],
      ['other version', '{"version": 99, "entries": {}}'],
    ]) {
      test(`a corrupt file (${name}) is ignored and replaced`, async () => {
        const dir = mkdtempSync(path.join(work, 'corrupt-'));
        const file = path.join(dir, 'digests.json');
        writeFileSync(file, content);
        const lines: string[] = [];
        const cache = new DigestCache(options({ file, log: (l) => lines.push(l) }));
        const r = await cache.get(ref('stable'));
        assert.equal(r.ok && r.digest, second.manifest.digest);
        assert.equal(cache.counts.resolutions, 1);
        await cache.flush();
        const doc = JSON.parse(readFileSync(file, 'utf8')) as { entries: object };
        assert.deepEqual(Object.keys(doc.entries), [`${proxy.host}/demo/app:stable`]);
        if (name !== 'wrong shape') assert.ok(lines.some((l) => l.startsWith(`digest cache ${file} ignored`)), lines.join('\n'));
        cache.dispose();
      });
    }
  });
});
