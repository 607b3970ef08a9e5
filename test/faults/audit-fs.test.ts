// The audit survives a hostile file system: symbolic link loops, unreadable files and folders, files
// deleted while it runs, and names with spaces and non-ASCII characters (text, JSON and SARIF output).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { auditWorkspace } from '../../server/src/audit';
import { walk, type ScanError } from '../../server/src/scan';
import { CLI, runCli } from '../cli/helpers';
import { CaseCount, makeTree, sarifValidator } from '../hostile/helpers';

const DOCKERFILE = 'FROM node:latest\nCMD npm install\n';
const cases = new CaseCount('file-system fault cases');
const roots: string[] = [];
const tree = (files: Record<string, string>) => {
  const root = makeTree(files, 'kg-faults-');
  roots.push(root);
  return root;
};

/** Every file under `root` with its bytes (links not followed), to prove the audit changed nothing. */
function snapshot(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const abs = path.join(dir, e.name);
      if (e.isDirectory()) walk(abs);
      else if (e.isFile()) out.set(path.relative(root, abs), readFileSync(abs, 'latin1'));
    }
  };
  walk(root);
  return out;
}

void describe('the audit on a hostile file system', () => {
  after(() => {
    for (const r of roots) {
      spawnSync('chmod', ['-R', 'u+rwx', r]);
      rmSync(r, { recursive: true, force: true });
    }
    console.log(cases.summary());
  });

  void test('symbolic link loops are reported once each and not followed; every real file is audited once', async () => {
    const root = tree({ Dockerfile: DOCKERFILE, 'a/Dockerfile': 'FROM python:3.12\n', 'b/c/Dockerfile': 'FROM redis\n' });
    symlinkSync('..', path.join(root, 'a/loop'));
    symlinkSync('../..', path.join(root, 'b/c/up'));
    symlinkSync('self', path.join(root, 'self'));
    symlinkSync('ping', path.join(root, 'pong'));
    symlinkSync('pong', path.join(root, 'ping'));
    const before = snapshot(root);
    const r = await auditWorkspace(root, undefined);
    assert.deepEqual(r.files.map((f) => f.file), ['Dockerfile', 'a/Dockerfile', 'b/c/Dockerfile']);
    assert.deepEqual(r.errors, [
      { file: 'a/loop', message: 'symbolic link loop; not followed' },
      { file: 'b/c/up', message: 'symbolic link loop; not followed' },
      { file: 'ping', message: 'symbolic link loop; not followed' },
      { file: 'pong', message: 'symbolic link loop; not followed' },
      { file: 'self', message: 'symbolic link loop; not followed' },
    ]);
    assert.deepEqual(r.findings.map((f) => `${f.location.file} ${f.ruleId}`), ['Dockerfile latest-tag', 'Dockerfile runtime-install', 'a/Dockerfile missing-digest', 'b/c/Dockerfile latest-tag']);
    assert.deepEqual(snapshot(root), before);
    cases.add('symlink loops (5 links)');
  });

  void test('unreadable files and folders: "permission denied" for each, the rest audited (run as nobody when the tests run as root)', () => {
    const root = tree({ 'ok/Dockerfile': DOCKERFILE, 'secret/Dockerfile': DOCKERFILE, 'locked/Dockerfile': DOCKERFILE, 'app/Dockerfile': 'FROM node:20\nCOPY start.sh /start.sh\nCMD ["/start.sh"]\n', 'app/start.sh': '#!/bin/sh\npip install x\n', 'app/.knowngood.yaml': 'rules: {}\n' });
    chmodSync(root, 0o755);
    chmodSync(path.join(root, 'secret'), 0o000);
    chmodSync(path.join(root, 'locked/Dockerfile'), 0o000);
    chmodSync(path.join(root, 'app/start.sh'), 0o000);
    const asNobody = process.getuid?.() === 0;
    const r = asNobody
      ? spawnSync(process.execPath, [CLI, 'audit', '--format', 'json', '--fail-on', 'none'], { cwd: root, uid: 65534, gid: 65534, encoding: 'utf8', timeout: 60_000 })
      : spawnSync(process.execPath, [CLI, 'audit', '--format', 'json', '--fail-on', 'none'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { errors: { file: string; message: string }[]; findings: { file: string; ruleId: string }[] };
    assert.deepEqual(report.errors, [
      { file: 'app/start.sh', message: 'permission denied' },
      { file: 'locked/Dockerfile', message: 'permission denied' },
      { file: 'secret', message: 'permission denied' },
    ]);
    assert.deepEqual(report.findings.map((f) => `${f.file} ${f.ruleId}`), ['app/Dockerfile missing-digest', 'ok/Dockerfile latest-tag', 'ok/Dockerfile runtime-install']);
    assert.match(r.stderr, /could not read locked\/Dockerfile: permission denied/);
    cases.add(`unreadable file, folder and entrypoint script (${asNobody ? 'as nobody' : 'as this user'})`);
  });

  void test('files and folders deleted while the audit runs: no error, no crash, every reported file complete', async (t) => {
    const files: Record<string, string> = {};
    for (let d = 0; d < 150; d++) for (let f = 0; f < 8; f++) files[`d${d}/s${f}/Dockerfile`] = DOCKERFILE;
    const root = tree(files);
    const dirs = Object.keys(files).map((f) => f.split('/')[0]).filter((d, i, a) => a.indexOf(d) === i);
    let deleting = true;
    let deleted = 0;
    // Delete folders from under the walk, one every turn of the event loop, while the audit runs.
    const deleter = (async () => {
      for (const d of dirs.filter((_, i) => i % 2 === 1)) {
        if (!deleting) break;
        await new Promise((resolve) => setImmediate(resolve));
        rmSync(path.join(root, d), { recursive: true, force: true });
        deleted++;
      }
    })();
    let progressDeletes = 0;
    const result = await auditWorkspace(root, undefined, {
      concurrency: 4,
      // And during the second pass, delete files whose text was already read.
      onProgress: (done) => {
        if (done % 50 !== 0) return;
        const victim = path.join(root, `d${done % 150 === 0 ? 0 : 2 * ((done / 50) % 75)}`);
        if (existsSync(victim)) {
          rmSync(victim, { recursive: true, force: true });
          progressDeletes++;
        }
      },
    });
    deleting = false;
    await deleter;
    assert.deepEqual(result.errors, [], 'a vanished entry is not a read error');
    const reported = new Set(result.files.map((f) => f.file));
    assert.ok(reported.size > 0 && reported.size <= Object.keys(files).length);
    for (const f of reported) assert.ok(f in files, `unknown file ${f}`);
    // Each audited file has its whole text's findings: nothing half-read.
    const byFile = new Map<string, string[]>();
    for (const f of result.findings) byFile.set(f.location.file, [...(byFile.get(f.location.file) ?? []), f.ruleId]);
    assert.deepEqual([...byFile.keys()].sort(), [...reported].sort());
    for (const [file, rules] of byFile) assert.deepEqual(rules, ['latest-tag', 'runtime-install'], file);
    t.diagnostic(`${Object.keys(files).length} files, ${deleted} folders deleted during the walk and ${progressDeletes} during the findings pass; ${reported.size} files audited, 0 errors`);
    cases.add('deletion during the walk and during the findings pass');
  });

  void test('the walk itself: every queued folder and pending read deleted from the first file found', async () => {
    const files: Record<string, string> = {};
    for (let d = 0; d < 40; d++) for (let f = 0; f < 5; f++) files[`d${d}/f${f}/Dockerfile`] = DOCKERFILE;
    const root = tree(files);
    const found: string[] = [];
    const errors: ScanError[] = [];
    await walk(root, undefined, { concurrency: 2 }, (f) => {
      found.push(f.file);
      // From inside the walk: remove everything else, listed or not yet.
      if (found.length === 1) for (const d of readdirSync(root)) if (!f.file.startsWith(`${d}/`)) rmSync(path.join(root, d), { recursive: true, force: true });
    }, (e) => errors.push(e));
    assert.deepEqual(errors, []);
    assert.ok(found.length >= 1 && found.length < 200, `${found.length} files found`);
    cases.add('deletion from inside the walk');
  });

  void test('names with spaces, non-ASCII and URI-significant characters: text and JSON as written, SARIF URIs percent-encoded', () => {
    const names: Record<string, string> = {
      'my app/Dockerfile': 'my%20app/Dockerfile',
      'ünïcödé/日本語/Dockerfile': '%C3%BCn%C3%AFc%C3%B6d%C3%A9/%E6%97%A5%E6%9C%AC%E8%AA%9E/Dockerfile',
      'we#ird%20name/Dockerfile': 'we%23ird%2520name/Dockerfile',
      'whale 🐳/Dockerfile': 'whale%20%F0%9F%90%B3/Dockerfile',
      'a?b[c]/Dockerfile': 'a%3Fb%5Bc%5D/Dockerfile',
    };
    const root = tree(Object.fromEntries(Object.keys(names).map((n) => [n, 'FROM node:latest\n'])));
    const sorted = Object.keys(names).sort();
    const text = runCli(['audit', '--format', 'text'], root);
    assert.equal(text.code, 1, text.stderr);
    assert.deepEqual(text.stdout.split('\n').filter((l) => l.includes('latest-tag')).map((l) => l.split(':1:6')[0]), sorted);
    const json = JSON.parse(runCli(['audit', '--format', 'json'], root).stdout) as { files: { file: string }[]; findings: { file: string }[] };
    assert.deepEqual(json.files.map((f) => f.file), sorted);
    assert.deepEqual(json.findings.map((f) => f.file), sorted);
    const sarifRun = runCli(['audit', '--format', 'sarif'], root);
    const sarif = JSON.parse(sarifRun.stdout) as { runs: { originalUriBaseIds: Record<string, { uri: string }>; results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    assert.deepEqual(sarifValidator()(sarif), []);
    const base = sarif.runs[0].originalUriBaseIds['%SRCROOT%'].uri;
    const uris = sarif.runs[0].results.map((r) => r.locations[0].physicalLocation.artifactLocation.uri);
    assert.deepEqual(uris, sorted.map((n) => names[n]));
    // Each URI, resolved against the root, names the very file on disk.
    for (const [i, uri] of uris.entries()) assert.equal(fileURLToPath(new URL(uri, base)), path.join(root, sorted[i]));
    cases.add(`${sorted.length} unusual file names through text, JSON and SARIF`);
  });

  void test('an oversized supported file is reported, not read; a huge unsupported file is passed over silently', async () => {
    const root = tree({ Dockerfile: DOCKERFILE });
    mkdirSync(path.join(root, 'big'));
    writeFileSync(path.join(root, 'big/Dockerfile'), `FROM node:latest\n${'#'.repeat(11 * 1024 * 1024)}\n`);
    writeFileSync(path.join(root, 'big/data.json'), `[${'0,'.repeat(6 * 1024 * 1024)}0]`);
    writeFileSync(path.join(root, 'big/compose.yaml'), `services:\n  a:\n    image: nginx:latest\n# ${'x'.repeat(2 * 1024 * 1024)}\n`);
    const r = await auditWorkspace(root, undefined);
    assert.deepEqual(r.errors, [{ file: 'big/Dockerfile', message: 'larger than 10 MB; not read' }]);
    assert.deepEqual(r.findings.map((f) => `${f.location.file} ${f.ruleId} ${f.severity}`), ['Dockerfile latest-tag warning', 'Dockerfile runtime-install error', 'big/compose.yaml skipped-file info']);
    assert.match(r.findings[2].message, /it is 2\.0 MB, over the 1024 KB limit/);
    const raised = await auditWorkspace(root, ['big/compose.yaml'], { maxFileSize: 4 * 1024 * 1024 });
    assert.deepEqual(raised.findings.map((f) => f.ruleId), ['latest-tag']);
    cases.add('oversized files (11 MB Dockerfile, 12 MB JSON, 2 MB compose)');
  });
});
