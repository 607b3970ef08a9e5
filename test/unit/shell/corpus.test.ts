// The real-file corpus: labelled runtime downloads in entrypoint scripts and start-time commands, and clean negatives.
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { before, describe, test } from 'node:test';
import { analyzeArgv, analyzeScript, invokedScripts } from '../../../server/src/core/shell/analyze';
import { exactSource } from '../../../server/src/core/model';
import { initParsers } from '../../../server/src/core/treesitter';
import { argvSources, CORPUS, corpusFile, lineOf, scriptDownloads } from './helpers';

before(() => initParsers());

interface Entry {
  id: string;
  kind: string;
  file: string;
  expect: { category: string; line: number; text: string; note?: string }[];
}
const manifestPath = path.join(CORPUS, 'manifest.json');
const manifest: Entry[] = fs.existsSync(manifestPath) ? JSON.parse(fs.readFileSync(manifestPath, 'utf8')) : [];
const skip = manifest.length === 0 ? 'corpus not present beside the repository' : false;

void describe('corpus: entrypoint scripts', { skip }, () => {
  for (const e of manifest.filter((m) => m.kind === 'script')) {
    void test(`${e.id} ${e.file}`, () => {
      const text = fs.readFileSync(path.join(CORPUS, e.file), 'utf8');
      const found = analyzeScript(exactSource(text, 0));
      const labels = e.expect.filter((x) => x.category === 'runtime-download' && !/borderline/.test(x.note ?? ''));
      // One finding per labelled line, starting on that line and covering the labelled text.
      assert.deepEqual(found.map((d) => lineOf(text, d.span.start)), labels.map((l) => l.line));
      for (const [i, d] of found.entries()) assert.ok(text.slice(d.span.start, d.span.end).includes(labels[i].text), labels[i].text);
    });
  }
  void test('sh-002: each tfsec fetch spans its whole line', () => {
    const text = corpusFile('df-002/entrypoint.sh') ?? '';
    const lines = text.split('\n');
    assert.deepEqual(scriptDownloads(text).map((d) => [d.kind, d.tool, d.at]), [
      ['fetch', 'wget', lines[18]],
      ['fetch', 'wget', lines[19]],
    ]);
  });
  void test('sh-004: the pip install by its venv path', () => {
    const text = corpusFile('df-005/docker/startup.sh') ?? '';
    assert.deepEqual(scriptDownloads(text).map((d) => [d.kind, d.tool, d.ecosystem, d.at, d.packages]), [
      ['install', 'pip', 'pip', '/opt/venv/bin/pip install -r /app/requirements.txt', ['/app/requirements.txt']],
    ]);
  });
});

/** A line of a corpus file, analysed from `from` to its end (or a quoted value's end). */
function lineScript(rel: string, line: number, from: string, to?: string): { doc: string; base: number; script: string } {
  const doc = corpusFile(rel) ?? '';
  const start = doc.split('\n').slice(0, line - 1).join('\n').length + 1;
  const lineText = doc.split('\n')[line - 1];
  const base = start + lineText.indexOf(from);
  const end = to ? doc.indexOf(to, base) : start + lineText.replace(/\r$/, '').length;
  return { doc, base, script: doc.slice(base, end) };
}

void describe('corpus: start-time commands', { skip }, () => {
  void test('cmp-013 compose command: `yarn install` on line 5', () => {
    const { doc, base, script } = lineScript('cmp-013/compose.yaml', 5, 'sh -c');
    const found = scriptDownloads(doc, script, base);
    assert.deepEqual(found.map((d) => [d.kind, d.tool, d.at, lineOf(doc, doc.indexOf(d.at, base))]), [['install', 'yarn', 'yarn install', 5]]);
  });
  const clean: [string, number, string, string?][] = [
    ['df-025/Dockerfile', 8, 'curl'],
    ['cfn-007/cloudformation/ecs.yaml', 162, 'curl', "'"],
    ['ecs-015/ecs/task-definition.json', 33, 'curl', '"'],
  ];
  for (const [rel, line, from, to] of clean) {
    void test(`${rel}:${line} health check is not a download`, () => {
      const { doc, base, script } = lineScript(rel, line, from, to);
      assert.ok(script.startsWith('curl') && script.includes('localhost'), script);
      assert.deepEqual(scriptDownloads(doc, script, base), []);
    });
  }
  void test('df-006 CMD bundle exec is not an install', () => {
    const { script } = lineScript('df-006/Dockerfile', 9, '[');
    assert.deepEqual(argvSources(script).map((s) => s.text), ['bundle', 'exec', 'rails', 's', '-b', '0.0.0.0']);
    assert.deepEqual(analyzeArgv(argvSources(script)), []);
    assert.deepEqual(invokedScripts({ argv: argvSources(script) }), []);
  });
  const runs: [string, number, string[]][] = [
    ['df-002/Dockerfile', 9, ['/entrypoint.sh']],
    ['df-005/docker/Dockerfile', 25, ['/startup.sh']],
    ['df-006/Dockerfile', 7, ['entrypoint.sh']],
    ['df-008/docker/Dockerfile', 54, ['docker/entrypoint.sh']],
    ['df-009/1/alpine/Dockerfile', 79, ['docker-entrypoint.sh']],
    ['df-021/Dockerfile', 15, []],
    ['df-021/Dockerfile', 17, ['entrypoint.sh']],
    ['df-028/Dockerfile', 9, []],
    ['df-020/Dockerfile', 8, []],
    ['df-025/Dockerfile', 9, []],
    ['df-009/1/alpine/Dockerfile', 83, []],
  ];
  for (const [rel, line, paths] of runs) {
    void test(`${rel}:${line} runs ${JSON.stringify(paths)}`, () => {
      const { doc, base, script } = lineScript(rel, line, '[');
      const found = invokedScripts({ argv: argvSources(script).map((s) => ({ ...s, map: s.map.map((m) => m + base) })) });
      assert.deepEqual(found.map((s) => s.path), paths);
      for (const s of found) assert.equal(doc.slice(s.span.start, s.span.end), s.path);
    });
  }
  void test('cmp-012 compose entrypoint runs /app/docker-entrypoint.sh', () => {
    const { doc, base, script } = lineScript('cmp-012/docker-compose.yml', 8, '/app');
    const found = invokedScripts({ script: exactSource(script, base) });
    assert.deepEqual(found.map((s) => [s.path, doc.slice(s.span.start, s.span.end)]), [['/app/docker-entrypoint.sh', '/app/docker-entrypoint.sh']]);
  });
});
