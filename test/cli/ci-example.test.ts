// examples/ci/github-actions.yml: its `known-good` commands run as written (on a fixture, with the built
// CLI in place of npx) and write the SARIF file the upload step names; the job may upload it.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { parseCommand } from '../../server/src/cli/args';
import { FIXTURES, REPO, runCli } from './helpers';

interface Step { name?: string; id?: string; uses?: string; run?: string; with?: Record<string, string>; if?: string; 'continue-on-error'?: boolean }
const workflow = parse(readFileSync(path.join(REPO, 'examples/ci/github-actions.yml'), 'utf8')) as {
  permissions: Record<string, string>;
  jobs: { audit: { steps: Step[] } };
};
const steps = workflow.jobs.audit.steps;
const NPX = 'npx --yes known-good ';

/** The CLI arguments of a `run:` line (`npx --yes known-good …`, without a trailing redirection). */
function cliArgs(run: string): string[] {
  assert.ok(run.startsWith(NPX), run);
  return run.slice(NPX.length).replace(/\s*>>.*$/, '').split(/\s+/);
}

describe('GitHub Actions example', () => {
  test('the audit step writes SARIF where the upload step reads it; the job may write security events', () => {
    const audit = steps.find((s) => s.id === 'audit')!;
    const args = cliArgs(audit.run!);
    const command = parseCommand(args);
    assert.ok(command.name === 'audit');
    assert.equal(command.format, 'sarif');
    assert.equal(command.failOn, 'error');
    assert.equal(audit['continue-on-error'], true);
    const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'))!;
    assert.equal(upload.with?.sarif_file, command.output);
    assert.equal(workflow.permissions['security-events'], 'write');
    assert.ok(steps.some((s) => s.if === "steps.audit.outcome == 'failure'" && s.run === 'exit 1'), 'the job still fails on errors');
  });

  test('its commands run as written', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'known-good-ci-'));
    try {
      cpSync(path.join(FIXTURES, 'basic'), dir, { recursive: true });
      const audit = runCli(cliArgs(steps.find((s) => s.id === 'audit')!.run!), dir);
      // Only warnings in the fixture, and --fail-on error: the step passes.
      assert.equal(audit.code, 0, audit.stderr);
      const sarif = JSON.parse(readFileSync(path.join(dir, 'known-good.sarif'), 'utf8')) as { version: string; runs: { results: unknown[] }[] };
      assert.equal(sarif.version, '2.1.0');
      assert.equal(sarif.runs[0].results.length, 3);
      const summary = runCli(cliArgs(steps.find((s) => s.name === 'Summary')!.run!), dir);
      assert.equal(summary.code, 0);
      assert.match(summary.stdout, /^# Known Good audit report\n\n\*\*3 problems\*\*/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
