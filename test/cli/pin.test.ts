// `known-good pin` against a real registry on loopback: exact bytes written, failures, --dry-run
// diffs, styles, index digests, unreachable and hanging registries, --update, and scope rules.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { freePort, startHangServer } from '../registry/helpers/net';
import { buildImage, buildIndex, pushViaApi, skopeoCopy, writeLayout } from '../registry/helpers/oci';
import { type RegistryHandle, startRegistry } from '../registry/helpers/registry';
import { skipUnlessTools } from '../registry/helpers/tools';
import { asPinned, asTag, mixedWorkspace } from './pin-fixture';
import { read, runCliAsync, snapshot, writeTree } from './pin-helpers';

const app = buildImage('pin fixture: demo/app 1.0');
const tools = buildImage('pin fixture: demo/tools 2.0');
const amd = buildImage('pin fixture: multi amd64', { os: 'linux', architecture: 'amd64' });
const arm = buildImage('pin fixture: multi arm64', { os: 'linux', architecture: 'arm64', variant: 'v8' });
const index = buildIndex([amd, arm]);
const movingV1 = buildImage('pin fixture: moving v1');
const movingV2 = buildImage('pin fixture: moving v2');

let reg: RegistryHandle;
let work: string;
let n = 0;
/** A fresh folder under the test's temp dir. */
const fresh = (name: string): string => fs.mkdtempSync(path.join(work, `${name}-${n++}-`));

/** Writes the mixed workspace for `host` in a fresh folder; returns it and its input files. */
function mixed(host: string): { dir: string; input: Record<string, string> } {
  const dir = fresh('ws');
  const input = mixedWorkspace(asTag(host));
  writeTree(dir, input);
  return { dir, input };
}

function assertTree(dir: string, expected: Record<string, string>): void {
  for (const [rel, text] of Object.entries(expected)) assert.equal(read(dir, rel), text, rel);
}

