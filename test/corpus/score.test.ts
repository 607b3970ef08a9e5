// The corpus scoring itself: hits, misses, false positives, borderline labels counted neither way.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from '../../server/src/core/types';
import { covers, score, type ManifestEntry } from './score';

function finding(ruleId: string, startLine: number, endLine = startLine, endChar = 5): Finding {
  return {
    ruleId,
    message: ruleId,
    severity: 'warning',
    location: { file: 'x', span: { start: 0, end: 1 } },
    range: { start: { line: startLine - 1, character: 0 }, end: { line: endLine - 1, character: endChar } },
  };
}

describe('covers', () => {
  const cases: [string, Finding, number, boolean][] = [
    ['same line', finding('r', 3), 3, true],
    ['line before', finding('r', 3), 2, false],
    ['inside a multi-line range', finding('r', 3, 6), 5, true],
    ['end at column 0 does not cover its line', finding('r', 3, 4, 0), 4, false],
  ];
  for (const [name, f, line, want] of cases) test(name, () => assert.equal(covers(f, line), want));
});

describe('score', () => {
  const manifest: ManifestEntry[] = [
    {
      id: 'a',
      file: 'files/a/Dockerfile',
      kind: 'dockerfile',
      expect: [
        { category: 'latest-or-untagged', line: 1, text: 'x' },
        { category: 'latest-or-untagged', line: 2, text: 'y', note: 'borderline: judgement call' },
        { category: 'latest-or-untagged', line: 3, text: 'z' },
        { category: 'runtime-download', line: 4, text: 'w' },
      ],
    },
    { id: 'b', file: 'files/b/Dockerfile', kind: 'dockerfile', expect: [] },
  ];
  const s = score(manifest, [
    { file: 'files/a/Dockerfile', finding: finding('latest-tag', 1) }, // hit
    { file: 'files/a/Dockerfile', finding: finding('latest-tag', 2) }, // borderline: neither
    { file: 'files/a/Dockerfile', finding: finding('missing-digest', 3) }, // wrong category for line 3: FP of tag-without-digest
    { file: 'files/b/Dockerfile', finding: finding('latest-tag', 1) }, // clean file: FP
    { file: 'files/a/Dockerfile', finding: finding('runtime-fetch', 4) }, // hit through the second rule of the category
  ]);
  const get = (c: string) => s.find((x) => x.category === c)!;

  test('latest-or-untagged: one hit, one miss, one FP, borderline ignored', () => {
    const l = get('latest-or-untagged');
    assert.deepEqual([l.labels, l.borderline, l.hits, l.matchedFindings], [3, 1, 1, 1]);
    assert.deepEqual(l.misses, [{ file: 'files/a/Dockerfile', line: 3, text: 'z' }]);
    assert.deepEqual(l.falsePositives.map((f) => `${f.file}:${f.line}`), ['files/b/Dockerfile:1']);
    assert.equal(l.recall, 0.5);
    assert.equal(l.precision, 0.5);
  });

  test('a finding of another category on a labelled line is a false positive of its own category', () => {
    const t = get('tag-without-digest');
    assert.deepEqual(t.falsePositives.map((f) => `${f.file}:${f.line}`), ['files/a/Dockerfile:3']);
    assert.equal(t.precision, 0);
    assert.equal(t.recall, 1);
  });

  test('runtime-download matches runtime-fetch and runtime-install', () => {
    const r = get('runtime-download');
    assert.deepEqual([r.hits, r.misses.length, r.falsePositives.length], [1, 0, 0]);
  });
});
