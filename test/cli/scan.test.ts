// scanWorkspace / auditWorkspace in-process: ignore files, skipped folders, symlinks, unreadable files, abort.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { auditWorkspace, scanWorkspace } from '../../server/src/audit';
import { candidateByName } from '../../server/src/scan';
import { FIXTURES } from './helpers';

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;
const temps: string[] = [];
after(() => temps.forEach((t) => fs.rmSync(t, { recursive: true, force: true })));

/** Make a tree in a fresh temp folder: path → content (string) or `{ link: target }`. */
function tree(files: Record<string, string | { link: string }>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-scan-'));
  temps.push(root);
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    if (typeof content === 'string') fs.writeFileSync(abs, content);
    else fs.symlinkSync(content.link, abs);
  }
  return root;
}

const files = async (root: string, paths?: string[]) => (await scanWorkspace(root, paths)).map((f) => `${f.file} ${f.kind}`);

describe('candidateByName', () => {
  const cases: [string, ReturnType<typeof candidateByName>][] = [
    ['Dockerfile', 'yes'],
    ['api.Dockerfile', 'yes'],
    ['Containerfile', 'yes'],
    ['task.json', 'yes'],
    ['task.json.tftpl', 'yes'],
    ['compose.yaml', 'yes'],
    ['main.tf', 'yes'],
    ['stack.template', 'yes'],
    ['run.sh', 'yes'],
    ['docker-entrypoint', 'shebang'],
    ['.env', 'no'],
    ['README.md', 'no'],
    ['index.js', 'no'],
  ];
  for (const [name, want] of cases) test(name, () => assert.equal(candidateByName(name), want));
});

