// The format-level edit helpers: JSON members, YAML entries, Terraform attributes, .knowngood.yaml entries.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { isMap } from 'yaml';
import { insertAttribute } from '../../../server/src/core/fixes/hcl-edit';
import { configEntryEdits } from '../../../server/src/core/fixes/ignore-config';
import { insertMember, nodeAt, parseJsonStrict, removeMember } from '../../../server/src/core/fixes/json-edit';
import { applyEdits } from '../../../server/src/core/fixes/pin';
import { NotFixable } from '../../../server/src/core/fixes/types';
import { insertEntry, parseYamlDocs, removeEntryLine, pairOf } from '../../../server/src/core/fixes/yaml-edit';
import { initParsers } from '../../../server/src/core/treesitter';

const refused = (reason: string) => (e: unknown) => e instanceof NotFixable && e.message.includes(reason);

void describe('JSON members', () => {
  const insert: [string, string, string][] = [
    ['first of several', '{\n  "a": 1,\n  "b": 2\n}', '{\n  "K": "V",\n  "a": 1,\n  "b": 2\n}'],
    ['minified', '{"a":1}', '{"K":"V","a":1}'],
    ['tabs', '{\n\t"a": 1\n}', '{\n\t"K": "V",\n\t"a": 1\n}'],
    ['empty, multi-line file', '{\n  "o": {}\n}', '{\n  "o": {\n    "K": "V"\n  }\n}'],
    ['empty, one line', '{"o":{}}', '{"o":{"K":"V"}}'],
  ];
  for (const [name, text, expected] of insert) {
    void test(`insert: ${name}`, () => {
      const root = parseJsonStrict(text);
      const obj = text.includes('"o"') ? nodeAt(root, ['o'])! : root;
      assert.equal(applyEdits(text, [insertMember(text, obj, 'K', 'V')]), expected);
    });
  }
  const remove: [string, string, string][] = [
    ['middle, own line', '{\n  "a": 1,\n  "x": 2,\n  "b": 3\n}', '{\n  "a": 1,\n  "b": 3\n}'],
    ['first', '{\n  "x": 2,\n  "b": 3\n}', '{\n  "b": 3\n}'],
    ['last', '{\n  "a": 1,\n  "x": 2\n}', '{\n  "a": 1\n}'],
    ['siblings on one line', '{ "a": 1, "x": 2, "b": 3 }', '{ "a": 1, "b": 3 }'],
    ['minified last', '{"a":1,"x":2}', '{"a":1}'],
    ['only member', '{"x":2}', '{}'],
  ];
  for (const [name, text, expected] of remove) {
    void test(`remove: ${name}`, () => {
      const prop = nodeAt(parseJsonStrict(text), ['x'])!.parent!;
      const out = applyEdits(text, [removeMember(text, prop)]);
      assert.equal(out, expected);
      assert.doesNotThrow(() => parseJsonStrict(out));
    });
  }
  void test('trailing commas are refused', () => assert.throws(() => parseJsonStrict('{"a":1,}'), refused('does not parse')));
});

void describe('YAML entries', () => {
  const map = (text: string, path: string[]) => parseYamlDocs(text)[0].getIn(path, true);
  void test('insert into a block map keeps its indentation', () => {
    const text = 'a:\n    b: 1\n    c: 2\n';
    const m = map(text, ['a']);
    assert.ok(isMap(m));
    assert.equal(applyEdits(text, [insertEntry(text, m, 'K', 'V')]), 'a:\n    K: V\n    b: 1\n    c: 2\n');
  });
  void test('insert into a flow map', () => {
    const text = 'a: {b: 1}\n';
    const m = map(text, ['a']);
    assert.ok(isMap(m));
    assert.equal(applyEdits(text, [insertEntry(text, m, 'K', 'V')]), 'a: {K: V, b: 1}\n');
  });
  void test('insert into an empty flow map', () => {
    const text = 'a: {}\n';
    const m = map(text, ['a']);
    assert.ok(isMap(m));
    assert.equal(applyEdits(text, [insertEntry(text, m, 'K', 'V')]), 'a: {K: V}\n');
  });
  void test('a map that starts after a list marker is refused', () => {
    const text = 'l:\n  - b: 1\n    c: 2\n';
    const m = parseYamlDocs(text)[0].getIn(['l', 0], true);
    assert.ok(isMap(m));
    assert.throws(() => insertEntry(text, m, 'K', 'V'), refused('line of its own'));
  });
  void test('remove an entry line, CRLF', () => {
    const text = 'a:\r\n  x: disabled\r\n  b: 1\r\n';
    const pair = pairOf(map(text, ['a']), 'x')!;
    assert.equal(applyEdits(text, [removeEntryLine(text, pair)]), 'a:\r\n  b: 1\r\n');
  });
  void test('removing an entry behind a list marker is refused', () => {
    const text = 'l:\n  - x: disabled\n    b: 1\n';
    const pair = pairOf(parseYamlDocs(text)[0].getIn(['l', 0], true), 'x')!;
    assert.throws(() => removeEntryLine(text, pair), refused('list marker'));
  });
  void test('removing an entry of a flow map is refused', () => {
    const text = 'a: {x: disabled, b: 1}\n';
    const pair = pairOf(map(text, ['a']), 'x')!;
    assert.throws(() => removeEntryLine(text, pair), refused('shares its line'));
  });
});

