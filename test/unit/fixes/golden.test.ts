// Golden tests: each folder of test/fixtures/fixes holds input files, case.json (the finding and the fix to
// apply) and expected/ (every file the fix changes or creates, as it must read afterwards).
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { before, describe, test } from 'node:test';
import { initParsers } from '../../../server/src/core/treesitter';
import { analyzeWs, applyFix, fixesOf, invariantProblems, REPO, type Workspace } from './helpers';

interface Case {
  /** The analysed file. */
  file: string;
  rule: string;
  /** 1-based line the finding starts on. */
  line: number;
  /** A fragment of the finding's text, when the line has several. */
  match?: string;
  /** The fix to apply (by id). */
  fix?: string;
  /** Instead of a fix: no cure, with a reason containing this. */
  reason?: string;
  /** Instead of edits: the fix asks for these first. */
  needs?: unknown[];
  /** Fix ids offered, in order (checked when given). */
  offered?: string[];
  checksums?: Record<string, string>;
  digests?: Record<string, string>;
  root?: string;
}

const DIR = path.join(REPO, 'test', 'fixtures', 'fixes');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

function readTree(dir: string, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) for (const [k, v] of readTree(path.join(dir, e.name), rel)) out.set(k, v);
    else out.set(rel, fs.readFileSync(path.join(dir, e.name), 'utf8'));
  }
  return out;
}

describe('fix golden files', () => {
  before(() => initParsers());
  for (const name of fs.readdirSync(DIR).sort()) {
    const dir = path.join(DIR, name);
    test(name, () => {
      const c = JSON.parse(fs.readFileSync(path.join(dir, 'case.json'), 'utf8')) as Case;
      const files = new Map([...readTree(dir)].filter(([k]) => k !== 'case.json' && !k.startsWith('expected/')));
      const ws: Workspace = { file: c.file, files, root: c.root, checksums: new Map(Object.entries(c.checksums ?? {})), digests: new Map(Object.entries(c.digests ?? {})) };
      const findings = analyzeWs(ws).findings.filter(
        (f) => f.ruleId === c.rule && f.range.start.line + 1 === c.line && (!c.match || (files.get(f.location.file) ?? '').replace(/^\uFEFF/, '').slice(f.location.span.start, f.location.span.end).includes(c.match)),
      );
      assert.equal(findings.length, 1, `exactly one ${c.rule} finding on line ${c.line}${c.match ? ` matching "${c.match}"` : ''}`);
      const result = fixesOf(ws, findings[0]);
      if (c.offered) assert.deepEqual(result.fixes.map((f) => f.id), c.offered);
      if (c.reason !== undefined) {
        assert.ok(result.reason?.includes(c.reason), `reason "${result.reason}" should contain "${c.reason}"`);
        assert.ok(result.fixes.every((f) => f.id.startsWith('ignore-')), 'only ignore fixes when there is no cure');
        if (!c.fix) return;
      }
      const fix = result.fixes.find((f) => f.id === c.fix);
      assert.ok(fix, `fix ${c.fix} offered (got ${result.fixes.map((f) => f.id).join(', ')}; reason: ${result.reason})`);
      if (c.needs) {
        assert.deepEqual(fix.needs, c.needs);
        assert.deepEqual(fix.edits, []);
        return;
      }
      assert.equal(fix.needs, undefined, `no needs (got ${JSON.stringify(fix.needs)})`);
      const after = applyFix(files, fix);
      const changed = [...after].filter(([k, v]) => files.get(k) !== v);
      const expectedDir = path.join(dir, 'expected');
      if (UPDATE) {
        fs.rmSync(expectedDir, { recursive: true, force: true });
        for (const [k, v] of changed) {
          fs.mkdirSync(path.dirname(path.join(expectedDir, k)), { recursive: true });
          fs.writeFileSync(path.join(expectedDir, k), v);
        }
      }
      const expected = fs.existsSync(expectedDir) ? readTree(expectedDir) : new Map<string, string>();
      assert.deepEqual(changed.map(([k]) => k).sort(), [...expected.keys()].sort(), 'the files the fix changes');
      for (const [k, v] of changed) assert.equal(v, expected.get(k), `${k} as expected`);
      assert.deepEqual(invariantProblems(ws, findings[0], fix), []);
    });
  }
});
