// Properties of every parser entry on grammar-generated inputs, intact and mutated: analyze() never
// throws, never reports an internal error, stays within the hang bound, keeps every range in its document.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { after, before, describe, test } from 'node:test';
import { parseConfig } from '../../server/src/core/config';
import { exactSource } from '../../server/src/core/model';
import { RULE_IDS } from '../../server/src/core/rules';
import { analyzeScript, invokedScripts } from '../../server/src/core/shell/analyze';
import { initParsers } from '../../server/src/core/treesitter';
import type { Settings } from '../../server/src/core/types';
import { dockerfile } from './gen-dockerfile';
import { cloudformation, compose, ecsJson, knownGoodConfig } from './gen-infra';
import { scriptFile } from './gen-shell';
import { terraform, terraformFiles } from './gen-terraform';
import { assertAnalysis, cpuTimed, HANG_MS, report, RUNS, SEED, tally, TOTALS } from './harness';
import { mutated } from './mutate';

/** Settings that switch every rule on (stale-digest too) and ignore one path, so those paths run as well. */
const SETTINGS: Settings = { rules: { 'stale-digest': 'info' }, ignore: [{ path: 'ignored/**' }, { path: '**', pointer: '/containerDefinitions/1', rules: ['latest-tag'] }], root: '.' };
const DIGESTS = new Map([['docker.io/library/nginx:1.27', `sha256:${'cd'.repeat(32)}`]]);
const RUNNER = 'FROM node:20\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\n';

void describe(`parser properties (${RUNS} runs each, seed ${SEED})`, () => {
  before(() => initParsers());
  after(() => console.log(`fuzz summary, inputs tried per property:\n${TOTALS.map((l) => `  ${l}`).join("\n")}`));

  void test('Dockerfile', (t) => {
    const arb = fc.tuple(mutated(dockerfile), mutated(scriptFile));
    assertAnalysis(t, 'Dockerfile', arb, ([text, start]) => ({ file: 'app/Dockerfile', text, settings: SETTINGS, digests: DIGESTS, files: new Map([['app/start.sh', start], ['app/docker/entrypoint.sh', start]]) }));
  });

  void test('shell scripts run by a Dockerfile (findings land in the script)', (t) => {
    assertAnalysis(t, 'shell via Dockerfile', mutated(scriptFile), (script) => ({ file: 'Dockerfile', text: RUNNER, settings: SETTINGS, files: new Map([['entrypoint.sh', script]]) }));
  });

  void test('shell scripts opened on their own (run by a Dockerfile of the workspace)', (t) => {
    const workspace = { imageTags: [], scriptRunners: new Map([['entrypoint.sh', [{ runBy: { file: 'Dockerfile', span: { start: 0, end: 4 } } }]]]) };
    assertAnalysis(t, 'shell script file', mutated(scriptFile), (text) => ({ file: 'entrypoint.sh', text, settings: SETTINGS, workspace }));
  });

  void test('analyzeScript and invokedScripts directly: never throw, spans inside the script', (t) => {
    const counts = tally();
    try {
      fc.assert(
        fc.property(mutated(scriptFile), (text) => {
          const { value, ms } = cpuTimed(() => [analyzeScript(exactSource(text, 0)), invokedScripts({ script: exactSource(text, 0) })] as const);
          counts.inputs++;
          counts.findings += value[0].length;
          counts.maxCpuMs = Math.max(counts.maxCpuMs, ms);
          counts.totalCpuMs += ms;
          assert.ok(ms < HANG_MS, `took ${ms} ms`);
          for (const d of value[0]) assert.ok(d.span.start >= 0 && d.span.start <= d.span.end && d.span.end <= text.length, `download ${JSON.stringify(d)} outside ${text.length}`);
          for (const s of value[1]) assert.ok(s.span.start >= 0 && s.span.start <= s.span.end && s.span.end <= text.length, `script ${JSON.stringify(s)} outside ${text.length}`);
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true, includeErrorInReport: true },
      );
    } finally {
      report(t, 'analyzeScript', counts);
    }
  });

  void test('ECS task-definition JSON', (t) => {
    assertAnalysis(t, 'ECS JSON', mutated(ecsJson), (text) => ({ file: 'deploy/task-definition.json', text, settings: SETTINGS, digests: DIGESTS }));
  });

  void test('CloudFormation YAML and JSON', (t) => {
    const arb = fc.tuple(cloudformation, fc.option(fc.constant(true), { freq: 4 })).chain(([c, intact]) => (intact ? fc.constant(c) : mutated(fc.constant(c.text)).map((text) => ({ ...c, text }))));
    assertAnalysis(t, 'CloudFormation', arb, (c) => ({ file: c.json ? 'cfn/template.json' : 'cfn/template.yaml', text: c.text, settings: SETTINGS }));
  });

  void test('Terraform (with file() and templatefile() targets)', (t) => {
    assertAnalysis(t, 'Terraform', fc.tuple(mutated(terraform), terraformFiles), ([text, files]) => ({
      file: 'infra/main.tf',
      text,
      settings: SETTINGS,
      files: new Map(Object.entries(files).map(([k, v]) => [`infra/${k}`, v])),
    }));
  });

  void test('compose (with .env)', (t) => {
    const arb = compose.chain((c) => fc.tuple(mutated(fc.constant(c.text)), mutated(fc.constant(c.env))).map(([text, env]) => ({ text, env })));
    assertAnalysis(t, 'compose', arb, (c) => ({
      file: 'compose.yaml',
      text: c.text,
      settings: SETTINGS,
      files: new Map([['.env', c.env]]),
    }));
  });

  void test('.knowngood.yaml through analyze() and parseConfig()', (t) => {
    assertAnalysis(t, '.knowngood.yaml', mutated(knownGoodConfig), (text) => {
      const parsed = parseConfig(text, RULE_IDS);
      for (const p of parsed.problems) assert.ok(p.span.start >= 0 && p.span.start <= text.length, `config problem at ${p.span.start} outside ${text.length}`);
      // Whatever the file says, only rule levels and ignores come out of it.
      assert.deepEqual(Object.keys(parsed.config).sort(), ['ignore', 'rules']);
      return { file: '.knowngood.yaml', text };
    });
  });
});
