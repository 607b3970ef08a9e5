// Table-driven rule tests: each case names a file and its text, and the exact text each finding covers.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { analyze, stripBom } from '../../../server/src/core/analyze';
import { LineIndex } from '../../../server/src/core/line-index';
import { RULES } from '../../../server/src/core/rules';
import { initParsers } from '../../../server/src/core/treesitter';
import { combineFacts, factsOf } from '../../../server/src/core/workspace';

export interface Expected {
  /** File the finding is in, when not the analysed file. */
  file?: string;
  /** 1-based line of the finding's start. */
  line: number;
  /** Exactly the text the finding's range covers. */
  text: string;
  /** A fragment the message must contain. */
  message?: string;
}

export interface Case {
  name: string;
  file: string;
  text: string;
  /** Other workspace files (scripts, .env, task definitions for workspace facts). */
  files?: Record<string, string>;
  /** Current registry digests by `name:tag` (what the caller would have fetched). */
  digests?: Record<string, string>;
  expect: Expected[];
}

/** What a rule reports for a case: finding file, line and covered text, in order. */
export function run(ruleId: string, c: Case) {
  const files = new Map(Object.entries(c.files ?? {}));
  const others = [...files].map(([f, t]) => analyze({ file: f, text: t, files }).model).filter((m) => m !== undefined);
  const workspace = combineFacts(others.map(factsOf));
  // The rule under test runs even when it is off by default.
  const meta = RULES.find((r) => r.meta.id === ruleId)?.meta;
  const settings = { rules: meta?.enabledByDefault === false ? { [ruleId]: meta.defaultSeverity } : {}, ignore: [] };
  const result = analyze({ file: c.file, text: c.text, files, workspace, settings, digests: new Map(Object.entries(c.digests ?? {})) });
  return result.findings
    .filter((f) => f.ruleId === ruleId)
    .map((f) => {
      // Ranges are in the text as editors see it: without a byte-order mark.
      const text = stripBom(f.location.file === c.file ? c.text : (files.get(f.location.file) ?? ''));
      const index = new LineIndex(text);
      const s = index.offset(f.range.start);
      const e = index.offset(f.range.end);
      return { file: f.location.file, line: f.range.start.line + 1, text: text.slice(s, e), message: f.message, related: f.related };
    });
}

/** Run a rule's table: `invalid` cases must give exactly the expected findings, `valid` ones none. */
export function ruleTable(ruleId: string, table: { valid: Omit<Case, 'expect'>[]; invalid: Case[] }): void {
  describe(ruleId, () => {
    before(() => initParsers());
    for (const c of table.valid) {
      test(`valid: ${c.name}`, () => {
        assert.deepEqual(run(ruleId, { ...c, expect: [] }).map((f) => `${f.file}:${f.line}: ${f.text}`), []);
      });
    }
    for (const c of table.invalid) {
      test(`invalid: ${c.name}`, () => {
        const got = run(ruleId, c);
        assert.deepEqual(
          got.map((f) => ({ file: f.file, line: f.line, text: f.text })),
          c.expect.map((e) => ({ file: e.file ?? c.file, line: e.line, text: e.text })),
        );
        c.expect.forEach((e, i) => {
          if (e.message) assert.ok(got[i].message.includes(e.message), `message "${got[i].message}" should contain "${e.message}"`);
        });
      });
    }
  });
}
