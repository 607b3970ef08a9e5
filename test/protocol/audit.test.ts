// knownGood/auditWorkspace on a larger workspace: progress with file counts, and cancellation.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { test } from 'node:test';
import { CancellationTokenSource, ResponseError } from 'vscode-jsonrpc/node';
import { DIGEST, makeWorkspace } from './fixtures';
import { TestClient } from './lsp-client';

function manyDockerfiles(n: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < n; i++) files[`svc${i}/Dockerfile`] = i % 2 ? 'FROM node:latest\nCMD ["node", "s.js"]\n' : `FROM node:20.11.1@${DIGEST}\nCMD ["node", "s.js"]\n`;
  return files;
}

test('audit reports progress as file counts and returns counts by severity', async (t) => {
  const ws = makeWorkspace(manyDockerfiles(40));
  const client = new TestClient();
  t.after(() => {
    client.kill();
    rmSync(ws, { recursive: true, force: true });
  });
  await client.start(ws);
  const result = await client.connection.sendRequest<Record<string, unknown>>('knownGood/auditWorkspace', { workDoneToken: 'p' });
  assert.deepEqual(result, { folders: 1, files: 40, filesWithFindings: 20, findings: 20, bySeverity: { error: 0, warning: 20, info: 0, hint: 0 }, errors: 0, cancelled: false });
  const reports = client.progress.filter((p) => p.token === 'p' && p.value.kind === 'report');
  assert.ok(reports.some((r) => r.value.message === '40/40 files'), JSON.stringify(reports.at(-1)));
  assert.ok(reports.every((r) => (r.value.percentage ?? 0) <= 100));
  await client.waitFor('20 files with diagnostics', () => ([...client.diagnostics.values()].filter((d) => d.diagnostics.length).length === 20 ? true : undefined));
  assert.equal(await client.stop(), 0);
});

test('cancelling the audit request rejects it and publishes nothing', async (t) => {
  const ws = makeWorkspace(manyDockerfiles(1500));
  const client = new TestClient();
  t.after(() => {
    client.kill();
    rmSync(ws, { recursive: true, force: true });
  });
  await client.start(ws);
  const source = new CancellationTokenSource();
  const request = client.connection.sendRequest('knownGood/auditWorkspace', { workDoneToken: 'c' }, source.token);
  // Cancel as soon as the audit has begun (while it scans and reads the files).
  await client.waitFor('progress begin', () => (client.progress.some((p) => p.token === 'c' && p.value.kind === 'begin') ? true : undefined), 20_000);
  source.cancel();
  await assert.rejects(request, (e: unknown) => e instanceof ResponseError && e.code === -32800);
  await client.waitFor('progress end', () => (client.progress.some((p) => p.token === 'c' && p.value.kind === 'end') ? true : undefined));
  assert.equal([...client.diagnostics.values()].filter((d) => d.diagnostics.length).length, 0);
  assert.equal(await client.stop(), 0);
});
