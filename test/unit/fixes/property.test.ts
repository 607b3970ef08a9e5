// Property tests: every fix offered for a generated file keeps the invariants (parses, untouched lines
// byte-identical, CRLF and escape kept, the finding gone, nothing new). Prints how many inputs were tried.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { after, before, describe, test } from 'node:test';
import { initParsers } from '../../../server/src/core/treesitter';
import { dockerfileArb } from './gen-dockerfile';
import { infraArb } from './gen-infra';
import { analyzeWs, fixesOf, invariantProblems, withFakeNeeds, type Workspace } from './helpers';

const RUNS = Number(process.env.FIX_PROPERTY_RUNS ?? 150);
/** Rules with a cure besides ignoring (the image rules are cured by pinning, elsewhere). */
const CURED = new Set(['runtime-install', 'runtime-fetch', 'add-without-checksum', 'ecr-mutable-tags', 'version-consistency-disabled']);

interface Tally {
  inputs: number;
  findings: number;
  applied: Map<string, number>;
  refused: number;
}

function tally(): Tally {
  return { inputs: 0, findings: 0, applied: new Map(), refused: 0 };
}

/** Check every fix of every finding of `rules` in `ws`; returns the problems found. */
function checkAll(ws: Workspace, rules: Set<string>, t: Tally): string[] {
  t.inputs++;
  const problems: string[] = [];
  for (const finding of analyzeWs(ws).findings.filter((f) => rules.has(f.ruleId))) {
    t.findings++;
    const result = fixesOf(ws, finding);
    if (CURED.has(finding.ruleId) && !result.fixes.some((f) => !f.id.startsWith('ignore-'))) t.refused++;
    if (result.fixes.length === 0) problems.push(`${finding.ruleId}: not even an ignore fix`);
    for (const offered of result.fixes) {
      const { ws: filled, fix } = withFakeNeeds(ws, finding, offered);
      if (!fix) {
        problems.push(`${offered.id}: gone once its needs were met`);
        continue;
      }
      if (fix.needs?.length) problems.push(`${fix.id}: still needs ${JSON.stringify(fix.needs)}`);
      const broken = invariantProblems(filled, finding, fix);
      problems.push(...broken.map((b) => `${fix.id} for ${finding.ruleId} "${finding.message.slice(0, 40)}…": ${b}`));
      t.applied.set(fix.id, (t.applied.get(fix.id) ?? 0) + 1);
    }
  }
  return problems;
}

function report(name: string, t: Tally): void {
  const applied = [...t.applied].sort().map(([k, v]) => `${k}=${v}`).join(', ');
  console.log(`${name}: ${t.inputs} inputs tried, ${t.findings} findings, ${t.refused} of the curable ones without a cure (reason shown instead); fixes applied: ${applied}`);
}

void describe('fix properties', () => {
  before(() => initParsers());

  const docker = tally();
  after(() => report('generated Dockerfiles', docker));
  void test('Dockerfiles with runtime downloads and remote ADDs', () => {
    fc.assert(
      fc.property(dockerfileArb, (g) => {
        const ws: Workspace = { file: 'Dockerfile', files: new Map([['Dockerfile', g.text], ...Object.entries(g.files)]) };
        const problems = checkAll(ws, new Set(['runtime-install', 'runtime-fetch', 'add-without-checksum', 'latest-tag', 'missing-digest']), docker);
        assert.deepEqual(problems, [], g.text);
      }),
      { numRuns: RUNS },
    );
    assert.ok((docker.applied.get('vendor-build-stage') ?? 0) > 0 && (docker.applied.get('vendor-run') ?? 0) > 0 && (docker.applied.get('vendor-add') ?? 0) > 0);
  });

  const infra = tally();
  after(() => report('generated task definitions, CloudFormation and Terraform', infra));
  void test('ECR repositories and version consistency', () => {
    fc.assert(
      fc.property(infraArb, (g) => {
        const ws: Workspace = { file: g.file, files: new Map([[g.file, g.text]]) };
        const problems = checkAll(ws, new Set(['ecr-mutable-tags', 'version-consistency-disabled', 'latest-tag']), infra);
        assert.deepEqual(problems, [], g.text);
      }),
      { numRuns: RUNS },
    );
    assert.ok((infra.applied.get('ecr-immutable') ?? 0) > 0 && (infra.applied.get('version-consistency-remove') ?? 0) > 0);
  });
});