describe('scanWorkspace', () => {
  test('the basic fixture: .gitignore (nested too), node_modules and non-candidates are skipped', async () => {
    assert.deepEqual(await files(path.join(FIXTURES, 'basic')), ['Dockerfile dockerfile', 'ecs/task-definition.json ecs-json', 'sub/Dockerfile dockerfile']);
  });

  test('gitignore negation, deeper files deciding, .git always skipped, shebang scripts kept', async () => {
    const root = tree({
      '.gitignore': 'Dockerfile.*\n!Dockerfile.keep\n',
      'Dockerfile.skip': 'FROM a:latest\n',
      'Dockerfile.keep': 'FROM a:latest\n',
      'svc/.gitignore': '!Dockerfile.local\n',
      'svc/Dockerfile.local': 'FROM a:latest\n',
      'svc/Dockerfile.other': 'FROM a:latest\n',
      '.git/Dockerfile': 'FROM a:latest\n',
      'bin/docker-entrypoint': '#!/bin/sh\nexec "$@"\n',
      'bin/notes': 'not a script\n',
    });
    assert.deepEqual(await files(root), ['Dockerfile.keep dockerfile', 'bin/docker-entrypoint shell', 'svc/Dockerfile.local dockerfile']);
  });

  test('.knowngood.yaml whole-path ignores prune the walk', async () => {
    const root = tree({ '.knowngood.yaml': 'ignore:\n  - vendor/\n  - "*.dev"\n', 'vendor/Dockerfile': 'FROM a\n', 'Dockerfile.dev': 'FROM a\n', 'Dockerfile': 'FROM a\n' });
    assert.deepEqual(await files(root), ['.knowngood.yaml knowngood-config', 'Dockerfile dockerfile']);
  });

  test('symbolic links: a loop is recorded, not followed; a linked folder is walked once; links out of the root are not followed; a broken link is recorded', async () => {
    const root = tree({
      'real/Dockerfile': `FROM alpine:3.20@${DIGEST}\n`,
      'real/loop': { link: '..' },
      'alias': { link: 'real' },
      'Dockerfile.gone': { link: 'missing/Dockerfile' },
      'self.sh': { link: 'self.sh' },
      'outside': { link: path.join(FIXTURES, 'basic') },
    });
    const result = await auditWorkspace(root, undefined);
    assert.deepEqual(result.files.map((f) => f.file), ['real/Dockerfile']);
    assert.deepEqual(result.errors, [
      { file: 'Dockerfile.gone', message: 'broken symbolic link' },
      { file: 'real/loop', message: 'symbolic link loop; not followed' },
      { file: 'self.sh', message: 'symbolic link loop; not followed' },
    ]);
  });

  test('FIFOs and other special files are never opened', { skip: process.platform === 'win32' }, async () => {
    const root = tree({ 'Dockerfile': 'FROM a\n' });
    execFileSync('mkfifo', [path.join(root, 'Dockerfile.pipe')]);
    assert.deepEqual(await files(root), ['Dockerfile dockerfile']);
  });

  /**
   * Audit `root` where unreadable things are unreadable: as root (CI), in a child process running as
   * `nobody`, since root reads any file.
   */
  function auditErrors(root: string): unknown {
    if (process.getuid?.() !== 0) return undefined;
    fs.chmodSync(root, 0o755);
    const script = `require(${JSON.stringify(require.resolve('../../server/src/audit'))}).auditWorkspace(${JSON.stringify(root)}).then((r) => process.stdout.write(JSON.stringify(r.errors)))`;
    return JSON.parse(execFileSync(process.execPath, ['-e', script], { uid: 65534, gid: 65534, encoding: 'utf8' })) as unknown;
  }

  test('an unreadable file is recorded in errors', { skip: process.platform === 'win32' }, async () => {
    const root = tree({ 'Dockerfile': 'FROM a\n', 'secret/Dockerfile': 'FROM a\n' });
    fs.chmodSync(path.join(root, 'secret/Dockerfile'), 0o000);
    const errors = auditErrors(root) ?? (await auditWorkspace(root, undefined)).errors;
    assert.deepEqual(errors, [{ file: 'secret/Dockerfile', message: 'permission denied' }]);
  });

  test('an unreadable folder is recorded in errors', { skip: process.platform === 'win32' }, async () => {
    const root = tree({ 'Dockerfile': 'FROM a\n', 'secret/Dockerfile': 'FROM a\n' });
    fs.chmodSync(path.join(root, 'secret'), 0o000);
    const errors = auditErrors(root) ?? (await auditWorkspace(root, undefined)).errors;
    fs.chmodSync(path.join(root, 'secret'), 0o755);
    assert.deepEqual(errors, [{ file: 'secret', message: 'permission denied' }]);
  });

  test('explicit paths outside the root are refused', async () => {
    await assert.rejects(scanWorkspace(path.join(FIXTURES, 'basic'), [FIXTURES]), /outside the root/);
  });

  test('an aborted signal stops the scan', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await assert.rejects(scanWorkspace(path.join(FIXTURES, 'basic'), undefined, { signal: controller.signal }), /stop/);
    await assert.rejects(auditWorkspace(path.join(FIXTURES, 'basic'), undefined, { signal: controller.signal }), /stop/);
  });
});

describe('auditWorkspace', () => {
  test('a script run by two Dockerfiles is reported once, with both runners related', async () => {
    const result = await auditWorkspace(path.join(FIXTURES, 'script'), undefined);
    assert.equal(result.findings.length, 1);
    const [f] = result.findings;
    assert.equal(f.location.file, 'docker/entrypoint.sh');
    assert.deepEqual([...new Set(f.related?.map((r) => r.location.file))], ['Dockerfile', 'Dockerfile.dev']);
  });

  test('auditing only the script still finds its runners through the workspace facts', async () => {
    const root = path.join(FIXTURES, 'script');
    const result = await auditWorkspace(root, [path.join(root, 'docker')]);
    assert.deepEqual(result.files.map((f) => f.file), ['docker/entrypoint.sh']);
    // Without its Dockerfiles in the audit, nothing says the script runs at start: no finding.
    assert.deepEqual(result.findings, []);
  });

  test('editor rules win over .knowngood.yaml; progress is reported per file', async () => {
    const progress: string[] = [];
    const result = await auditWorkspace(path.join(FIXTURES, 'config'), undefined, {
      editorRules: { 'latest-tag': 'hint', 'missing-digest': 'warning' },
      onProgress: (done, total) => progress.push(`${done}/${total}`),
    });
    assert.deepEqual(result.findings.map((f) => [f.ruleId, f.severity, f.range.start.line]), [
      ['missing-digest', 'warning', 0],
      ['latest-tag', 'hint', 1],
    ]);
    assert.deepEqual(progress, ['1/2', '2/2']);
  });
});
