// Inline `known-good-ignore` pragmas and `.knowngood.yaml` ignores.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { analyze } from '../../server/src/core/analyze';
import { mergeSettings, parseConfig } from '../../server/src/core/config';
import { RULE_IDS, RULES } from '../../server/src/core/rules';
import { findSuppressions } from '../../server/src/core/suppress';
import { initParsers } from '../../server/src/core/treesitter';

before(() => initParsers());

test('pragma on the line above and at the end of a line', () => {
  const s = findSuppressions('# known-good-ignore latest-tag -- base is rebuilt nightly\n\nFROM node\nFROM python # known-good-ignore latest-tag,missing-digest\n# known-good-ignore\nFROM x\n');
  assert.deepEqual([...s.entries()].map(([l, ids]) => [l, [...ids].sort()]), [
    [2, ['latest-tag']],
    [3, ['latest-tag', 'missing-digest']],
    [5, ['*']],
  ]);
});

test('suppressed findings are dropped, others kept', () => {
  const text = '# known-good-ignore latest-tag -- reason\nFROM node\nFROM python AS p # known-good-ignore missing-digest\n';
  const ids = analyze({ file: 'Dockerfile', text }).findings.map((f) => `${f.range.start.line}:${f.ruleId}`);
  assert.deepEqual(ids, ['2:latest-tag']);
});

test('pragma in a YAML file', () => {
  const text = 'services:\n  a:\n    image: redis # known-good-ignore latest-tag -- local dev only\n  b:\n    image: redis\n';
  assert.deepEqual(analyze({ file: 'compose.yaml', text }).findings.map((f) => f.range.start.line), [4]);
});

test('.knowngood.yaml levels, path ignores and pointer ignores', () => {
  const { config, problems } = parseConfig(
    'rules:\n  missing-digest: off\n  latest-tag: error\nignore:\n  - legacy/**\n  - path: ecs/td.json\n    pointer: /containerDefinitions/1/image\n',
    RULE_IDS,
  );
  assert.deepEqual(problems, []);
  const settings = mergeSettings(config, {}, '/w');
  const td = '{"containerDefinitions":[{"name":"a","image":"a"},{"name":"b","image":"b"},{"name":"c","image":"c:1"}]}';
  const f = analyze({ file: '/w/ecs/td.json', text: td, settings }).findings;
  assert.deepEqual(f.map((x) => [x.ruleId, x.severity, x.pointer]), [['latest-tag', 'error', '/containerDefinitions/0/image']]);
  assert.deepEqual(analyze({ file: '/w/legacy/Dockerfile', text: 'FROM node\n', settings }).findings, []);
  const editor = mergeSettings(config, { 'latest-tag': 'info' }, '/w');
  assert.equal(analyze({ file: '/w/Dockerfile', text: 'FROM node\n', settings: editor }).findings[0].severity, 'info');
});

test('invalid .knowngood.yaml gets clear diagnostics on the config file', () => {
  const text = 'rules:\n  latest-tags: error\n  missing-digest: loud\nignore: nope\ncolour: red\n';
  const f = analyze({ file: '.knowngood.yaml', text }).findings;
  assert.deepEqual(
    f.map((x) => [x.ruleId, x.range.start.line]),
    [['config-error', 1], ['config-error', 2], ['config-error', 3], ['config-error', 4]],
  );
  assert.match(f[0].message, /Unknown rule "latest-tags"/);
  assert.match(f[1].message, /must be one of/);
  const broken = analyze({ file: '.knowngood.yaml', text: 'rules: [unclosed\n' }).findings;
  assert.equal(broken.length >= 1, true);
  assert.match(broken[0].message, /Invalid YAML/);
});

test('a rule that throws becomes one internal error; the other rules still report', () => {
  const boom = { meta: { id: 'boom', defaultSeverity: 'error' as const, description: 'always throws for the test', docUrl: '' }, check() { throw new Error('kaput'); } };
  const f = analyze({ file: 'Dockerfile', text: 'FROM node\n', rules: [boom, ...RULES] }).findings;
  assert.deepEqual(f.map((x) => x.ruleId).sort(), ['internal-error', 'latest-tag']);
  assert.match(f.find((x) => x.ruleId === 'internal-error')!.message, /kaput/);
});
