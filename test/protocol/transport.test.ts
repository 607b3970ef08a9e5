// The server as VS Code starts it (Node IPC), stale runs under a zero debounce, and the time from
// didOpen to diagnostics for a generated 1,000-line Dockerfile (printed, not asserted).
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { bigDockerfile, DOCKERFILE, makeWorkspace } from './fixtures';
import { codes, TestClient, uriOf } from './lsp-client';

test('over Node IPC (as the VS Code client starts it): diagnostics, then a clean exit', async (t) => {
  const ws = makeWorkspace({ Dockerfile: DOCKERFILE });
  const client = new TestClient('ipc');
  t.after(() => {
    client.kill();
    rmSync(ws, { recursive: true, force: true });
  });
  await client.start(ws);
  await client.open(path.join(ws, 'Dockerfile'), DOCKERFILE, 'dockerfile');
  const { diagnostics } = await client.waitForDiagnostics(path.join(ws, 'Dockerfile'), (d) => d.length > 0);
  assert.deepEqual(codes(diagnostics), ['latest-tag', 'runtime-install']);
  assert.equal(await client.stop(), 0);
});

test('with no debounce, a run for an older version never publishes after a newer one', async (t) => {
  const script = '#!/bin/sh\nnpm install\nexec node server.js\n';
  const ws = makeWorkspace({ 'docker/entrypoint.sh': script });
  const client = new TestClient();
  t.after(() => {
    client.kill();
    rmSync(ws, { recursive: true, force: true });
  });
  await client.start(ws, { debounceMs: 0 });
  const file = path.join(ws, 'Dockerfile');
  // Version A reads the entrypoint script from disk (asynchronous), so newer edits arrive mid-run.
  const a = 'FROM node:latest\nCOPY docker/entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\n';
  const b = 'FROM node:20\nCMD ["node", "server.js"]\n';
  await client.open(file, b, 'dockerfile');
  for (let v = 2; v <= 21; v++) {
    await client.change(file, v % 2 ? a : b, v);
    // A round trip lets the server start the run for this version before the next edit.
    await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: uriOf(file) }, position: { line: 0, character: 6 } });
  }
  await client.waitForDiagnostics(file, (d) => codes(d).join() === 'latest-tag');
  await client.waitForDiagnostics(path.join(ws, 'docker/entrypoint.sh'), (d) => codes(d).join() === 'runtime-install');
  assert.equal(await client.stop(), 0);
  const last = client.history.filter((h) => h.uri === uriOf(file)).at(-1)!;
  assert.deepEqual(codes(last.published.diagnostics), ['latest-tag']);
});

test('time from didOpen to diagnostics for a 1,000-line Dockerfile', async (t) => {
  const ws = makeWorkspace({});
  const client = new TestClient();
  t.after(() => {
    client.kill();
    rmSync(ws, { recursive: true, force: true });
  });
  await client.start(ws);
  // Warm up (parsers load on the first analysis).
  await client.open(path.join(ws, 'warm/Dockerfile'), DOCKERFILE, 'dockerfile');
  await client.waitForDiagnostics(path.join(ws, 'warm/Dockerfile'), (d) => d.length > 0);
  const text = bigDockerfile(1000);
  const file = path.join(ws, 'Dockerfile');
  const sent = performance.now();
  await client.open(file, text, 'dockerfile');
  const published = await client.waitForDiagnostics(file, (d) => d.length > 0);
  const ms = published.at - sent;
  t.diagnostic(`didOpen → publishDiagnostics for ${text.split('\n').length - 1} lines: ${ms.toFixed(1)} ms (${published.diagnostics.length} diagnostics)`);
  const logged = () => client.logs.find((l) => l.startsWith(`Known Good: analysed ${file} `));
  // The timing line follows the diagnostics on the wire: poll for it briefly.
  for (const until = Date.now() + 5000; !logged() && Date.now() < until; ) await new Promise((r) => setTimeout(r, 10));
  const serverTime = logged();
  assert.ok(serverTime, 'the server logs how long the analysis took');
  t.diagnostic(`server time, first open: ${serverTime}`);
  // Edits: the steady state a user sees while typing (settings cached, code warm).
  for (let v = 2; v <= 6; v++) {
    const edited = text.replace('CMD npm install', `CMD npm install --v${v}`);
    await client.change(file, edited, v);
    const line = () => client.logs.find((l) => l.startsWith(`Known Good: analysed ${file} (version ${v},`));
    for (const until = Date.now() + 5000; !line() && Date.now() < until; ) await new Promise((r) => setTimeout(r, 10));
    assert.ok(line(), `version ${v} analysed`);
    t.diagnostic(`server time, edit: ${line()}`);
  }
  assert.ok(codes(published.diagnostics).includes('runtime-install'));
  assert.equal(await client.stop(), 0);
});
