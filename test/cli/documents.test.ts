// Whole JSON and SARIF documents from the CLI over fixture trees, compared with reviewed expectations.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { EXPECTED, FIXTURES, REPO, normaliseRoot, runCli } from './helpers';

const VERSION = (JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string }).version;

/** Fixture folder, format, expected exit code (default --fail-on warning). */
const CASES: [string, 'json' | 'sarif', number][] = [
  ['basic', 'json', 1],
  ['basic', 'sarif', 1],
  ['script', 'json', 1],
  ['script', 'sarif', 1],
  ['config', 'json', 1],
  ['bad-config', 'json', 1],
];

function expectedDoc(name: string): unknown {
  const text = fs.readFileSync(path.join(EXPECTED, name), 'utf8');
  return JSON.parse(text.split('"<VERSION>"').join(JSON.stringify(VERSION)));
}

describe('JSON and SARIF documents', () => {
  for (const [fixture, format, code] of CASES) {
    test(`${fixture} as ${format}`, () => {
      const root = path.join(FIXTURES, fixture);
      const r = runCli(['audit', '--format', format], root);
      assert.equal(r.stderr, '');
      assert.equal(r.code, code);
      assert.deepEqual(JSON.parse(normaliseRoot(r.stdout, root)), expectedDoc(`${fixture}.${format}`));
    });
  }

  test('the output is byte-identical across runs and with --root from another folder', () => {
    const root = path.join(FIXTURES, 'script');
    const a = runCli(['audit', '--format', 'sarif'], root).stdout;
    const b = runCli(['audit', '--format', 'sarif', '--root', root], REPO).stdout;
    assert.equal(a, b);
  });

  test('the preconditions of the ignore tests hold: the ignored files exist in the fixture', () => {
    for (const f of ['ignored/Dockerfile', 'node_modules/pkg/Dockerfile', 'sub/Dockerfile.skip', 'ecs/task-definition.local.json']) {
      assert.ok(fs.existsSync(path.join(FIXTURES, 'basic', f)), f);
    }
  });
});