void describe('Terraform attributes', () => {
  before(() => initParsers());
  const rows: [string, string, string][] = [
    ['tabs, aligned group', 'resource "r" "x" {\n\tname                  = "a"\n}\n', 'resource "r" "x" {\n\tname                  = "a"\n\tk                     = "V"\n}\n'],
    ['multi-line empty body', 'resource "r" "x" {\n}\n', 'resource "r" "x" {\n  k = "V"\n}\n'],
    ['only nested blocks', 'resource "r" "x" {\n  b {\n    y = 1\n  }\n}\n', 'resource "r" "x" {\n  k = "V"\n  b {\n    y = 1\n  }\n}\n'],
    ['no line end at the end', 'resource "r" "x" {\n  name = "a"\n}', 'resource "r" "x" {\n  name = "a"\n  k    = "V"\n}'],
    ['CRLF', 'resource "r" "x" {}\r\n', 'resource "r" "x" {\r\n  k = "V"\r\n}\r\n'],
  ];
  for (const [name, text, expected] of rows) {
    void test(name, () => assert.equal(applyEdits(text, [insertAttribute(text, 0, 'k', '"V"')]), expected));
  }
  void test('a one-line block with an attribute is refused', () => {
    const text = 'resource "r" "x" { name = "a" }\n';
    assert.throws(() => insertAttribute(text, 0, 'k', '"V"'), refused('one line'));
  });
});

void describe('.knowngood.yaml entries', () => {
  const entry = (config: string | undefined, pointer?: string) => {
    const files = new Map(config === undefined ? [] : [['.knowngood.yaml', config]]);
    const fe = configEntryEdits(files, '', 'ecs/td.json', pointer, 'latest-tag');
    return { fe, text: applyEdits(fe.create ? '' : (config ?? ''), fe.edits) };
  };
  void test('new file', () => {
    const { fe, text } = entry(undefined, '/containerDefinitions/0/image');
    assert.equal(fe.create, true);
    assert.equal(text, 'ignore:\n  # reason\n  - path: ecs/td.json\n    pointer: /containerDefinitions/0/image\n    rules: [latest-tag]\n');
    const p = fe.edits[0].placeholder!;
    assert.equal(fe.edits[0].newText.slice(p.start, p.end), 'reason');
  });
  void test('no ignore key, no final line end', () => {
    assert.equal(entry('rules:\n  latest-tag: warning').text, 'rules:\n  latest-tag: warning\nignore:\n  # reason\n  - path: ecs/td.json\n    rules: [latest-tag]\n');
  });
  void test('empty ignore key', () => {
    assert.equal(entry('ignore:\nrules: {}\n').text, 'ignore:\n  # reason\n  - path: ecs/td.json\n    rules: [latest-tag]\nrules: {}\n');
  });
  void test('flow list', () => {
    assert.equal(entry('ignore: [legacy/**]\n', '/x').text, 'ignore: [legacy/**, {path: ecs/td.json, pointer: /x, rules: [latest-tag]}]\n');
  });
  void test('block list indented by 4, CRLF', () => {
    assert.equal(entry('ignore:\r\n    - a\r\n').text, 'ignore:\r\n    - a\r\n    # reason\r\n    - path: ecs/td.json\r\n      rules: [latest-tag]\r\n');
  });
  void test('pointers that need quotes are quoted', () => {
    assert.match(entry(undefined, '/a b/#c').text, /pointer: "\/a b\/#c"/);
  });
  void test('a broken config is refused', () => {
    assert.throws(() => entry('ignore: [\n'), refused('errors'));
  });
});
