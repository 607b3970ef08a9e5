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

test('the general grammar is injected into comments and strings only', () => {
  assert.equal(grammar.injectionSelector, 'L:comment, L:string');
});

describe('Dockerfile lines that VS Code\'s grammar matches whole (comments, FROM … AS)', () => {
  const docker = JSON.parse(readFileSync(path.join(ROOT, 'syntaxes/known-good.dockerfile.injection.tmLanguage.json'), 'utf8'));
  // Oniguruma's inline (?i:…) has no JavaScript equivalent: compile it as a group with the i flag.
  const begin = (name: string) => new RegExp(docker.repository[name].begin.replace(/\(\?i:/g, '(?:'), 'i');

  test('it takes over Dockerfile top-level text only, with left priority', () => {
    assert.equal(docker.injectionSelector, 'L:source.dockerfile -comment -string');
  });
  test('every pattern it borrows exists in the general grammar', () => {
    const refs = JSON.stringify(docker).match(/known-good\.injection#[\w-]+/g) ?? [];
    assert.ok(refs.length >= 4);
    for (const ref of refs) assert.ok(grammar.repository[ref.split('#')[1]], ref);
  });
  test('comment lines start a comment region; other lines do not', () => {
    const re = begin('comment');
    assert.deepEqual(re.exec('  # known-good-ignore latest-tag')?.slice(1), ['  ', '#']);
    assert.equal(re.exec('RUN echo # not a comment line'), null);
  });
  test('FROM lines (any case, with ONBUILD) start a region in which digests and AS are highlighted', () => {
    const re = begin('from');
    assert.deepEqual(re.exec(`FROM node:20@sha256:${HEX} AS base`)?.slice(1), [undefined, 'FROM']);
    assert.deepEqual(re.exec('onbuild from node')?.slice(1), ['onbuild', 'from']);
    assert.equal(re.exec('FROMAGE x'), null);
    assert.equal(re.exec('RUN from x'), null);
    const as = new RegExp(docker.repository.from.patterns[2].match.replace(/\(\?i:/g, '(?:'), 'i');
    assert.equal(as.exec(`FROM node:20@sha256:${HEX} AS base`)?.[1], 'AS');
    assert.equal(as.exec('FROM alias/base'), null);
  });
});
