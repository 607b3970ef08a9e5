// Limits: files over the size limit, binary and non-UTF-8 files, deep nesting, very long lines, YAML
// alias bombs and huge container lists end in one `skipped-file` diagnostic or a bounded analysis, never a stall.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { analyze, INTERNAL_ERROR, type AnalyzeResult } from '../../server/src/core/analyze';
import { parseConfig } from '../../server/src/core/config';
import { detectKind } from '../../server/src/core/detect';
import { DEFAULT_MAX_FILE_SIZE, MAX_NESTING, SKIPPED_FILE, skipReason, utf8Length } from '../../server/src/core/limits';
import { RULE_IDS } from '../../server/src/core/rules';
import { initParsers } from '../../server/src/core/treesitter';
import type { Settings } from '../../server/src/core/types';
import { cpuTimed } from './harness';

const codes = (r: AnalyzeResult) => r.findings.map((f) => f.ruleId);
/** CPU bound for the big inputs below, a hang detector (the slowest, a 128 KB shell line, takes about 1 s). */
const BIG_INPUT_MS = process.env.KG_FUZZ_RUNS ? 60_000 : 15_000;
/** Length of the long-line inputs: 128 KB in `npm test`, 900 KB (just under the size limit) in `npm run fuzz`. */
const LONG_LINE_KB = process.env.KG_FUZZ_RUNS ? 900 : 128;

function run(file: string, text: string, settings?: Settings): { result: AnalyzeResult; ms: number } {
  const { value, ms } = cpuTimed(() => analyze({ file, text, settings }));
  return { result: value, ms };
}

