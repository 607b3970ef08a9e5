// The unified-diff writer behind `pin --dry-run`: exact hunks for known cases, and `patch` applies
// what it writes to random edits (CRLF, missing final newlines, insertions and deletions).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { diffLines, splitLines, unifiedDiff } from '../../server/src/cli/diff';

const lines = (n: number, prefix = 'line') => Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}\n`).join('');

describe('unifiedDiff: exact output', () => {
  const cases: [name: string, before: string, after: string, expected: string][] = [
    ['equal texts give nothing', 'a\nb\n', 'a\nb\n', ''],
    ['one changed line in the middle, 3 lines of context', lines(9), lines(9).replace('line 5\n', 'LINE 5\n'), '--- a/f\n+++ b/f\n@@ -2,7 +2,7 @@\n line 2\n line 3\n line 4\n-line 5\n+LINE 5\n line 6\n line 7\n line 8\n'],
    ['change on the first line', 'a\nb\nc\nd\ne\n', 'A\nb\nc\nd\ne\n', '--- a/f\n+++ b/f\n@@ -1,4 +1,4 @@\n-a\n+A\n b\n c\n d\n'],
    ['a one-line file: ranges without a count', 'a\n', 'b\n', '--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n'],
    ['from empty: the empty range names line 0', '', 'a\n', '--- a/f\n+++ b/f\n@@ -0,0 +1 @@\n+a\n'],
    ['removed last newline', 'a\nb\n', 'a\nb', '--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n+b\n\\ No newline at end of file\n'],
    ['CRLF kept inside the lines', 'x\r\ny\r\nz\r\n', 'x\r\nY\r\nz\r\n', '--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n x\r\n-y\r\n+Y\r\n z\r\n'],
    ['two adjacent changed lines: removals, then additions', 'a\nb\nc\nd\n', 'a\nB\nC\nd\n', '--- a/f\n+++ b/f\n@@ -1,4 +1,4 @@\n a\n-b\n-c\n+B\n+C\n d\n'],
    [
      'changes 6 lines apart share a hunk',
      lines(20),
      lines(20).replace('line 4\n', 'X\n').replace('line 11\n', 'Y\n'),
      '--- a/f\n+++ b/f\n@@ -1,14 +1,14 @@\n line 1\n line 2\n line 3\n-line 4\n+X\n line 5\n line 6\n line 7\n line 8\n line 9\n line 10\n-line 11\n+Y\n line 12\n line 13\n line 14\n',
    ],
    [
      'changes 7 lines apart get two hunks',
      lines(20),
      lines(20).replace('line 4\n', 'X\n').replace('line 12\n', 'Y\n'),
      '--- a/f\n+++ b/f\n@@ -1,7 +1,7 @@\n line 1\n line 2\n line 3\n-line 4\n+X\n line 5\n line 6\n line 7\n@@ -9,7 +9,7 @@\n line 9\n line 10\n line 11\n-line 12\n+Y\n line 13\n line 14\n line 15\n',
    ],
    ['an inserted line shifts the new range', 'a\nb\nc\n', 'a\nb\nnew\nc\n', '--- a/f\n+++ b/f\n@@ -1,3 +1,4 @@\n a\n b\n+new\n c\n'],
  ];
  for (const [name, before, after, expected] of cases) {
    test(name, () => assert.equal(unifiedDiff('f', before, after), expected));
  }
});

describe('diffLines: a shortest edit script', () => {
  const cases: [string[], string[], number][] = [
    [[], [], 0],
    [['a'], [], 1],
    [[], ['a', 'b'], 2],
    [['a', 'b', 'c', 'a', 'b', 'b', 'a'], ['c', 'b', 'a', 'b', 'a', 'c'], 5], // Myers' paper example: D = 5
  ];
  for (const [a, b, d] of cases) {
    test(`${JSON.stringify(a)} → ${JSON.stringify(b)}: ${d} changes`, () => {
      const ops = diffLines(a, b);
      assert.equal(ops.filter((o) => o.kind !== ' ').length, d);
      assert.deepEqual(ops.filter((o) => o.kind !== '+').map((o) => o.line), a);
      assert.deepEqual(ops.filter((o) => o.kind !== '-').map((o) => o.line), b);
    });
  }
});

describe('patch applies the diffs', () => {
  const havePatch = spawnSync('patch', ['--version']).status === 0;
  test('200 random edits of CRLF, LF and unterminated texts round-trip through patch -p1', { skip: havePatch ? false : 'patch is not installed' }, () => {
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-diff-'));
    for (let round = 0; round < 200; round++) {
      const eol = rand(2) ? '\r\n' : '\n';
      const before = Array.from({ length: rand(30) }, () => `l${rand(8)}${eol}`).join('') + (rand(3) ? '' : 'tail');
      const a = splitLines(before);
      const b: string[] = [];
      for (const l of a) {
        const r = rand(10);
        if (r === 0) continue; // delete
        if (r === 1) b.push(`new${rand(5)}${eol}`); // insert before
        b.push(r === 2 ? `changed${eol}` : l);
      }
      if (rand(4) === 0) b.push(`end${rand(3)}`);
      const after = b.join('');
      fs.writeFileSync(path.join(dir, 'f'), before);
      const diff = unifiedDiff('f', before, after);
      if (before === after) {
        assert.equal(diff, '');
        continue;
      }
      const r = spawnSync('patch', ['-p1', '--quiet', '--binary', '--no-backup-if-mismatch'], { cwd: dir, input: diff });
      assert.equal(r.status, 0, `round ${round}: ${r.stderr.toString()}${r.stdout.toString()}\n${diff}`);
      assert.equal(fs.readFileSync(path.join(dir, 'f'), 'utf8'), after, `round ${round}\n${diff}`);
    }
    fs.rmSync(dir, { recursive: true });
  });
});
