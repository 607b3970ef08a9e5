// `known-good audit --check-stale` against a real registry: a pin whose tag moved is reported in
// every format, one that did not is not, nothing is asked without the flag, failures are warnings.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { freePort } from '../registry/helpers/net';
import { buildImage, pushViaApi } from '../registry/helpers/oci';
import { type ReverseProxy, startReverseProxy } from '../registry/helpers/proxies';
import { type RegistryHandle, startRegistry } from '../registry/helpers/registry';
import { skipUnlessTools } from '../registry/helpers/tools';
import { read, runCliAsync, writeTree } from './pin-helpers';

const v1 = buildImage('stale fixture: rolling v1');
const v2 = buildImage('stale fixture: rolling v2');
const fixed = buildImage('stale fixture: fixed');

let reg: RegistryHandle;
let proxy: ReverseProxy;
let work: string;
let home: string;
let dir: string;
const manifestRequests = (): number => proxy.seen.filter((s) => s.url.includes('/manifests/')).length;

interface Finding {
  file: string;
  ruleId: string;
  severity: string;
  message: string;
  range: { start: { line: number; column: number }; end: { line: number; column: number } };
}

describe('audit --check-stale against a real registry', { skip: skipUnlessTools() }, () => {
  let rolling: string;
  before(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-stale-'));
    home = fs.mkdtempSync(path.join(work, 'home-'));
    dir = fs.mkdtempSync(path.join(work, 'ws-'));
    reg = await startRegistry();
    proxy = await startReverseProxy(reg.host);
    await pushViaApi(reg.url, 'demo/app', 'rolling', [v1], v1.manifest);
    await pushViaApi(reg.url, 'demo/app', 'fixed', [fixed], fixed.manifest);
    rolling = `${proxy.host}/demo/app:rolling`;
    writeTree(dir, { Dockerfile: `FROM ${rolling} AS app\nFROM ${proxy.host}/demo/app:fixed\n` });
    // Pin both (v1), then move the tag: the pin is now stale. The pin run leaves v1 in the cache.
    const pinned = await runCliAsync(['pin'], dir, home);
    assert.equal(pinned.code, 0, pinned.stderr);
    assert.equal(read(dir, 'Dockerfile'), `FROM ${rolling}@${v1.manifest.digest} AS app\nFROM ${proxy.host}/demo/app:fixed@${fixed.manifest.digest}\n`);
    await pushViaApi(reg.url, 'demo/app', 'rolling', [v2], v2.manifest);
  });
  after(async () => {
    await proxy?.stop();
    await reg?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  /** The stale reference: line 1, from column 6 to the end of `rolling@digest`. */
  const expectedRange = () => ({ start: { line: 1, column: 6 }, end: { line: 1, column: 6 + `${rolling}@${v1.manifest.digest}`.length } });

  test('json: exactly one stale-digest finding, at the moved pin, asked of the registry despite the cache', async (t) => {
    const seen = manifestRequests();
    const r = await runCliAsync(['audit', '--check-stale', '--format', 'json'], dir, home);
    t.diagnostic(`--check-stale: ${manifestRequests() - seen} manifest requests, ${r.ms} ms; ${r.stderr.trim()}`);
    assert.equal(r.code, 0, r.stderr); // info is below the default --fail-on warning
    const doc = JSON.parse(r.stdout) as { findings: Finding[] };
    assert.equal(doc.findings.length, 1, r.stdout);
    const [f] = doc.findings;
    assert.equal(f.ruleId, 'stale-digest');
    assert.equal(f.file, 'Dockerfile');
    assert.equal(f.severity, 'info');
    assert.deepEqual(f.range, expectedRange());
    assert.ok(f.message.includes(v2.manifest.digest.slice(0, 19)) && f.message.includes(v1.manifest.digest.slice(0, 19)), f.message);
    assert.equal(manifestRequests() - seen, 2, 'one request per pinned tag');
    assert.match(r.stderr, /^known-good: --check-stale: 2 pinned tags checked with \d+ registry requests\n$/);
  });

  test('text and sarif report it too', async () => {
    const text = await runCliAsync(['audit', '--check-stale'], dir, home);
    assert.match(text.stdout, /^Dockerfile:1:6 {2}info {2}stale-digest {2}`.*demo\/app:rolling` now points to/m);
    const sarif = await runCliAsync(['audit', '--check-stale', '--format', 'sarif'], dir, home);
    const log = JSON.parse(sarif.stdout) as {
      runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; ruleIndex: number; level: string; locations: { physicalLocation: { region: object } }[] }[] }[];
    };
    const run = log.runs[0];
    assert.equal(run.results.length, 1);
    const [res] = run.results;
    assert.equal(res.ruleId, 'stale-digest');
    assert.equal(run.tool.driver.rules[res.ruleIndex].id, 'stale-digest');
    assert.equal(res.level, 'note');
    const { start, end } = expectedRange();
    assert.deepEqual(res.locations[0].physicalLocation.region, { startLine: 1, startColumn: start.column, endLine: 1, endColumn: end.column });
  });

  test('without --check-stale: no stale-digest finding and no request', async () => {
    const seen = proxy.seen.length;
    const r = await runCliAsync(['audit', '--format', 'json'], dir, home);
    assert.equal(r.code, 0);
    assert.equal(r.stderr, '');
    assert.deepEqual((JSON.parse(r.stdout) as { findings: Finding[] }).findings, []);
    assert.equal(proxy.seen.length, seen);
  });

  test('.knowngood.yaml sets the level (warning fails the audit) or turns the check off (no request)', async () => {
    const configured = fs.mkdtempSync(path.join(work, 'configured-'));
    writeTree(configured, { Dockerfile: read(dir, 'Dockerfile'), '.knowngood.yaml': 'rules:\n  stale-digest: warning\n' });
    const warn = await runCliAsync(['audit', '--check-stale', '--format', 'json'], configured, home);
    assert.equal(warn.code, 1);
    assert.deepEqual((JSON.parse(warn.stdout) as { findings: Finding[] }).findings.map((f) => [f.ruleId, f.severity]), [['stale-digest', 'warning']]);

    fs.writeFileSync(path.join(configured, '.knowngood.yaml'), 'rules:\n  stale-digest: off\n');
    const seen = proxy.seen.length;
    const off = await runCliAsync(['audit', '--check-stale', '--format', 'json'], configured, home);
    assert.equal(off.code, 0);
    assert.deepEqual((JSON.parse(off.stdout) as { findings: Finding[] }).findings, []);
    assert.equal(off.stderr, 'known-good: warning: stale-digest is off in .knowngood.yaml; --check-stale checks nothing\n');
    assert.equal(proxy.seen.length, seen);
  });

  test('a registry that cannot be reached is a warning on stderr, not a finding, and does not change the exit code', async () => {
    const port = await freePort();
    const down = fs.mkdtempSync(path.join(work, 'down-'));
    const digest = v1.manifest.digest;
    writeTree(down, { Dockerfile: `FROM 127.0.0.1:${port}/demo/app:1.0@${digest}\n`, 'sub/Dockerfile': `FROM 127.0.0.1:${port}/demo/app:1.0@${digest}\n` });
    const r = await runCliAsync(['audit', '--check-stale', '--format', 'json'], down, home);
    assert.equal(r.code, 0);
    assert.deepEqual((JSON.parse(r.stdout) as { findings: Finding[] }).findings, []);
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 2, r.stderr);
    assert.match(lines[0], new RegExp(`^known-good: warning: could not check 127\\.0\\.0\\.1:${port}/demo/app:1\\.0 \\(Dockerfile:1, sub/Dockerfile:1\\) for a newer digest: cannot reach 127\\.0\\.0\\.1:${port}: ECONNREFUSED`));
    assert.match(lines[1], /^known-good: --check-stale: 1 pinned tag checked with \d+ registry requests?, 1 could not be checked$/);
  });
});
