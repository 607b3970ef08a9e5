// Limits through the language server: `knownGood.maxFileSizeKB` reaches the core; a skipped file shows
// one information diagnostic naming the setting; a binary or deeply nested document never stalls it.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { makeWorkspace } from '../protocol/fixtures';
import { codes, TestClient } from '../protocol/lsp-client';

void describe('limits in the language server', () => {
  let client: TestClient;
  let ws: string;
  before(async () => {
    ws = makeWorkspace({});
    client = new TestClient();
    client.settings = { maxFileSizeKB: 1 };
    await client.start(ws, { debounceMs: 0 });
  });
  after(() => {
    client.kill();
    rmSync(ws, { recursive: true, force: true });
  });

  void test('a file over knownGood.maxFileSizeKB: one skipped-file information diagnostic; raising the setting analyses it', async () => {
    const file = path.join(ws, 'Dockerfile');
    const text = 'FROM node:latest\n'.repeat(100);
    await client.open(file, text, 'dockerfile');
    const { diagnostics } = await client.waitForDiagnostics(file, (d) => d.length > 0);
    assert.equal(diagnostics.length, 1);
    const [d] = diagnostics;
    assert.equal(d.code, 'skipped-file');
    assert.equal(d.severity, 3, 'Information');
    assert.deepEqual(d.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
    assert.match(d.message, /it is 2 KB, over the 1 KB limit\. Raise the limit with the setting knownGood\.maxFileSizeKB/);
    assert.match(d.codeDescription?.href ?? '', /docs\/configuration\.md$/);
    // A pragma cannot silence it (the file is not analysed): no "Disable … for this line", no fix.
    assert.deepEqual((await client.codeActions(file, d.range)).map((a) => a.title), []);
    const seq = client.lastSeq;
    client.settings = { maxFileSizeKB: 4 };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    const again = await client.waitForDiagnostics(file, (x) => !codes(x).includes('skipped-file'), seq);
    assert.equal(again.diagnostics.length, 100);
  });

  void test('binary and deeply nested documents: skipped at once, the server keeps serving', async () => {
    client.settings = {};
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    const binary = path.join(ws, 'bin/Dockerfile');
    await client.open(binary, 'FROM node:latest\0\0\0', 'dockerfile');
    assert.deepEqual(codes((await client.waitForDiagnostics(binary, (d) => d.length > 0)).diagnostics), ['skipped-file']);
    const deep = path.join(ws, 'deploy/task-definition.json');
    await client.open(deep, `{"containerDefinitions":[${'['.repeat(50_000)}${']'.repeat(50_000)}]}`, 'json');
    const skipped = await client.waitForDiagnostics(deep, (d) => d.length > 0);
    assert.match(skipped.diagnostics[0].message, /nest more than 200 levels deep/);
    const hover = await client.hover(deep, 0, 5);
    assert.equal(hover, null);
    assert.equal(await client.stop(), 0);
  });
});
