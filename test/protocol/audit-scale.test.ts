// The workspace audit at 2,000 files: how long it takes, the server keeps answering while it runs,
// one changed file costs one analysis, and a cancelled re-audit keeps the previous results.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { CancellationTokenSource, ResponseError } from 'vscode-jsonrpc/node';
import type { AuditWorkspaceResult } from '../../server/src/lsp/protocol';
import { ViewClient } from './audit-helpers';
import { DIGEST, makeWorkspace, write } from './fixtures';

/** 2,000 supported files: 800 Dockerfiles (half with :latest), 400 entrypoint scripts, 400 compose files, 400 task definitions. */
function bigWorkspace(): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < 400; i++) {
    files[`svc${i}/Dockerfile`] = `FROM node:20.11.1@${DIGEST}\nCOPY start.sh /start.sh\nCMD ["/start.sh"]\n`;
    files[`svc${i}/start.sh`] = i % 4 ? '#!/bin/sh\nexec node server.js\n' : '#!/bin/sh\nnpm install\nexec node server.js\n';
    files[`web${i}/Dockerfile`] = i % 2 ? 'FROM nginx:latest\n' : `FROM nginx:1.27.0@${DIGEST}\n`;
    files[`web${i}/compose.yaml`] = `services:\n  web:\n    image: nginx:1.27.${i}\n`;
    files[`ecs${i}/task-definition.json`] = JSON.stringify({ family: `f${i}`, containerDefinitions: [{ name: 'c', image: `redis:7.${i}@${DIGEST}` }] }, null, 2) + '\n';
  }
  return files;
}

describe('auditing 2,000 files', () => {
  let ws: string;
  let client: ViewClient;
  let first: AuditWorkspaceResult;

  before(async () => {
    ws = makeWorkspace(bigWorkspace());
    client = new ViewClient();
    await client.start(ws, { debounceMs: 0 });
  });
  after(() => {
    client.kill();
    rmSync(ws, { recursive: true, force: true });
  });

  test('the audit counts files in its progress and the server answers other requests meanwhile', async () => {
    const started = performance.now();
    const request = client.connection.sendRequest<AuditWorkspaceResult>('knownGood/auditWorkspace', { workDoneToken: 'big' });
    let done = false;
    const latencies: number[] = [];
    void request.finally(() => (done = true));
    while (!done) {
      const t = performance.now();
      await client.findings();
      latencies.push(performance.now() - t);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    first = await request;
    const seconds = (performance.now() - started) / 1000;
    const worst = Math.max(...latencies);
    console.log(`# audit of ${first.files} files: ${seconds.toFixed(1)} s; ${latencies.length} requests answered meanwhile, slowest ${worst.toFixed(0)} ms`);
    assert.deepEqual(first, { folders: 1, files: 2000, filesWithFindings: 700, findings: 700, bySeverity: { error: 100, warning: 600, info: 0, hint: 0 }, errors: 0, cancelled: false });
    const messages = client.progress.filter((p) => p.token === 'big' && p.value.kind === 'report').map((p) => p.value.message);
    assert.ok(messages.includes('2000/2000 files'), String(messages.at(-1)));
    assert.ok(latencies.length >= 5, `only ${latencies.length} requests during the audit`);
    assert.ok(worst < 1000, `a request waited ${worst.toFixed(0)} ms during the audit`);
  });

  test('one changed file among 2,000 costs one analysis', async () => {
    const logs = client.logs.length;
    const before = client.changes.length;
    const file = write(ws, 'web1/Dockerfile', 'FROM nginx:1.27.0\n');
    const started = performance.now();
    await client.fileEvent(file, 2);
    const change = await client.nextChange(before);
    console.log(`# incremental update of 1 file: ${(performance.now() - started).toFixed(0)} ms`);
    assert.equal(change.uris?.length, 1);
    assert.equal(client.analysedSince(logs).length, 1);
    const view = await client.findings(change.uris);
    assert.deepEqual(view.files[0].findings.map((f) => f.ruleId), ['missing-digest']);
  });

  test('cancelling a second audit keeps the first results', async () => {
    const source = new CancellationTokenSource();
    const request = client.connection.sendRequest('knownGood/auditWorkspace', { workDoneToken: 'again' }, source.token);
    await client.waitFor('second audit begins', () => (client.progress.some((p) => p.token === 'again' && p.value.kind === 'report') ? true : undefined), 20_000);
    source.cancel();
    await assert.rejects(request, (e: unknown) => e instanceof ResponseError && e.code === -32800);
    const view = await client.findings();
    assert.equal(view.folders[0].files, 2000);
    assert.equal(view.files.reduce((n, f) => n + f.findings.length, 0), 700);
  });

  test('shutdown', async () => {
    assert.equal(await client.stop(), 0);
  });
});