describe('known-good pin against a real registry', { skip: skipUnlessTools() }, () => {
  let digests: Record<string, string>;
  before(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-pin-'));
    reg = await startRegistry();
    writeLayout(path.join(work, 'layout-app'), '1.0', app.manifest, [app.layer, app.config]);
    await skopeoCopy(path.join(work, 'layout-app'), '1.0', `${reg.host}/demo/app:1.0`);
    await pushViaApi(reg.url, 'demo/tools', '2.0', [tools], tools.manifest);
    await pushViaApi(reg.url, 'demo/multi', '3.0', [amd, arm], index);
    digests = { 'demo/app:1.0': app.manifest.digest, 'demo/tools:2.0': tools.manifest.digest, 'demo/multi:3.0': index.digest };
  });
  after(async () => {
    await reg?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  test('pins every literal reference in place, byte for byte, lists the failure and exits 1', async (t) => {
    const { dir, input } = mixed(reg.host);
    fs.chmodSync(path.join(dir, 'main.tf'), 0o640);
    const r = await runCliAsync(['pin'], dir, fresh('home'));
    t.diagnostic(`pin of the mixed workspace: exit ${r.code} in ${r.ms} ms; ${r.stdout.trim().split('\n').pop()}`);
    assert.equal(r.code, 1, r.stderr);
    const expected = { ...mixedWorkspace(asPinned(reg.host, digests)), 'ignored/Dockerfile': input['ignored/Dockerfile'] };
    assertTree(dir, expected);
    // The multi-platform tag is pinned to its index, not to one platform's manifest.
    assert.ok(read(dir, 'template.yaml').includes(`demo/multi:3.0@${index.digest}"`));
    assert.equal(fs.statSync(path.join(dir, 'main.tf')).mode & 0o777, 0o640, 'file mode kept');
    assert.deepEqual(fs.readdirSync(dir).filter((f) => f.includes('kg-tmp')), [], 'no temp file left');
    const lines = r.stdout.trimEnd().split('\n');
    assert.deepEqual(lines.slice(0, -1), [
      'Dockerfile: pinned 2 references',
      'compose.yaml: pinned 1 reference',
      'main.tf: pinned 1 reference',
      'task-definition.json: pinned 1 reference',
      'template.yaml: pinned 1 reference',
    ]);
    assert.match(
      lines.at(-1)!,
      /^Pinned 6 references in 5 files; 1 reference failed; 2 references with variables left alone; 4 tags looked up with \d+ registry requests \(0 from the cache\) in \d+\.\d s\.$/,
    );
    const escaped = reg.host.replace(/\./g, '\\.');
    assert.match(r.stderr, new RegExp(`^known-good: cannot pin ${escaped}/demo/app:9\\.9 at task-definition\\.json:11:17: .*demo/app:9\\.9 not found on ${escaped}.*\\n$`));
  });

  test('--dry-run prints the exact unified diff and changes nothing', async (t) => {
    const { dir } = mixed(reg.host);
    const beforeSnap = snapshot(dir);
    const r = await runCliAsync(['pin', '--dry-run'], dir, fresh('home'));
    assert.equal(r.code, 1, r.stderr);
    const h = reg.host;
    const [a, tl, m] = [digests['demo/app:1.0'], digests['demo/tools:2.0'], digests['demo/multi:3.0']];
    const expectedDiff = [
      '--- a/Dockerfile',
      '+++ b/Dockerfile',
      '@@ -1,6 +1,6 @@',
      ' ARG BASE',
      `-FROM --platform=$BUILDPLATFORM ${h}/demo/app:1.0 AS build`,
      `-COPY --from=${h}/demo/tools:2.0 /bin/tool /usr/local/bin/tool`,
      `+FROM --platform=$BUILDPLATFORM ${h}/demo/app:1.0@${a} AS build`,
      `+COPY --from=${h}/demo/tools:2.0@${tl} /bin/tool /usr/local/bin/tool`,
      ' RUN make',
      ' FROM ${BASE}',
      ' COPY --from=build /out /out',
      '--- a/compose.yaml',
      '+++ b/compose.yaml',
      '@@ -1,5 +1,5 @@',
      ' services:',
      '   web:',
      `-    image: ${h}/demo/app:1.0`,
      `+    image: ${h}/demo/app:1.0@${a}`,
      '   worker:',
      '     image: ${WORKER_IMAGE}',
      '--- a/main.tf',
      '+++ b/main.tf',
      '@@ -3,7 +3,7 @@',
      '   container_definitions = jsonencode([',
      '     {',
      '       name  = "app"',
      `-      image = "${h}/demo/app:1.0"`,
      `+      image = "${h}/demo/app:1.0@${a}"`,
      '     }',
      '   ])',
      ' }',
      '--- a/task-definition.json',
      '+++ b/task-definition.json',
      '@@ -3,7 +3,7 @@',
      '   "containerDefinitions": [\r',
      '     {\r',
      '       "name": "app",\r',
      `-      "image": "${h}/demo/app:1.0",\r`,
      `+      "image": "${h}/demo/app:1.0@${a}",\r`,
      '       "essential": true\r',
      '     },\r',
      '     {\r',
      '--- a/template.yaml',
      '+++ b/template.yaml',
      '@@ -5,4 +5,4 @@',
      '     Properties:',
      '       ContainerDefinitions:',
      '         - Name: web',
      `-          Image: "${h}/demo/multi:3.0" # the multi-platform one`,
      `+          Image: "${h}/demo/multi:3.0@${m}" # the multi-platform one`,
      '',
    ].join('\n');
    assert.equal(r.stdout, expectedDiff);
    assert.deepEqual(snapshot(dir), beforeSnap, 'bytes and mtimes unchanged');
    assert.match(r.stderr, /^known-good: cannot pin .*demo\/app:9\.9 at task-definition\.json:11:17: /m);
    assert.match(r.stderr, /^Dockerfile: would pin 2 references$/m);
    assert.match(r.stderr, /^Would pin 6 references in 5 files; 1 reference failed;/m);
    // The diff is a patch: applied to the workspace it gives what `pin` writes.
    if (spawnSync('patch', ['--version']).status !== 0) return t.diagnostic('patch is not installed: the diff was not applied');
    const patched = fresh('patched');
    writeTree(patched, mixedWorkspace(asTag(reg.host)));
    const p = spawnSync('patch', ['-p1', '--quiet', '--binary'], { cwd: patched, input: r.stdout });
    assert.equal(p.status, 0, p.stderr?.toString());
    const pinned = mixed(reg.host).dir;
    await runCliAsync(['pin'], pinned, fresh('home'));
    for (const rel of ['Dockerfile', 'compose.yaml', 'main.tf', 'task-definition.json', 'template.yaml']) assert.equal(read(patched, rel), read(pinned, rel), rel);
  });

  test('--style digest-only drops the tag in task definitions, CloudFormation and Terraform only', async () => {
    const { dir, input } = mixed(reg.host);
    const r = await runCliAsync(['pin', '--style', 'digest-only'], dir, fresh('home'));
    assert.equal(r.code, 1, r.stderr);
    assertTree(dir, { ...mixedWorkspace(asPinned(reg.host, digests, 'digest-only')), 'ignored/Dockerfile': input['ignored/Dockerfile'] });
    assert.ok(read(dir, 'Dockerfile').includes(`demo/app:1.0@${app.manifest.digest} AS build`));
    assert.ok(read(dir, 'main.tf').includes(`image = "${reg.host}/demo/app@${app.manifest.digest}"`));
  });

  test('paths restrict the files pinned; references silenced by known-good-ignore are left alone', async () => {
    const dir = fresh('scope');
    const files = {
      'a/Dockerfile': `FROM ${reg.host}/demo/app:1.0\n`,
      'b/Dockerfile': `FROM ${reg.host}/demo/app:1.0\n# known-good-ignore missing-digest -- tracks the tag on purpose\nFROM ${reg.host}/demo/tools:2.0\n`,
    };
    writeTree(dir, files);
    const onlyA = await runCliAsync(['pin', 'a'], dir, fresh('home'));
    assert.equal(onlyA.code, 0, onlyA.stderr);
    assert.equal(read(dir, 'a/Dockerfile'), `FROM ${reg.host}/demo/app:1.0@${app.manifest.digest}\n`);
    assert.equal(read(dir, 'b/Dockerfile'), files['b/Dockerfile']);
    const all = await runCliAsync(['pin'], dir, fresh('home'));
    assert.equal(all.code, 0, all.stderr);
    assert.equal(read(dir, 'b/Dockerfile'), files['b/Dockerfile'].replace('app:1.0\n', `app:1.0@${app.manifest.digest}\n`));
    assert.match(all.stdout, /Pinned 1 reference in 1 file; 0 references failed; 1 already pinned; 1 silenced by known-good-ignore or \.knowngood\.yaml;/);
  });

  test('a file that is not valid UTF-8 is not rewritten; the other files are, and the exit code is 1', async () => {
    const dir = fresh('latin1');
    const latin1 = Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from(`\nFROM ${reg.host}/demo/app:1.0\n`)]);
    writeTree(dir, { 'a/Dockerfile': latin1, 'b/Dockerfile': `FROM ${reg.host}/demo/app:1.0\n` });
    const r = await runCliAsync(['pin'], dir, fresh('home'));
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'known-good: could not write a/Dockerfile: not valid UTF-8; left unchanged\n');
    assert.deepEqual(fs.readFileSync(path.join(dir, 'a/Dockerfile')), latin1);
    assert.equal(read(dir, 'b/Dockerfile'), `FROM ${reg.host}/demo/app:1.0@${app.manifest.digest}\n`);
    assert.match(r.stdout, /^b\/Dockerfile: pinned 1 reference\nPinned 1 reference in 1 file; 0 references failed; 1 file not written;/);
  });

  test('a file reached under three names (a file link, a folder link) is pinned once', async () => {
    const dir = fresh('links');
    writeTree(dir, { 'real/Dockerfile': `FROM ${reg.host}/demo/app:1.0\n` });
    fs.symlinkSync('real', path.join(dir, 'alias'));
    fs.symlinkSync(path.join('real', 'Dockerfile'), path.join(dir, 'other.Dockerfile'));
    const r = await runCliAsync(['pin'], dir, fresh('home'));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.split('\n').slice(0, 2).join('\n'), 'other.Dockerfile: pinned 1 reference\nreal/Dockerfile: same file as other.Dockerfile');
    assert.equal(read(dir, 'real/Dockerfile'), `FROM ${reg.host}/demo/app:1.0@${app.manifest.digest}\n`);
    assert.ok(fs.lstatSync(path.join(dir, 'alias')).isSymbolicLink());
    assert.ok(fs.lstatSync(path.join(dir, 'other.Dockerfile')).isSymbolicLink());
  });

  test('registry down: every reference fails naming the registry, quickly, and no file changes', async (t) => {
    const port = await freePort();
    const { dir } = mixed(`127.0.0.1:${port}`);
    const beforeSnap = snapshot(dir);
    const r = await runCliAsync(['pin'], dir, fresh('home'));
    t.diagnostic(`registry down: exit ${r.code} after ${r.ms} ms`);
    t.diagnostic(r.stderr.split('\n')[0]);
    assert.equal(r.code, 1);
    assert.ok(r.ms < 10_000, `took ${r.ms} ms`);
    const failures = r.stderr.trimEnd().split('\n');
    assert.equal(failures.length, 7, r.stderr);
    for (const line of failures) assert.match(line, new RegExp(`^known-good: cannot pin 127\\.0\\.0\\.1:${port}/demo/.* at .*: cannot reach 127\\.0\\.0\\.1:${port}: ECONNREFUSED`));
    assert.match(r.stdout, /^Pinned 0 references in 0 files; 7 references failed;/m);
    assert.deepEqual(snapshot(dir), beforeSnap);
  });

  test('hanging registry with --timeout 1: failures after about a second, no edit', async (t) => {
    const hang = await startHangServer();
    try {
      const dir = fresh('hang');
      const text = `FROM 127.0.0.1:${hang.port}/demo/app:1.0\nFROM 127.0.0.1:${hang.port}/demo/app:1.0 AS again\n`;
      writeTree(dir, { Dockerfile: text });
      const r = await runCliAsync(['pin', '--timeout', '1'], dir, fresh('home'));
      t.diagnostic(`hanging registry, --timeout 1: exit ${r.code} after ${r.ms} ms (process start included)`);
      for (const line of r.stderr.trimEnd().split('\n')) t.diagnostic(line);
      assert.equal(r.code, 1);
      assert.ok(r.ms < 10_000, `took ${r.ms} ms`);
      assert.match(r.stderr, new RegExp(`127\\.0\\.0\\.1:${hang.port} did not answer within 1000 ms`));
      assert.equal(r.stderr.trimEnd().split('\n').length, 2, 'one failure per reference');
      assert.equal(read(dir, 'Dockerfile'), text);
    } finally {
      await hang.stop();
    }
  });

  test('--update re-pins a reference whose tag moved; without it the pin stays', async () => {
    await pushViaApi(reg.url, 'demo/moving', 'stable', [movingV1], movingV1.manifest);
    const dir = fresh('update');
    const home = fresh('home');
    writeTree(dir, { 'compose.yaml': `services:\n  web:\n    image: "${reg.host}/demo/moving:stable"\n` });
    assert.equal((await runCliAsync(['pin'], dir, home)).code, 0);
    const v1 = `services:\n  web:\n    image: "${reg.host}/demo/moving:stable@${movingV1.manifest.digest}"\n`;
    assert.equal(read(dir, 'compose.yaml'), v1);
    await pushViaApi(reg.url, 'demo/moving', 'stable', [movingV2], movingV2.manifest);
    const plain = await runCliAsync(['pin'], dir, home);
    assert.equal(plain.code, 0);
    assert.match(plain.stdout, /^Pinned 0 references in 0 files; 0 references failed; 1 already pinned; 0 tags looked up with 0 registry requests/);
    assert.equal(read(dir, 'compose.yaml'), v1);
    // The cache from the first run still says v1; --update asks the registry anyway.
    const update = await runCliAsync(['pin', '--update'], dir, home);
    assert.equal(update.code, 0, update.stderr);
    assert.equal(read(dir, 'compose.yaml'), v1.replace(movingV1.manifest.digest, movingV2.manifest.digest));
    assert.match(update.stdout, /^compose\.yaml: pinned 1 reference$/m);
    const again = await runCliAsync(['pin', '--update'], dir, home);
    assert.match(again.stdout, /^Pinned 0 references in 0 files; 0 references failed; 1 already pinned; 1 tag looked up/m);
  });

  test('the digest cache: default under $XDG_CACHE_HOME, --cache-dir, --no-cache', async () => {
    const home = fresh('home');
    const ws = () => {
      const dir = fresh('cache');
      writeTree(dir, { Dockerfile: `FROM ${reg.host}/demo/app:1.0\n` });
      return dir;
    };
    const first = await runCliAsync(['pin'], ws(), home);
    assert.match(first.stdout, /1 tag looked up with [1-9]\d* registry requests? \(0 from the cache\)/);
    const file = path.join(home, 'xdg', 'known-good', 'digests.json');
    assert.ok(fs.existsSync(file), 'default cache file written');
    const second = await runCliAsync(['pin'], ws(), home);
    assert.match(second.stdout, /1 tag looked up with 0 registry requests \(1 from the cache\)/);
    const bypass = await runCliAsync(['pin', '--no-cache'], ws(), home);
    assert.match(bypass.stdout, /1 tag looked up with [1-9]\d* registry requests? \(0 from the cache\)/);
    const dirCache = fresh('cachedir');
    await runCliAsync(['pin', '--cache-dir', dirCache], ws(), home);
    assert.ok(fs.existsSync(path.join(dirCache, 'digests.json')));
  });
});
