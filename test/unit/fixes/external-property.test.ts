// Property test: every fix offered for a runtime install in a generated task definition, CloudFormation,
// Terraform or compose command keeps the invariants (both files parse, untouched lines byte-identical, the
// finding gone, nothing new in either file). Prints how many inputs and fixes were tried.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { after, before, describe, test } from 'node:test';
import { initParsers } from '../../../server/src/core/treesitter';
import { commandArb } from './gen-commands';
import { analyzeWs, fixesOf, invariantProblems, withFakeNeeds, type Workspace } from './helpers';

const RUNS = Number(process.env.FIX_PROPERTY_RUNS ?? 150);

void describe('vendoring out of generated container commands', () => {
  before(() => initParsers());
  const tally = { inputs: 0, findings: 0, refused: new Map<string, number>(), applied: new Map<string, number>() };
  const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  after(() => {
    const list = (m: Map<string, number>) => [...m].sort().map(([k, v]) => `${k}=${v}`).join(', ');
    console.log(`generated commands: ${tally.inputs} inputs, ${tally.findings} runtime findings; fixes applied: ${list(tally.applied)}; without a cure: ${list(tally.refused) || 'none'}`);
  });
  void test('every offered fix keeps the invariants', () => {
    fc.assert(
      fc.property(commandArb, (g) => {
        tally.inputs++;
        const ws: Workspace = { file: g.file, files: new Map(Object.entries(g.files)) };
        const problems: string[] = [];
        for (const finding of analyzeWs(ws).findings.filter((f) => f.ruleId.startsWith('runtime-'))) {
          tally.findings++;
          const result = fixesOf(ws, finding);
          if (result.reason) bump(tally.refused, result.reason.replace(/`[^`]*`/g, '…').slice(0, 70));
          for (const offered of result.fixes) {
            const { ws: filled, fix } = withFakeNeeds(ws, finding, offered);
            if (!fix) {
              problems.push(`${offered.id}: gone once its needs were met`);
              continue;
            }
            bump(tally.applied, fix.id);
            problems.push(...invariantProblems(filled, finding, fix).map((p) => `${fix.id}: ${p}`));
          }
        }
        assert.deepEqual(problems, [], JSON.stringify(g.files, null, 1));
      }),
      { numRuns: RUNS },
    );
    for (const id of ['vendor-run', 'vendor-build-stage', 'vendor-add', 'dockerfile-for-image']) assert.ok((tally.applied.get(id) ?? 0) > 0, `${id} applied at least once`);
  });
});
