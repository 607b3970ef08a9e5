// `known-good pin` at scale: 500 references to 100 tags in 50 files, each tag asked once (counted at
// a reverse proxy in front of a real registry), and a second run served by the persisted cache.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { annotated, buildImage, pushViaApi, putManifest } from '../registry/helpers/oci';
import { type ReverseProxy, startReverseProxy } from '../registry/helpers/proxies';
import { type RegistryHandle, startRegistry } from '../registry/helpers/registry';
import { skipUnlessTools } from '../registry/helpers/tools';
import { read, runCliAsync, writeTree } from './pin-helpers';

const TAGS = 100;
const FILES = 50;
const PER_FILE = 10;
const base = buildImage('pin scale: base');
const images = Array.from({ length: TAGS }, (_, i) => annotated(base, i));

/** File `i`: Dockerfiles and compose files alternately, each with 10 references; every tag is used 5 times. */
function workspace(host: string, digestOf?: (tag: number) => string): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < FILES; i++) {
    const refs = Array.from({ length: PER_FILE }, (_, j) => {
      const tag = (i * PER_FILE + j) % TAGS;
      return `${host}/demo/many:t${tag}${digestOf ? `@${digestOf(tag)}` : ''}`;
    });
    if (i % 2 === 0) files[`svc-${i}/Dockerfile`] = refs.map((r, j) => `FROM ${r} AS s${j}\nRUN true\n`).join('');
    else files[`svc-${i}/compose.yaml`] = `services:\n${refs.map((r, j) => `  s${j}:\n    image: ${r}\n`).join('')}`;
  }
  return files;
}

let reg: RegistryHandle;
let proxy: ReverseProxy;
let work: string;
const manifestRequests = (): number => proxy.seen.filter((s) => s.url.includes('/manifests/')).length;

describe('pin at scale', { skip: skipUnlessTools() }, () => {
  before(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-pin-scale-'));
    reg = await startRegistry();
    await pushViaApi(reg.url, 'demo/many', 't0', [images[0]], images[0].manifest);
    for (let i = 1; i < TAGS; i++) await putManifest(reg.url, 'demo/many', `t${i}`, images[i].manifest);
    proxy = await startReverseProxy(reg.host);
  });
  after(async () => {
    await proxy?.stop();
    await reg?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  test('500 references, 100 tags: at most 100 manifest requests; then 0 from the persisted cache; --no-cache asks again', async (t) => {
    const home = fs.mkdtempSync(path.join(work, 'home-'));
    const input = workspace(proxy.host);
    const expected = workspace(proxy.host, (tag) => images[tag].manifest.digest);
    const run = async (label: string, args: string[]) => {
      const dir = fs.mkdtempSync(path.join(work, 'ws-'));
      writeTree(dir, input);
      const seenBefore = manifestRequests();
      const r = await runCliAsync(['pin', ...args], dir, home);
      const requests = manifestRequests() - seenBefore;
      t.diagnostic(`${label}: ${requests} manifest requests at the proxy, ${r.ms} ms wall clock (process start included); max ${proxy.maxInFlight} in flight so far`);
      t.diagnostic(`  ${r.stdout.trimEnd().split('\n').pop()}`);
      assert.equal(r.code, 0, r.stderr);
      for (const [rel, text] of Object.entries(expected)) assert.equal(read(dir, rel), text, rel);
      assert.equal(r.stdout.trimEnd().split('\n').length, FILES + 1);
      assert.match(r.stdout, new RegExp(`^Pinned ${FILES * PER_FILE} references in ${FILES} files; 0 references failed; ${TAGS} tags looked up with`, 'm'));
      return requests;
    };
    const first = await run('first run', []);
    assert.ok(first > 0 && first <= TAGS, `${first} manifest requests`);
    assert.ok(proxy.maxInFlight <= 6, `at most 6 at once, saw ${proxy.maxInFlight}`);
    assert.equal(await run('second run, persisted cache', []), 0);
    const third = await run('third run, --no-cache', ['--no-cache']);
    assert.ok(third > 0 && third <= TAGS, `${third} manifest requests`);
  });
});
