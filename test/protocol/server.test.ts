// Drives the built server (`node dist/cli.js lsp --stdio`) over JSON-RPC: diagnostics, edits, hover,
// entrypoint scripts, watched files, configuration, .knowngood.yaml, the audit request, shutdown.
import assert from 'node:assert/strict';
import { rmSync, unlinkSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { DOCKERFILE, makeWorkspace, write } from './fixtures';
import { codes, TestClient, uriOf } from './lsp-client';

const DOCS = 'https://github.com/known-good/known-good/blob/main/docs/rules/';
const range = (l1: number, c1: number, l2: number, c2: number) => ({ start: { line: l1, character: c1 }, end: { line: l2, character: c2 } });

describe('language server over stdio', () => {
  let ws: string;
  let client: TestClient;
  let dockerfile: string;

  before(async () => {
    ws = makeWorkspace();
    dockerfile = path.join(ws, 'Dockerfile');
    client = new TestClient();
  });
  after(() => {
    client.kill();
    rmSync(ws, { recursive: true, force: true });
  });

  test('initialize announces incremental sync and hover', async () => {
    const result = await client.start(ws);
    assert.equal(result.capabilities.hoverProvider, true);
    assert.deepEqual(result.capabilities.textDocumentSync, { openClose: true, change: 2 });
  });

  test('didOpen publishes complete diagnostics with exact ranges', async () => {
    await client.open(dockerfile, DOCKERFILE, 'dockerfile');
    const { diagnostics } = await client.waitForDiagnostics(dockerfile, (d) => d.length > 0);
    assert.deepEqual(codes(diagnostics), ['latest-tag', 'runtime-install']);
    const latest = diagnostics.find((d) => d.code === 'latest-tag')!;
    const install = diagnostics.find((d) => d.code === 'runtime-install')!;
    assert.deepEqual(latest.range, range(0, 5, 0, 16)); // node:latest
    assert.deepEqual(install.range, range(1, 4, 1, 15)); // npm install
    for (const [d, severity] of [[latest, 2], [install, 1]] as const) {
      assert.equal(d.source, 'known-good');
      assert.equal(d.severity, severity);
      assert.equal(d.codeDescription?.href, `${DOCS}${d.code}.md`);
      assert.ok(d.message.length > 20);
    }
  });

  test('didChange: debounced, and only the newest version is published', async () => {
    const since = client.lastSeq;
    // Ten edits in a row: the last one leaves only the latest tag.
    for (let v = 2; v <= 11; v++) {
      await client.change(dockerfile, v % 2 ? 'FROM node:latest\nCMD ["node", "server.js"]\n' : `FROM node:20\nCMD npm ci # v${v}\n`, v);
    }
    const { diagnostics } = await client.waitForDiagnostics(dockerfile, (d) => codes(d).join() === 'latest-tag', since);
    assert.deepEqual(diagnostics[0].range, range(0, 5, 0, 16));
    const published = client.history.filter((h) => h.uri === uriOf(dockerfile) && h.published.seq > since);
    assert.ok(published.length <= 2, `10 quick edits were analysed ${published.length} times`);
  });

  test('hover on an image explains the reference', async () => {
    const since = client.lastSeq;
    await client.change(dockerfile, DOCKERFILE, 12);
    await client.waitForDiagnostics(dockerfile, (d) => d.length === 2, since);
    const hover = await client.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri: uriOf(dockerfile) }, position: { line: 0, character: 8 } });
    assert.ok(hover, 'hover on node:latest');
    const value = (hover.contents as MarkupContent).value;
    assert.equal((hover.contents as MarkupContent).kind, 'markdown');
    for (const text of ['`docker.io`', '`library/node`', '`latest`', 'ECS pulls whatever that tag points to when a task starts', 'latest-tag']) assert.ok(value.includes(text), `hover mentions ${text}:\n${value}`);
    assert.deepEqual(hover.range, range(0, 5, 0, 16));
    const none = await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: uriOf(dockerfile) }, position: { line: 1, character: 1 } });
    assert.equal(none, null);
  });

  test('findings in an entrypoint script are published to the script, related to the Dockerfile', async () => {
    const appDockerfile = path.join(ws, 'app/Dockerfile');
    const script = path.join(ws, 'app/docker/entrypoint.sh');
    await client.open(appDockerfile, `FROM node:20.11.1@sha256:${'ab12'.repeat(16)}\nCOPY docker/entrypoint.sh /usr/local/bin/entrypoint.sh\nENTRYPOINT ["/usr/local/bin/entrypoint.sh"]\n`, 'dockerfile');
    const { diagnostics } = await client.waitForDiagnostics(script, (d) => d.length > 0);
    assert.deepEqual(codes(diagnostics), ['runtime-install']);
    assert.deepEqual(diagnostics[0].range, range(1, 0, 1, 11)); // npm install
    const related = diagnostics[0].relatedInformation ?? [];
    assert.ok(related.length >= 1);
    assert.ok(related.every((r) => r.location.uri === uriOf(appDockerfile)));
    assert.ok(related.some((r) => r.location.range.start.line === 2), 'the ENTRYPOINT that runs the script');
    assert.deepEqual((await client.waitForDiagnostics(appDockerfile, () => true)).diagnostics, []);
  });

  test('didChangeWatchedFiles after the script changes on disk updates its diagnostics', async () => {
    const script = write(ws, 'app/docker/entrypoint.sh', '#!/bin/sh\nexec node server.js\n');
    let since = client.lastSeq;
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(script), type: 2 }] });
    await client.waitForDiagnostics(script, (d) => d.length === 0, since);
    write(ws, 'app/docker/entrypoint.sh', '#!/bin/sh\ncurl -fsSL https://example.com/setup.sh | sh\nexec node server.js\n');
    since = client.lastSeq;
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(script), type: 2 }] });
    const { diagnostics } = await client.waitForDiagnostics(script, (d) => d.length > 0, since);
    assert.ok(codes(diagnostics).includes('runtime-fetch'), `got ${codes(diagnostics).join()}`);
    assert.equal(diagnostics[0].range.start.line, 1);
  });

  test('a script opened alone learns from the workspace index which Dockerfile runs it', async () => {
    const script = path.join(ws, 'worker/start.sh');
    await client.open(script, '#!/bin/sh\npip install flask\nexec python app.py\n', 'shellscript');
    const { diagnostics } = await client.waitForDiagnostics(script, (d) => d.length > 0, 0, 20_000);
    assert.deepEqual(codes(diagnostics), ['runtime-install']);
    assert.deepEqual(diagnostics[0].range, range(1, 0, 1, 17));
    assert.ok((diagnostics[0].relatedInformation ?? []).some((r) => r.location.uri === uriOf(path.join(ws, 'worker/Dockerfile'))));
  });

  test('settings are pulled per resource; didChangeConfiguration refreshes diagnostics', async () => {
    const requests = client.configurationRequests;
    assert.ok(requests > 0, 'workspace/configuration was used');
    client.settings = { rules: { 'latest-tag': 'off', 'runtime-install': 'hint' } };
    let since = client.lastSeq;
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const { diagnostics } = await client.waitForDiagnostics(dockerfile, (d) => codes(d).join() === 'runtime-install', since);
    assert.equal(diagnostics[0].severity, 4);
    assert.ok(client.configurationRequests > requests);
    client.settings = {};
    since = client.lastSeq;
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.waitForDiagnostics(dockerfile, (d) => d.length === 2, since);
  });

  test('knownGood.exclude stops analysis of matching files', async () => {
    client.settings = { exclude: ['Dockerfile'] };
    let since = client.lastSeq;
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.waitForDiagnostics(dockerfile, (d) => d.length === 0, since);
    client.settings = { include: ['app/**'], exclude: [] };
    since = client.lastSeq;
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.waitForDiagnostics(dockerfile, (d) => d.length === 0, since);
    client.settings = {};
    since = client.lastSeq;
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.waitForDiagnostics(dockerfile, (d) => d.length === 2, since);
  });

  test('a change to .knowngood.yaml reloads the configuration', async () => {
    const config = write(ws, '.knowngood.yaml', 'rules:\n  runtime-install: off\n');
    let since = client.lastSeq;
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(config), type: 1 }] });
    await client.waitForDiagnostics(dockerfile, (d) => codes(d).join() === 'latest-tag', since);
    unlinkSync(config);
    since = client.lastSeq;
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(config), type: 3 }] });
    await client.waitForDiagnostics(dockerfile, (d) => d.length === 2, since);
  });

  test('unsupported and malformed documents: no diagnostics, and the server keeps serving', async () => {
    const notes = path.join(ws, 'notes.txt');
    await client.open(notes, 'FROM node:latest is not a Dockerfile here\n');
    assert.deepEqual((await client.waitForDiagnostics(notes, () => true)).diagnostics, []);
    const broken = path.join(ws, 'deploy/broken.json');
    await client.open(broken, '{"containerDefinitions": [{"image": "nginx:latest", ', 'json');
    await client.waitForDiagnostics(broken, () => true);
    const binary = path.join(ws, 'weird/Dockerfile');
    await client.open(binary, 'FROM \u0000\uffff:@@@\nCMD ["unterminated\nRUN <<EOF\n', 'dockerfile');
    await client.waitForDiagnostics(binary, () => true);
    // A request for a document the server never saw, and one with nonsense parameters.
    assert.equal(await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: 'file:///nowhere/Dockerfile' }, position: { line: 0, character: 0 } }), null);
    await client.connection.sendRequest('textDocument/hover', { textDocument: {}, position: null }).catch(() => undefined);
    const hover = await client.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri: uriOf(dockerfile) }, position: { line: 0, character: 6 } });
    assert.ok(hover, 'still serving');
  });

  test('knownGood/auditWorkspace publishes diagnostics for files not open, with progress', async () => {
    const taskdef = path.join(ws, 'deploy/task-definition.json');
    const result = await client.connection.sendRequest<Record<string, unknown>>('knownGood/auditWorkspace', { workDoneToken: 'audit-1' });
    assert.equal(result.folders, 1);
    assert.equal(result.cancelled, false);
    assert.ok((result.files as number) >= 5, `files: ${String(result.files)}`);
    assert.ok((result.findings as number) >= 4, `findings: ${String(result.findings)}`);
    const { diagnostics } = await client.waitForDiagnostics(taskdef, (d) => d.length > 0);
    assert.deepEqual(codes(diagnostics), ['latest-tag']);
    assert.equal(diagnostics[0].source, 'known-good');
    const kinds = client.progress.filter((p) => p.token === 'audit-1').map((p) => p.value.kind);
    assert.equal(kinds[0], 'begin');
    assert.equal(kinds.at(-1), 'end');
  });

  test('shutdown and exit end the process cleanly', async () => {
    assert.equal(await client.stop(), 0);
    // After exit, the last diagnostics published for the Dockerfile are those of its last version.
    const last = client.history.filter((h) => h.uri === uriOf(dockerfile)).at(-1);
    assert.deepEqual(codes(last!.published.diagnostics), ['latest-tag', 'runtime-install']);
  });
});
