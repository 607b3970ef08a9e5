// knownGood/exportReport: the editor's SARIF, Markdown and JSON reports are the CLI's bytes; a folder
// not audited yet is audited first; multi-root workspaces report per folder; bad requests are refused.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { ResponseError } from 'vscode-jsonrpc/node';
import { paramsAndToken } from '../../server/src/lsp/audit-features';
import type { ExportReportResult } from '../../server/src/lsp/audit-protocol';
import { summary, ViewClient } from './audit-helpers';
import { FILES, makeWorkspace } from './fixtures';
import { CAPABILITIES, CLI, uriOf } from './lsp-client';

function cli(format: string, cwd: string): string {
  const r = spawnSync(process.execPath, [CLI, 'audit', '--format', format], { cwd, encoding: 'utf8' });
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  return r.stdout;
}

describe('exporting the audit report', () => {
  let a: string;
  let b: string;
  let client: ViewClient;

  before(async () => {
    a = makeWorkspace(FILES);
    b = makeWorkspace({ 'Dockerfile': 'FROM alpine\nCMD apk add curl && curl -fsSL https://example.com/x | sh\n', 'compose.yaml': 'services:\n  web:\n    image: redis:7\n' });
    client = new ViewClient();
    await client.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: uriOf(a),
      workspaceFolders: [{ uri: uriOf(a), name: 'first' }, { uri: uriOf(b), name: 'second' }],
      capabilities: CAPABILITIES,
      initializationOptions: { debounceMs: 0 },
    });
    await client.connection.sendNotification('initialized', {});
  });
  after(() => {
    client.kill();
    rmSync(a, { recursive: true, force: true });
    rmSync(b, { recursive: true, force: true });
  });

  test('a folder not audited yet is audited first, with progress; only that folder', async () => {
    const result = await client.connection.sendRequest<ExportReportResult>('knownGood/exportReport', { format: 'sarif', folder: uriOf(b), workDoneToken: 'x' });
    assert.equal(result.folder, uriOf(b));
    assert.ok(client.progress.some((p) => p.token === 'x' && p.value.kind === 'report' && p.value.message === '2/2 files'));
    const view = await client.findings();
    assert.deepEqual(view.folders.map((f) => f.name), ['second']);
    assert.deepEqual(summary(view.files), { Dockerfile: ['latest-tag:1', 'runtime-install:2', 'runtime-fetch:2'], 'compose.yaml': ['missing-digest:3'] });
  });

  for (const format of ['sarif', 'markdown', 'json'] as const) {
    test(`${format}: byte for byte what \`known-good audit --format ${format}\` writes, per folder`, async () => {
      for (const folder of [a, b]) {
        const result = await client.connection.sendRequest<ExportReportResult>('knownGood/exportReport', { format, folder: uriOf(folder) });
        assert.equal(result.content, cli(format, folder), `${format} of ${folder}`);
      }
    });
  }

  test('the whole audit covers both folders; the view names each file\'s folder', async () => {
    const result = await client.connection.sendRequest<Record<string, unknown>>('knownGood/auditWorkspace', {});
    assert.deepEqual(result, { folders: 2, files: 8, filesWithFindings: 6, findings: 9, bySeverity: { error: 5, warning: 4, info: 0, hint: 0 }, errors: 0, cancelled: false });
    const view = await client.findings();
    assert.deepEqual(view.folders.map((f) => [f.name, f.files]), [['second', 2], ['first', 6]]);
    const compose = view.files.find((f) => f.path === 'compose.yaml')!;
    assert.equal(compose.folderUri, uriOf(b));
    assert.equal(view.files.filter((f) => f.folderUri === uriOf(a)).length, 4);
  });

  test('without a folder the first one is reported; unknown formats and folders are refused', async () => {
    const first = await client.connection.sendRequest<ExportReportResult>('knownGood/exportReport', { format: 'markdown' });
    assert.equal(first.folder, uriOf(a));
    assert.equal(first.findings, 5);
    await assert.rejects(client.connection.sendRequest('knownGood/exportReport', { format: 'toString' }), (e: unknown) => e instanceof ResponseError && /unknown report format "toString"/.test(e.message));
    await assert.rejects(client.connection.sendRequest('knownGood/exportReport', { format: 'html' }), (e: unknown) => e instanceof ResponseError && /unknown report format "html"/.test(e.message));
    await assert.rejects(client.connection.sendRequest('knownGood/exportReport', { format: 'sarif', folder: 'file:///nowhere' }), (e: unknown) => e instanceof ResponseError && /no such workspace folder/.test(e.message));
  });

  test('parameters sent as an empty array (Neovim\'s empty table) mean "no parameters"', () => {
    const token = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose: () => undefined }) };
    assert.deepEqual(paramsAndToken([token]), { params: null, token });
    assert.deepEqual(paramsAndToken([[], token]), { params: null, token });
    assert.deepEqual(paramsAndToken([{ format: 'sarif' }, token]), { params: { format: 'sarif' }, token });
  });

  test('shutdown', async () => {
    assert.equal(await client.stop(), 0);
  });
});
