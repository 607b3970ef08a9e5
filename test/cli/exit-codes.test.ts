// Exit codes (0/1/2) for --fail-on thresholds, usage errors and unwritable output; --output writes the file.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FIXTURES, REPO, runCli } from './helpers';

const fx = (name: string) => path.join(FIXTURES, name);

describe('--fail-on thresholds', () => {
  // basic: 3 warnings; script: 1 error; levels: 1 info; clean: nothing.
  const cases: [fixture: string, args: string[], code: number][] = [
    ['basic', [], 1],
    ['basic', ['--fail-on', 'warning'], 1],
    ['basic', ['--fail-on', 'error'], 0],
    ['basic', ['--fail-on', 'info'], 1],
    ['basic', ['--fail-on', 'none'], 0],
    ['script', ['--fail-on', 'error'], 1],
    ['script', ['--fail-on', 'none'], 0],
    ['levels', [], 0],
    ['levels', ['--fail-on', 'warning'], 0],
    ['levels', ['--fail-on', 'info'], 1],
    ['levels', ['--fail-on', 'error'], 0],
    ['clean', [], 0],
    ['clean', ['--fail-on', 'info'], 0],
    ['bad-config', ['--fail-on', 'error'], 1],
  ];
  for (const [fixture, args, code] of cases) {
    test(`${fixture} ${args.join(' ') || '(default)'} exits ${code}`, () => {
      const r = runCli(['audit', ...args], fx(fixture));
      assert.equal(r.code, code, r.stderr);
      assert.equal(r.stderr, '');
    });
  }
});

describe('usage errors exit 2 with a one-line message', () => {
  const cases: [args: string[], message: RegExp][] = [
    [['audit', '--bogus'], /^known-good: unknown option --bogus$/],
    [['audit', '--format', 'xml'], /^known-good: unknown format "xml" \(expected text, json, sarif, markdown\)$/],
    [['audit', '--format'], /^known-good: Option '--format <value>' argument missing$/],
    [['audit', '--fail-on', 'fatal'], /^known-good: unknown --fail-on level "fatal"/],
    [['audit', 'no/such/path'], /^known-good: no such file or folder: no\/such\/path$/],
    [['audit', '--root', 'no/such/dir'], /^known-good: root no\/such\/dir is not a folder$/],
    [['audit', '..'], /^known-good: \.\. is outside the root .* \(use --root\)$/],
    [['frobnicate'], /^known-good: unknown command "frobnicate" \(expected audit, pin or lsp\)$/],
    [['--frob'], /^known-good: unknown option --frob$/],
    [['lsp'], /^known-good: lsp needs --stdio or --node-ipc$/],
    [['audit', '--output', path.join(os.tmpdir(), 'no-such-dir-kg', 'x', 'out.json')], /^known-good: cannot write .*out\.json: ENOENT$/],
  ];
  for (const [args, message] of cases) {
    test(args.join(' '), () => {
      const r = runCli(args, fx('clean'));
      assert.equal(r.code, 2);
      const lines = r.stderr.trimEnd().split('\n');
      assert.match(lines[0], message);
      assert.ok(lines.length <= 2, r.stderr);
      if (!args.includes('--output')) assert.equal(r.stdout, '');
    });
  }
});

describe('other commands', () => {
  test('--version prints the package version', () => {
    const r = runCli(['--version'], REPO);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, `${(JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string }).version}\n`);
  });
  for (const args of [['--help'], ['audit', '--help'], []]) {
    test(`${args.join(' ') || '(no arguments)'} prints the usage`, () => {
      const r = runCli(args, REPO);
      assert.equal(r.code, 0);
      assert.match(r.stdout, /^Usage:\n {2}known-good audit \[paths\.\.\.\]/);
      assert.match(r.stdout, /--fail-on error\|warning\|info\|none/);
    });
  }
});

describe('--output and paths', () => {
  test('--output writes the report to the file and nothing to stdout', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-cli-'));
    const out = path.join(dir, 'report.json');
    const r = runCli(['audit', '--format', 'json', '--output', out], fx('script'));
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    const doc = JSON.parse(fs.readFileSync(out, 'utf8')) as { findings: { file: string; ruleId: string }[] };
    assert.deepEqual(doc.findings.map((f) => [f.file, f.ruleId]), [['docker/entrypoint.sh', 'runtime-install']]);
    fs.rmSync(dir, { recursive: true });
  });

  test('explicit paths restrict the audit (a file, a folder) and keep paths relative to the root', () => {
    const json = (args: string[]) =>
      (JSON.parse(runCli(['audit', '--format', 'json', '--fail-on', 'none', ...args], fx('basic')).stdout) as { files: { file: string }[] }).files.map((f) => f.file);
    assert.deepEqual(json(['ecs']), ['ecs/task-definition.json']);
    assert.deepEqual(json(['sub/Dockerfile', 'Dockerfile']), ['Dockerfile', 'sub/Dockerfile']);
    // A git-ignored file named explicitly is audited; its folder's siblings are not.
    assert.deepEqual(json(['sub/Dockerfile.skip']), ['sub/Dockerfile.skip']);
    assert.deepEqual(json(['ignored']), ['ignored/Dockerfile']);
  });
});