/** The one diagnostic of a skipped file, asserted whole. */
function assertSkipped(r: AnalyzeResult, reason: string, message: RegExp): void {
  assert.deepEqual(codes(r), [SKIPPED_FILE]);
  const [f] = r.findings;
  assert.equal(f.severity, 'info');
  assert.deepEqual(f.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
  assert.equal(f.data?.reason, reason);
  assert.match(f.message, message);
}

const nested = (open: string, close: string, n: number, inner = '') => open.repeat(n) + inner + close.repeat(n);
const DEEP = 100_000;

void describe('limits', () => {
  before(() => initParsers());

  void test('size: over the limit (UTF-8 bytes, not characters) → skipped-file naming the setting; a raised limit analyses it', (t) => {
    const line = 'FROM node:latest\n';
    const over = line.repeat(Math.ceil((DEFAULT_MAX_FILE_SIZE + 1) / line.length));
    const big = run('Dockerfile', over);
    assertSkipped(big.result, 'too-large', /it is 1\.0 MB, over the 1024 KB limit\. Raise the limit with the setting knownGood\.maxFileSizeKB/);
    assert.ok(big.ms < 500, `the size check is cheap (${big.ms} ms)`);
    // 600,000 'é' are 1.2 MB of UTF-8 in 600,000 characters.
    const accents = `FROM node:latest\n# ${'é'.repeat(600_000)}\n`;
    assert.ok(accents.length < DEFAULT_MAX_FILE_SIZE && utf8Length(accents) > DEFAULT_MAX_FILE_SIZE);
    assertSkipped(run('Dockerfile', accents).result, 'too-large', /1\.1 MB/);
    const small = 'FROM node:latest\n'.repeat(100);
    assertSkipped(run('Dockerfile', small, { rules: {}, ignore: [], maxFileSize: 1024 }).result, 'too-large', /over the 1 KB limit/);
    assert.ok(codes(run('Dockerfile', small, { rules: {}, ignore: [], maxFileSize: 4096 }).result).every((c) => c === 'latest-tag'));
    // A file that is not a supported kind gets nothing at all, however large.
    assert.deepEqual(run('notes.txt', over).result.findings, []);
    t.diagnostic(`1 MB Dockerfile skipped in ${big.ms.toFixed(1)} ms CPU`);
  });

  void test('binary and non-UTF-8 files → skipped-file; a stray non-UTF-8 byte in a comment does not skip the file', () => {
    const docker = 'FROM node:latest\nCMD npm install\n';
    assertSkipped(run('Dockerfile', `FROM node:latest\0\0\x01\x02`).result, 'binary', /contains NUL bytes/);
    // A UTF-16 file read as UTF-8: every other byte is NUL.
    assertSkipped(run('Dockerfile', Buffer.from(docker, 'utf16le').toString('utf8')).result, 'binary', /UTF-16/);
    assertSkipped(run('deploy/task-definition.json', `{"containerDefinitions": [\0]}`).result, 'binary', /NUL/);
    // Latin-1 bytes through a lossy UTF-8 decode: U+FFFD everywhere.
    const latin1 = Buffer.from(`FROM node:latest\n# ${'\xe9\xe8\xe0'.repeat(50)}\n`, 'latin1').toString('utf8');
    assertSkipped(run('Dockerfile', latin1).result, 'not-utf8', /not UTF-8 text \(150 of its \d+ characters could not be decoded\)/);
    const stray = Buffer.from(`# r\xe9sum\xe9\n${docker}`, 'latin1').toString('utf8');
    assert.ok(stray.includes('\ufffd'));
    assert.deepEqual(codes(run('Dockerfile', stray).result).sort(), ['latest-tag', 'runtime-install']);
  });

  void test(`nesting deeper than ${MAX_NESTING} brackets → skipped-file, for every kind (${DEEP.toLocaleString('en')} levels)`, (t) => {
    const cases: [string, string][] = [
      ['deploy/task-definition.json', `{"containerDefinitions":[${nested('[', ']', DEEP)}]}`],
      ['deploy/task-definition.json', `{"containerDefinitions":[${nested('{"a":', '}', DEEP, '1')}]}`],
      ['cfn/template.json', `{"AWSTemplateFormatVersion":"2010-09-09","Resources":${nested('[', ']', DEEP)}}`],
      ['cfn/template.yaml', `AWSTemplateFormatVersion: 2010-09-09\nResources: ${nested('[', ']', DEEP)}\n`],
      ['compose.yaml', `services:\n  a:\n    image: x\n    command: ${nested('{a: ', '}', DEEP, '1')}\n`],
      ['main.tf', `locals {\n  a = ${nested('[', ']', DEEP)}\n}\n`],
      ['main.tf', `resource "aws_ecs_task_definition" "a" {\n  container_definitions = jsonencode(${nested('(', ')', DEEP, '1')})\n}\n`],
      ['Dockerfile', `FROM x\nCMD ${nested('[', ']', DEEP)}\n`],
      ['Dockerfile', `FROM x\nCMD ${nested('$(', ')', DEEP, 'curl x')}\n`],
      ['.knowngood.yaml', `rules: ${nested('[', ']', DEEP)}\n`],
    ];
    let slowest = 0;
    for (const [file, text] of cases) {
      const { result, ms } = run(file, text);
      assertSkipped(result, 'too-deep', /nest more than 200 levels deep \(line \d+\)/);
      slowest = Math.max(slowest, ms);
      assert.ok(ms < 2000, `${file}: ${ms} ms`);
    }
    // Detection alone never parses what it cannot (it used to recurse out of stack here).
    assert.equal(detectKind('x.json', nested('[', ']', DEEP)), undefined);
    t.diagnostic(`${cases.length} deeply nested files skipped; slowest ${slowest.toFixed(1)} ms CPU`);
  });

  void test(`nesting just under the limit (${MAX_NESTING} levels) is analysed without an internal error`, () => {
    // The wrapping of each case adds up to two levels.
    const n = MAX_NESTING - 2;
    const inputs: [string, string][] = [
      ['deploy/task-definition.json', `{"containerDefinitions":[{"name":"a","image":"nginx:latest","command":${nested('[', ']', n - 1)}}]}`],
      ['cfn/template.yaml', `AWSTemplateFormatVersion: 2010-09-09\nResources: ${nested('[', ']', n)}\n`],
      ['main.tf', `locals {\n  a = ${nested('[', ']', n)}\n}\n`],
      ['Dockerfile', `FROM nginx:latest\nCMD ${nested('$(', ')', n, 'curl x')}\n`],
      ['Dockerfile', `FROM nginx:latest\nCMD echo ${nested('$(echo `', '`)', n / 2, 'curl x')}\n`],
    ];
    for (const [file, text] of inputs) {
      assert.equal(skipReason(text), undefined, file);
      const { result, ms } = run(file, text);
      assert.ok(!codes(result).includes(INTERNAL_ERROR) && !codes(result).includes(SKIPPED_FILE), `${file}: ${codes(result).join(',')}`);
      assert.ok(ms < BIG_INPUT_MS, `${file}: ${ms} ms`);
    }
    // YAML block sequences nest without brackets (`- - - x`): no stack overflow either.
    const dashes = run('compose.yaml', `services:\n  a:\n    image: nginx:latest\n    command:\n      ${'- '.repeat(50_000)}x\n`);
    assert.ok(!codes(dashes.result).includes(INTERNAL_ERROR), codes(dashes.result).join(','));
  });

  void test(`very long lines (${LONG_LINE_KB} KB on one line) finish in bounded time for every kind`, (t) => {
    const long = (s: string) => s.repeat(Math.ceil(LONG_LINE_KB * 1024 / s.length));
    const inputs: [string, string][] = [
      ['Dockerfile', `FROM node:latest\nCMD ${long('curl http://x/y | sh; ')}\n`],
      ['Dockerfile', `FROM node:latest\nCMD ${long('"')}\n`],
      ['Dockerfile', `FROM ${long('a')}\n`],
      ['deploy/task-definition.json', `{"containerDefinitions":[{"name":"a","image":"x","command":["sh","-c","${long('pip install x; ')}"]}]}`],
      ['cfn/template.yaml', `AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Image: !Join ["", [${long('!Ref A, ')}x]]\n`],
      ['compose.yaml', `services:\n  a:\n    image: x\n    command: "${long('npm install; ')}"\n`],
      ['main.tf', `locals {\n  a = "${long('${x}')}"\n}\n`],
      ['entrypoint.sh', `#!/bin/sh\n${long('apt-get install -y x && ')}true\n`],
    ];
    const times: string[] = [];
    for (const [file, text] of inputs) {
      const { result, ms } = run(file, text);
      assert.ok(!codes(result).includes(INTERNAL_ERROR), `${file}: ${codes(result).join(',')}`);
      assert.ok(ms < BIG_INPUT_MS, `${file}: ${ms} ms CPU`);
      times.push(`${file} ${ms.toFixed(0)} ms`);
    }
    t.diagnostic(`${LONG_LINE_KB} KB lines: ${times.join(', ')}`);
  });

  void test('YAML alias bombs (billion laughs) do not expand: memory and time stay small', (t) => {
    const levels = 'abcdefghi';
    const bomb = (indent: string) =>
      `${indent}a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n` +
      [...levels.slice(1)].map((c, i) => `${indent}${c}: &${c} [${Array(9).fill(`*${levels[i]}`).join(',')}]`).join('\n') + '\n';
    const docs: [string, string][] = [
      ['compose.yaml', `x-bomb:\n${bomb('  ')}services:\n  s:\n    image: *i\n    command: *i\n    entrypoint: *i\n    healthcheck: {test: *i}\n  t:\n    <<: *i\n    image: nginx:latest\n`],
      ['cfn/template.yaml', `AWSTemplateFormatVersion: "2010-09-09"\nMappings:\n${bomb('  ')}Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Image: !Join ["", *i]\n          Command: *i\n          EntryPoint: !Sub ["\${x}", *i]\n        - *i\n`],
      ['.knowngood.yaml', `${bomb('')}rules: *i\nignore: *i\n`],
    ];
    for (const [file, text] of docs) {
      const rss = process.memoryUsage().rss;
      const { result, ms } = run(file, text);
      const grown = (process.memoryUsage().rss - rss) / 1e6;
      assert.ok(!codes(result).includes(INTERNAL_ERROR), codes(result).join(','));
      assert.ok(grown < 64, `${file}: RSS grew ${grown.toFixed(1)} MB`);
      assert.ok(ms < 2000, `${file}: ${ms} ms`);
      t.diagnostic(`${file}: 9^9 aliased nodes, ${ms.toFixed(1)} ms CPU, RSS +${grown.toFixed(1)} MB`);
    }
    assert.ok(parseConfig(docs[2][1], RULE_IDS).problems.length > 0, 'an aliased rules map is refused, not expanded');
  });

  void test('a file of 20,000 aliases is analysed in linear time', (t) => {
    const services = Array.from({ length: 20_000 }, (_, i) => `  s${i}: *base\n`).join('');
    const { result, ms } = run('compose.yaml', `x-base: &base {image: nginx:latest, command: npm install}\nservices:\n${services}`);
    assert.deepEqual([...new Set(codes(result))].sort(), ['latest-tag', 'runtime-install']);
    assert.equal(result.findings.length, 2, 'the shared block is reported once');
    assert.ok(ms < BIG_INPUT_MS, `${ms} ms`);
    t.diagnostic(`20,000 aliases: ${ms.toFixed(0)} ms CPU`);
  });

  void test('10,000 container definitions: every one analysed, in bounded time', (t) => {
    const defs = Array.from({ length: 10_000 }, (_, i) => ({ name: `c${i}`, image: `nginx:${i % 2 ? 'latest' : '1.27'}`, command: ['sh', '-c', 'curl x | sh'] }));
    const text = JSON.stringify({ containerDefinitions: defs });
    assert.ok(text.length < DEFAULT_MAX_FILE_SIZE, `${text.length} characters: under the size limit`);
    const json = run('deploy/task-definition.json', text);
    const count = (r: AnalyzeResult, code: string) => r.findings.filter((f) => f.ruleId === code).length;
    assert.equal(count(json.result, 'latest-tag'), 5000);
    assert.equal(count(json.result, 'missing-digest'), 5000);
    assert.equal(count(json.result, 'runtime-fetch'), 10_000);
    assert.ok(json.ms < BIG_INPUT_MS, `${json.ms} ms`);
    const yaml = `AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n${defs.map((d) => `        - Name: ${d.name}\n          Image: ${d.image}\n`).join('')}`;
    const cfn = run('cfn/template.yaml', yaml);
    assert.equal(count(cfn.result, 'latest-tag'), 5000);
    assert.ok(cfn.ms < BIG_INPUT_MS, `${cfn.ms} ms`);
    t.diagnostic(`10,000 containers: ECS JSON ${json.ms.toFixed(0)} ms, CloudFormation YAML ${cfn.ms.toFixed(0)} ms CPU`);
  });
});
