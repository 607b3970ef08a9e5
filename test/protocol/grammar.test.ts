// The injection grammar's patterns, run as JavaScript regular expressions (the subset they use is
// the same in Oniguruma): what they match and capture in comments and strings, and what they leave.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { ROOT } from './lsp-client';

const grammar = JSON.parse(readFileSync(path.join(ROOT, 'syntaxes/known-good.injection.tmLanguage.json'), 'utf8'));
const pattern = (name: string) => new RegExp(grammar.repository[name].match);
const HEX = 'a'.repeat(32) + '0123456789abcdef'.repeat(2);

describe('known-good-ignore pragma', () => {
  const re = pattern('pragma');
  const cases: { line: string; match?: string; rules?: string; reason?: string }[] = [
    { line: '# known-good-ignore latest-tag -- base image pinned by CI', match: 'known-good-ignore latest-tag -- base image pinned by CI', rules: ' latest-tag', reason: 'base image pinned by CI' },
    { line: '# known-good-ignore latest-tag,runtime-install', rules: ' latest-tag,runtime-install' },
    { line: '# known-good-ignore latest-tag, runtime-install -- why', rules: ' latest-tag, runtime-install', reason: 'why' },
    { line: '# known-good-ignore', match: 'known-good-ignore', rules: '' },
    { line: '// known-good-ignore * -- all', rules: ' *', reason: 'all' },
    // Inside a JSON/YAML string the match stops before the closing quote.
    { line: '"comment": "known-good-ignore latest-tag -- ok", "x": 1', match: 'known-good-ignore latest-tag -- ok', reason: 'ok' },
    { line: '# not-known-good-ignore latest-tag' },
    { line: '# known-good-ignored' },
  ];
  for (const c of cases) {
    test(c.line, () => {
      const m = re.exec(c.line);
      if (c.rules === undefined && c.match === undefined && c.reason === undefined) return assert.equal(m, null);
      assert.ok(m);
      if (c.match !== undefined) assert.equal(m[0], c.match);
      if (c.rules !== undefined) assert.equal(m[2], c.rules);
      if (c.reason !== undefined) assert.equal(m[4], c.reason);
    });
  }
});

describe('sha256 digests', () => {
  const good = pattern('digest');
  const bad = pattern('bad-digest');
  test('a full digest in a FROM line, a YAML value and a JSON string', () => {
    for (const line of [`FROM node:20@sha256:${HEX} AS build`, `image: nginx:1.25@sha256:${HEX}`, `"image": "nginx@sha256:${HEX}"`]) {
      const m = good.exec(line);
      assert.ok(m, line);
      assert.equal(m[4], HEX);
      assert.equal(m[0], `@sha256:${HEX}`);
    }
  });
  test('too short, too long or uppercase digests are not valid ones, and are flagged', () => {
    for (const hex of [HEX.slice(1), `${HEX}0`, HEX.toUpperCase()]) {
      const line = `FROM node@sha256:${hex}`;
      assert.equal(good.exec(line), null, line);
      assert.equal(bad.exec(line)?.[2], hex);
    }
  });
  test('a sha256 without @ (a checksum) is left alone', () => {
    assert.equal(good.exec(`ADD --checksum=sha256:${HEX} https://x/y /y`), null);
    assert.equal(bad.exec(`ADD --checksum=sha256:${HEX} https://x/y /y`), null);
  });
});

test('injected into comments, strings and Dockerfile instructions only', () => {
  assert.equal(grammar.injectionSelector, 'L:comment, L:string, L:source.dockerfile -comment -string');
});
