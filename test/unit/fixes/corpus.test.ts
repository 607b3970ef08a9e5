// Every fix offered for every finding in the real-file corpus (../shared/corpus) keeps the invariants, with
// fake checksums and digests standing in for what the editor would download.
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { before, describe, test } from 'node:test';
import { initParsers } from '../../../server/src/core/treesitter';
import { analyzeWs, fixesOf, invariantProblems, REPO, withFakeNeeds, type Workspace } from './helpers';

const CORPUS = path.resolve(REPO, '..', 'shared', 'corpus');

interface Entry {
  id: string;
  file: string;
  kind: string;
}

function filesUnder(dir: string, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) for (const [k, v] of filesUnder(path.join(dir, e.name), rel)) out.set(k, v);
    else out.set(rel, fs.readFileSync(path.join(dir, e.name), 'utf8'));
  }
  return out;
}

void describe('fixes over the corpus', () => {
  const manifest = path.join(CORPUS, 'manifest.json');
  if (!fs.existsSync(manifest)) {
    void test('corpus', { skip: `no corpus at ${CORPUS}` }, () => undefined);
    return;
  }
  before(() => initParsers());
  const entries = JSON.parse(fs.readFileSync(manifest, 'utf8')) as Entry[];
  const counts = { files: 0, findings: 0, applied: new Map<string, number>(), reasons: new Map<string, number>() };
  for (const e of entries) {
    void test(e.id, () => {
      // Scripts live in the folder of the Dockerfile they are paired with.
      const root = path.join(CORPUS, ...e.file.split('/').slice(0, 2));
      const files = filesUnder(root);
      const file = path.relative(root, path.join(CORPUS, e.file)).split(path.sep).join('/');
      const ws: Workspace = { file, files };
      counts.files++;
      const problems: string[] = [];
      for (const finding of analyzeWs(ws).findings) {
        counts.findings++;
        const result = fixesOf(ws, finding);
        if (result.reason) {
          counts.reasons.set(finding.ruleId, (counts.reasons.get(finding.ruleId) ?? 0) + 1);
          if (process.env.FIX_CORPUS_VERBOSE) console.log(`${e.id}:${finding.range.start.line + 1} ${finding.ruleId}: ${result.reason}`);
        }
        for (const offered of result.fixes) {
          const { ws: filled, fix } = withFakeNeeds(ws, finding, offered);
          if (!fix) {
            problems.push(`${offered.id}: gone once its needs were met`);
            continue;
          }
          counts.applied.set(fix.id, (counts.applied.get(fix.id) ?? 0) + 1);
          problems.push(...invariantProblems(filled, finding, fix).map((p) => `${fix.id} for ${finding.ruleId} at line ${finding.range.start.line + 1}: ${p}`));
        }
      }
      assert.deepEqual(problems, []);
    });
  }
  void test('summary', () => {
    const applied = [...counts.applied].sort().map(([k, v]) => `${k}=${v}`).join(', ');
    const reasons = [...counts.reasons].sort().map(([k, v]) => `${k}=${v}`).join(', ');
    console.log(`corpus: ${counts.files} files, ${counts.findings} findings; fixes applied and checked: ${applied}; no cure (reason shown): ${reasons || 'none'}`);
    assert.ok(counts.files > 0);
  });
});
