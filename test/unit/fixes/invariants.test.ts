// Negative controls for the invariant checker the other fix tests rely on: each broken "fix" is caught.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Fix } from '../../../server/src/core/fixes';
import { initParsers } from '../../../server/src/core/treesitter';
import { analyzeWs, invariantProblems, type Workspace } from './helpers';

const DOCKERFILE = 'FROM python:3.12-slim\r\nWORKDIR /app\r\nCMD ["sh", "-c", "pip install flask && python app.py"]\r\n';

function fix(file: string, start: number, end: number, newText: string): Fix {
  return { id: 'test', title: 'test', ruleId: 'x', needsConfirmation: false, edits: [{ file, edits: [{ span: { start, end }, newText }] }] };
}

function problemsOf(ws: Workspace, rule: string, f: Fix): string[] {
  const finding = analyzeWs(ws).findings.find((x) => x.ruleId === rule)!;
  assert.ok(finding, `a ${rule} finding`);
  return invariantProblems(ws, finding, f);
}

void describe('invariant checker', () => {
  before(() => initParsers());
  const ws: Workspace = { file: 'Dockerfile', files: new Map([['Dockerfile', DOCKERFILE]]) };
  const at = DOCKERFILE.indexOf('pip install flask && ');

  void test('a correct edit passes', () => {
    assert.deepEqual(problemsOf(ws, 'runtime-install', fix('Dockerfile', at, at + 'pip install flask && '.length, '')), []);
  });
  void test('an edit that leaves the finding', () => {
    assert.match(problemsOf(ws, 'runtime-install', fix('Dockerfile', 0, 0, '# hi\r\n')).join(), /still reported/);
  });
  void test('an edit that adds a finding', () => {
    const p = problemsOf(ws, 'runtime-install', fix('Dockerfile', at, at + 'pip install flask && '.length, 'apt-get install -y jq && '));
    assert.match(p.join(), /new finding: runtime-install/);
  });
  void test('an edit that breaks the exec form', () => {
    const end = DOCKERFILE.indexOf('"]');
    assert.match(problemsOf(ws, 'runtime-install', fix('Dockerfile', at, end + 2, 'python app.py"')).join(), /broken exec form/);
  });
  void test('bare LF in a CRLF file', () => {
    assert.match(problemsOf(ws, 'runtime-install', fix('Dockerfile', at, at + 'pip install flask && '.length, '\n')).join(), /bare LF/);
  });
  void test('escape directive changed', () => {
    const p = problemsOf(ws, 'runtime-install', { ...fix('Dockerfile', 0, 0, '# escape=`\r\n'), edits: [{ file: 'Dockerfile', edits: [{ span: { start: 0, end: 0 }, newText: '# escape=`\r\n' }, { span: { start: at, end: at + 'pip install flask && '.length }, newText: '' }] }] });
    assert.match(p.join(), /escape directive changed/);
  });
  void test('broken JSON', () => {
    const json = '{\n  "containerDefinitions": [{ "name": "a", "image": "nginx:latest", "versionConsistency": "disabled" }]\n}\n';
    const w: Workspace = { file: 'task-definition.json', files: new Map([['task-definition.json', json]]) };
    const s = json.indexOf(', "versionConsistency"');
    assert.match(problemsOf(w, 'version-consistency-disabled', fix('task-definition.json', s + 1, json.indexOf('}]'), '')).join(), /JSON errors/);
  });
  void test('broken YAML', () => {
    const yaml = 'services:\n  web:\n    image: nginx:latest\n';
    const w: Workspace = { file: 'compose.yaml', files: new Map([['compose.yaml', yaml]]) };
    assert.match(problemsOf(w, 'latest-tag', fix('compose.yaml', yaml.indexOf('nginx'), yaml.length, '[nginx:1\n')).join(), /YAML errors/);
  });
  void test('broken HCL', () => {
    const tf = 'resource "aws_ecr_repository" "a" {\n  name = "a"\n}\n';
    const w: Workspace = { file: 'main.tf', files: new Map([['main.tf', tf]]) };
    assert.match(problemsOf(w, 'ecr-mutable-tags', fix('main.tf', tf.indexOf('name'), tf.indexOf('name'), 'image_tag_mutability = "IMMUTABLE"\n  = \n  ')).join(), /HCL syntax errors/);
  });
});
