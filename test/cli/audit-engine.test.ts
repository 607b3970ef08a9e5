// The audit engine's three ways of working give the same results: in this thread, in worker threads,
// and from the on-disk cache; the cache re-analyses exactly the files whose text, dependencies or
// workspace facts changed, and survives damage. Real corpus files, real threads, real files on disk.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { auditWorkspace, type AuditResult } from '../../server/src/audit';
import { REPO, runCli } from './helpers';

const CORPUS = path.resolve(REPO, '..', 'shared', 'corpus', 'files');

/** A workspace of the shared corpus, the demo, copies of both, and the cross-file cases (scripts, ECR exclusions). */
function workspace(copies = 3): string {
  const root = mkdtempSync(path.join(tmpdir(), 'kg-engine-'));
  cpSync(CORPUS, path.join(root, 'corpus'), { recursive: true });
  cpSync(path.join(REPO, 'examples', 'demo'), path.join(root, 'demo'), { recursive: true });
  for (let i = 0; i < copies; i++) cpSync(path.join(root, 'corpus'), path.join(root, `copy-${i}`), { recursive: true });
  // A script run by two Dockerfiles, and an ECR repository whose exclusions a task definition's tag matches.
  mkdirSync(path.join(root, 'svc'));
  writeFileSync(path.join(root, 'svc', 'entrypoint.sh'), '#!/bin/sh\npip install requests\nexec "$@"\n');
  writeFileSync(path.join(root, 'svc', 'Dockerfile'), 'FROM python:3.12@sha256:' + 'a'.repeat(64) + '\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\n');
  writeFileSync(path.join(root, 'svc', 'worker.Dockerfile'), 'FROM python:3.12@sha256:' + 'b'.repeat(64) + '\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\n');
  writeFileSync(
    path.join(root, 'svc', 'ecr.tf'),
    'resource "aws_ecr_repository" "app" {\n  name = "app"\n  image_tag_mutability = "IMMUTABLE_WITH_EXCLUSION"\n  image_tag_mutability_exclusion_filter {\n    filter = "dev-*"\n    filter_type = "WILDCARD"\n  }\n}\n',
  );
  writeFileSync(path.join(root, 'svc', 'task.json'), JSON.stringify({ family: 'app', containerDefinitions: [{ name: 'app', image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/app:dev-42' }] }, null, 2));
  symlinkSync(path.join(root, 'svc', 'Dockerfile'), path.join(root, 'svc', 'linked.Dockerfile'));
  return root;
}

/** The parts of a result that must not depend on how the audit ran, as every output writes them (JSON drops undefined). */
const comparable = (r: AuditResult) => JSON.parse(JSON.stringify({ files: r.files, findings: r.findings, errors: r.errors })) as { findings: unknown[] };

describe('audit engine', { skip: !existsSync(CORPUS) && 'the shared corpus is not beside the repository' }, () => {
  test('worker threads and this thread give identical results', async () => {
    const root = workspace();
    try {
      const inThread = await auditWorkspace(root, undefined, { workers: 0 });
      const threaded = await auditWorkspace(root, undefined, { workers: 2, workerThreshold: 1 });
      assert.equal(inThread.stats?.workers, 0);
      assert.equal(threaded.stats?.workers, 2);
      assert.ok(inThread.files.length > 100, `${inThread.files.length} files`);
      // The cross-file findings are there: the script through both Dockerfiles, the ECR exclusion through the task's tag.
      const script = inThread.findings.find((f) => f.location.file === 'svc/entrypoint.sh' && f.ruleId === 'runtime-install');
      assert.ok(script, 'the script run at start is reported');
      assert.equal(script.related?.filter((r) => /Dockerfile$/.test(r.location.file) && r.range).length, 6, JSON.stringify(script.related));
      assert.ok(inThread.findings.some((f) => f.location.file === 'svc/ecr.tf' && /dev-42/.test(f.message)));
      assert.deepEqual(comparable(threaded), comparable(inThread));
      // Paths restrict the audit the same way.
      assert.deepEqual(comparable(await auditWorkspace(root, ['svc', 'demo'], { workers: 2, workerThreshold: 1 })), comparable(await auditWorkspace(root, ['svc', 'demo'], { workers: 0 })));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('the cache answers unchanged files and re-analyses changed texts, dependencies and facts', async () => {
    const root = workspace();
    const cache = path.join(root, '..', `${path.basename(root)}.cache.json`);
    try {
      for (const workers of [0, 2]) {
        rmSync(cache, { force: true });
        const opts = { workers, workerThreshold: 1, cache };
        const first = await auditWorkspace(root, undefined, opts);
        assert.equal(first.stats?.cached, 0);
        const second = await auditWorkspace(root, undefined, opts);
        assert.equal(second.stats?.analysed, 0, `${workers} workers: nothing changed`);
        assert.equal(second.stats?.cached, first.files.length);
        assert.deepEqual(comparable(second), comparable(first));

        // The script changes: the script and both Dockerfiles that read it are analysed again.
        const script = path.join(root, 'svc', 'entrypoint.sh');
        const before = readFileSync(script, 'utf8');
        writeFileSync(script, before.replace('pip install requests', 'echo ready'));
        const third = await auditWorkspace(root, undefined, opts);
        assert.equal(third.stats?.analysed, 4, `${workers} workers: the script, the two Dockerfiles and the link`);
        assert.ok(!third.findings.some((f) => f.location.file === 'svc/entrypoint.sh' && f.ruleId === 'runtime-install'));
        assert.deepEqual(comparable(third), comparable(await auditWorkspace(root, undefined, { workers: 0 })));
        writeFileSync(script, before);

        // The task's tag leaves the exclusion: facts change, the Terraform file is analysed again with them.
        const task = path.join(root, 'svc', 'task.json');
        const taskText = readFileSync(task, 'utf8');
        writeFileSync(task, taskText.replace('dev-42', '1.4.2'));
        const fourth = await auditWorkspace(root, undefined, opts);
        assert.ok(!fourth.findings.some((f) => f.location.file === 'svc/ecr.tf' && /dev-42/.test(f.message)));
        assert.deepEqual(comparable(fourth), comparable(await auditWorkspace(root, undefined, { workers: 0 })));
        writeFileSync(task, taskText);

        // A settings change invalidates everything.
        writeFileSync(path.join(root, '.knowngood.yaml'), 'rules:\n  latest-tag: off\n');
        const fifth = await auditWorkspace(root, undefined, opts);
        assert.equal(fifth.stats?.cached, 0);
        assert.ok(!fifth.findings.some((f) => f.ruleId === 'latest-tag'));
        rmSync(path.join(root, '.knowngood.yaml'));
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
      rmSync(cache, { force: true });
    }
  });

  test('a damaged or unwritable cache costs speed, never results', async () => {
    const root = workspace();
    const dir = mkdtempSync(path.join(tmpdir(), 'kg-cache-'));
    try {
      const plain = comparable(await auditWorkspace(root, undefined, { workers: 0 }));
      const cache = path.join(dir, 'cache.json');
      for (const damage of ['', '{"format":1,"key":', 'null', '{"format":1,"key":"x","entries":{}}', '\u0000\u0001binary']) {
        writeFileSync(cache, damage);
        const r = await auditWorkspace(root, undefined, { workers: 2, workerThreshold: 1, cache });
        assert.deepEqual(comparable(r), plain, JSON.stringify(damage));
        assert.equal(r.stats?.cached, 0);
      }
      // A cache whose entries lie (same key, other findings) is trusted only where the hashes match.
      const doc = JSON.parse(readFileSync(cache, 'utf8')) as { entries: Record<string, { hash: string; findings: unknown[] }> };
      const victim = Object.keys(doc.entries).find((f) => doc.entries[f].findings.length)!;
      doc.entries[victim].hash = 'not-the-hash';
      doc.entries[victim].findings = [];
      writeFileSync(cache, JSON.stringify(doc));
      const healed = await auditWorkspace(root, undefined, { workers: 2, workerThreshold: 1, cache });
      assert.deepEqual(comparable(healed), plain);
      assert.equal(healed.stats?.analysed, 1);

      // Through the CLI: a cache in a folder it may not write is a warning; the report and exit code stand.
      const locked = path.join(dir, 'locked');
      mkdirSync(locked);
      chmodSync(locked, 0o500);
      const out = runCli(['audit', '.', '--format', 'json', '--fail-on', 'none', '--cache-location', path.join(locked, 'sub', 'c.json')], root);
      chmodSync(locked, 0o700);
      assert.equal(out.code, 0, out.stderr);
      if (process.getuid?.() !== 0) assert.match(out.stderr, /could not write the audit cache/);
      const viaCli = JSON.parse(out.stdout) as { findings: unknown[] };
      assert.equal(viaCli.findings.length, plain.findings.length);
    } finally {
      rmSync(root, { recursive: true, force: true });
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the CLI: --jobs and --cache give the report of a plain run, byte for byte', () => {
    const root = workspace(12); // over the 400 files that start workers
    assert.ok(runCli(['audit', '.', '--format', 'json', '--fail-on', 'none'], root).stdout.split('"kind"').length > 401);
    const cache = path.join(root, '..', `${path.basename(root)}.cli-cache.json`);
    try {
      const args = ['audit', '.', '--format', 'json', '--fail-on', 'none'];
      const plain = runCli([...args, '--jobs', '1'], root);
      assert.equal(plain.code, 0, plain.stderr);
      for (const extra of [['--jobs', '2'], ['--cache-location', cache], ['--cache-location', cache, '--jobs', '2']]) {
        const r = runCli([...args, ...extra], root);
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stdout, plain.stdout, extra.join(' '));
      }
      assert.match(runCli([...args, '--cache-location', cache], root).stderr, /(\d+) of \1 files unchanged since the cached audit/);
      for (const bad of [['--jobs', '0'], ['--jobs', 'two'], ['--max-file-size', '0'], ['--cache-location', '']]) {
        const r = runCli([...args, ...bad], root);
        assert.equal(r.code, 2, bad.join(' '));
        assert.match(r.stderr, /known-good: --/);
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
      rmSync(cache, { force: true });
    }
  });
});
