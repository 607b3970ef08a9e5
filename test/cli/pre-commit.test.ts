// .pre-commit-hooks.yaml: the hooks' shape, their `files` pattern against the CLI's own idea of a
// candidate file, `known-good audit FILES...` run as pre-commit runs it, and (with Debian's
// `pre-commit` installed) a real `pre-commit run` of a hook with the same entry and pattern.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { candidateByName } from '../../server/src/scan';
import { CLI, REPO, runCli } from './helpers';

interface Hook { id: string; entry: string; language: string; pass_filenames: boolean; files?: string; always_run?: boolean; types?: string[] }
const hooks = parse(readFileSync(path.join(REPO, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];
const hook = hooks.find((h) => h.id === 'known-good')!;
/** Python's leading `(?i)` as a JS flag. */
const filesPattern = new RegExp(hook.files!.replace(/^\(\?i\)/, ''), hook.files!.startsWith('(?i)') ? 'i' : '');

function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'known-good-precommit-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

const FILES = {
  Dockerfile: 'FROM node:latest\nCMD ["node", "server.js"]\n',
  'my app/Dockerfile': 'FROM python:3.12\n',
  'deploy/task-definition.json': '{"family": "f", "containerDefinitions": [{"name": "c", "image": "nginx:1.27"}]}\n',
  'clean/Dockerfile': `FROM node:20.11.1@sha256:${'ab12'.repeat(16)}\n`,
  'ignored/Dockerfile': 'FROM node:latest\n',
  '.knowngood.yaml': 'ignore:\n  - ignored/\n',
  'README.md': '# FROM node:latest\n',
  'docker-entrypoint': '#!/bin/sh\nexec node server.js\n',
};

describe('pre-commit hooks', () => {
  test('known-good passes file names to `known-good audit` (node); known-good-repository audits everything', () => {
    assert.deepEqual(
      hooks.map((h) => [h.id, h.entry, h.language, h.pass_filenames, h.always_run ?? false]),
      [
        ['known-good', 'known-good audit', 'node', true, false],
        ['known-good-repository', 'known-good audit', 'node', false, true],
      ],
    );
  });

  test('the files pattern selects exactly the names the CLI reads (and extension-less scripts)', () => {
    const names = [
      'Dockerfile', 'app/Dockerfile.prod', 'svc/api.dockerfile', 'Containerfile', 'deploy/task-definition.json', 'compose.yaml', 'docker-compose.yml',
      'infra/main.tf', 'task.json.tftpl', 'stack.template', 'bin/start.sh', 'run.bash', 'docker-entrypoint', '.knowngood.yaml',
      'README.md', 'src/app.py', '.env', 'package-lock.json5', 'notes.txt', 'Makefile.am',
    ];
    for (const name of names) {
      const base = path.posix.basename(name);
      assert.equal(filesPattern.test(name), candidateByName(base) !== 'no', name);
    }
  });

  test('`known-good audit FILES...` from the repository root: only those files, .knowngood.yaml honoured', () => {
    const dir = repo(FILES);
    try {
      const passed = Object.keys(FILES).filter((f) => filesPattern.test(f));
      assert.deepEqual(passed.sort(), ['.knowngood.yaml', 'Dockerfile', 'clean/Dockerfile', 'deploy/task-definition.json', 'docker-entrypoint', 'ignored/Dockerfile', 'my app/Dockerfile']);
      const r = runCli(['audit', '--format', 'json', ...passed], dir);
      assert.equal(r.code, 1, r.stderr);
      const report = JSON.parse(r.stdout) as { files: { file: string }[]; findings: { file: string; ruleId: string }[] };
      assert.deepEqual(report.findings.map((f) => `${f.file} ${f.ruleId}`), ['Dockerfile latest-tag', 'deploy/task-definition.json missing-digest', 'my app/Dockerfile missing-digest']);
      assert.deepEqual(report.files.map((f) => f.file), ['.knowngood.yaml', 'Dockerfile', 'clean/Dockerfile', 'deploy/task-definition.json', 'docker-entrypoint', 'my app/Dockerfile']);
      // A commit touching only clean files passes; one touching only files the CLI does not read, too.
      assert.equal(runCli(['audit', 'clean/Dockerfile', 'docker-entrypoint'], dir).code, 0);
      assert.equal(runCli(['audit', 'README.md'], dir).code, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const precommit = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' });
  test('a real `pre-commit run` with the hook\'s entry and pattern', { skip: precommit.status === 0 ? false : 'needs pre-commit (apt-get install pre-commit)' }, () => {
    const dir = repo(FILES);
    try {
      // The published hook installs the package (language: node); here the same entry runs the built CLI.
      const local = { repos: [{ repo: 'local', hooks: [{ id: 'known-good', name: 'Known Good', entry: `node ${CLI} audit`, language: 'system', files: hook.files, types: hook.types, pass_filenames: true }] }] };
      writeFileSync(path.join(dir, '.pre-commit-config.yaml'), JSON.stringify(local));
      const git = (...args: string[]) => spawnSync('git', args, { cwd: dir, encoding: 'utf8' });
      git('init', '-q');
      git('add', '.');
      const env = { ...process.env, PRE_COMMIT_HOME: path.join(dir, '.pre-commit-home'), GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' };
      const run = (...files: string[]) => spawnSync('pre-commit', ['run', '--files', ...files], { cwd: dir, encoding: 'utf8', env, timeout: 120_000 });
      const failing = run('Dockerfile', 'README.md', 'clean/Dockerfile');
      assert.equal(failing.status, 1, failing.stdout + failing.stderr);
      assert.match(failing.stdout, /Known Good\.+Failed/);
      assert.match(failing.stdout, /Dockerfile:1:6 {2}warning {2}latest-tag/);
      // README.md never reaches the CLI; .knowngood.yaml is always read (a broken config is reported).
      assert.match(failing.stdout, /1 problem \(0 errors, 1 warning, 0 info\); 3 files audited\./);
      const passing = run('clean/Dockerfile', 'README.md');
      assert.equal(passing.status, 0, passing.stdout + passing.stderr);
      assert.match(passing.stdout, /Known Good\.+Passed/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
