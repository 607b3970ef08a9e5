// A rule that throws (forced by the test hook KG_TEST_THROWING_RULE) costs one internal error for the
// file it threw on, logged; every other rule and file is served as before, in the CLI and the server.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { analyze } from '../../server/src/core/analyze';
import { RULES } from '../../server/src/core/rules';
import { initParsers } from '../../server/src/core/treesitter';
import { rulesUnderTest } from '../../server/src/test-hooks';
import { runCli } from '../cli/helpers';
import { makeWorkspace } from '../protocol/fixtures';
import { codes, TestClient } from '../protocol/lsp-client';
import { CaseCount } from '../hostile/helpers';

const MARKER = 'KG_THROW_HERE';
const HOOK = `latest-tag@${MARKER}`;
const BOOM = `# ${MARKER}\nFROM node:latest\nCMD npm install\n`;
const CALM = 'FROM node:latest\nCMD npm install\n';
const cases = new CaseCount('rule fault cases');

void describe('a rule that throws', () => {
  before(() => initParsers());
  after(() => console.log(cases.summary()));

  void test('the hook replaces exactly one rule, and only for files holding the marker', () => {
    assert.equal(rulesUnderTest({}), undefined, 'no hook, no change');
    const rules = rulesUnderTest({ KG_TEST_THROWING_RULE: HOOK })!;
    assert.deepEqual(rules.map((r) => r.meta.id), RULES.map((r) => r.meta.id));
    assert.equal(rules.filter((r, i) => r !== RULES[i]).length, 1);
    const calm = analyze({ file: 'Dockerfile', text: CALM, rules });
    assert.deepEqual(calm.findings.map((f) => f.ruleId), ['latest-tag', 'runtime-install']);
    const boom = analyze({ file: 'Dockerfile', text: BOOM, rules });
    assert.deepEqual(boom.findings.map((f) => f.ruleId), ['internal-error', 'runtime-install']);
    assert.equal(boom.findings[0].message, 'Known Good could not finish rule latest-tag for this file: rule latest-tag forced to throw by KG_TEST_THROWING_RULE. Other rules and files are unaffected; please report this.');
    assert.deepEqual(boom.findings[0].range, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
    cases.add('core: one rule throws on one file');
  });

  void test('CLI audit: one internal-error finding for that file; the other file and the other rules are reported', () => {
    const root = makeWorkspace({ 'a/Dockerfile': BOOM, 'b/Dockerfile': CALM });
    try {
      const r = runCli(['audit', '--format', 'json'], root, { KG_TEST_THROWING_RULE: HOOK });
      assert.equal(r.code, 1, r.stderr);
      const report = JSON.parse(r.stdout) as { findings: { file: string; ruleId: string; severity: string; range: unknown }[] };
      assert.deepEqual(report.findings.map((f) => `${f.file} ${f.ruleId} ${f.severity}`), [
        'a/Dockerfile internal-error error',
        'a/Dockerfile runtime-install error',
        'b/Dockerfile latest-tag warning',
        'b/Dockerfile runtime-install error',
      ]);
      const sarif = runCli(['audit', '--format', 'sarif'], root, { KG_TEST_THROWING_RULE: HOOK });
      assert.ok((JSON.parse(sarif.stdout) as { runs: { results: { ruleId: string }[] }[] }).runs[0].results.some((x) => x.ruleId === 'internal-error'));
      // Without the hook, the same files are clean of internal errors.
      assert.ok(!runCli(['audit', '--format', 'json'], root).stdout.includes('internal-error'));
      cases.add('CLI audit, JSON and SARIF');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  void describe('language server', () => {
    let client: TestClient;
    let ws: string;
    before(async () => {
      ws = makeWorkspace({ 'a/Dockerfile': BOOM, 'b/Dockerfile': CALM, 'c/task-definition.json': '{"containerDefinitions":[{"name":"a","image":"nginx:latest"}]}\n' });
      const saved = process.env.KG_TEST_THROWING_RULE;
      process.env.KG_TEST_THROWING_RULE = HOOK;
      try {
        client = new TestClient();
      } finally {
        if (saved === undefined) delete process.env.KG_TEST_THROWING_RULE;
        else process.env.KG_TEST_THROWING_RULE = saved;
      }
      await client.start(ws, { debounceMs: 0 });
    });
    after(() => {
      client.kill();
      rmSync(ws, { recursive: true, force: true });
    });

    void test('the throwing file gets one internal error (logged) beside its other diagnostics; the others are untouched', async () => {
      const boom = path.join(ws, 'a/Dockerfile');
      const calm = path.join(ws, 'b/Dockerfile');
      const json = path.join(ws, 'c/task-definition.json');
      await client.open(boom, BOOM, 'dockerfile');
      await client.open(calm, CALM, 'dockerfile');
      await client.open(json, '{"containerDefinitions":[{"name":"a","image":"nginx:latest"}]}\n', 'json');
      const a = await client.waitForDiagnostics(boom, (d) => d.length > 0);
      assert.deepEqual(codes(a.diagnostics), ['internal-error', 'runtime-install']);
      assert.deepEqual(codes((await client.waitForDiagnostics(calm, (d) => d.length > 0)).diagnostics), ['latest-tag', 'runtime-install']);
      assert.deepEqual(codes((await client.waitForDiagnostics(json, (d) => d.length > 0)).diagnostics), ['latest-tag']);
      await client.waitFor('the internal error in the log', () => client.logs.find((l) => l.includes(`internal error in ${boom}`) && l.includes('rule latest-tag forced to throw')));
      cases.add('server: throwing file, calm Dockerfile, task definition');
    });

    void test('the server keeps serving: hover, code actions, and an edit that removes the trigger heals the file', async () => {
      const boom = path.join(ws, 'a/Dockerfile');
      const hover = await client.hover(boom, 1, 7);
      assert.ok(hover, 'hover still answers on the throwing file');
      const actions = await client.codeActions(boom, { start: { line: 2, character: 4 }, end: { line: 2, character: 4 } });
      assert.ok(actions.length > 0, 'code actions still answer');
      const seq = client.lastSeq;
      await client.change(boom, CALM, 2);
      const healed = await client.waitForDiagnostics(boom, (d) => !codes(d).includes('internal-error'), seq);
      assert.deepEqual(codes(healed.diagnostics), ['latest-tag', 'runtime-install']);
      await client.change(boom, BOOM, 3);
      assert.deepEqual(codes((await client.waitForDiagnostics(boom, (d) => codes(d).includes('internal-error'), client.lastSeq)).diagnostics), ['internal-error', 'runtime-install']);
      assert.equal(client.exited, false);
      assert.equal(await client.stop(), 0);
      cases.add('server: hover, code actions and edits after the fault');
    });
  });
});
