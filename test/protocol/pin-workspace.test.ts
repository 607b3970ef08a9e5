// knownGood/pinWorkspace against a real loopback registry: one WorkspaceEdit over several files whose
// edits need confirmation, one request per distinct tag, failures listed, ignored findings left alone.
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { AnnotatedTextEdit, ChangeAnnotation, TextDocumentEdit } from 'vscode-languageserver-protocol';
import type { PinWorkspaceResult } from '../../server/src/lsp/protocol';
import { makeWorkspace } from './fixtures';
import { TestClient, uriOf } from './lsp-client';
import { applyLspEdits, skipUnlessTools, startDemoRegistry, type DemoRegistry } from './registry-fixture';

describe('knownGood/pinWorkspace', { skip: skipUnlessTools() }, () => {
  let demo: DemoRegistry;
  let ws: string;
  let client: TestClient;
  let files: Record<string, string>;
  let openText: string;

  before(async () => {
    demo = await startDemoRegistry();
    const h = demo.proxy.host;
    files = {
      Dockerfile: `FROM ${h}/demo/app:1.0 AS build\nFROM ${h}/demo/app:9.9\n`,
      'compose.yaml': `services:\n  web:\n    image: "${h}/demo/app:1.0"\n  api:\n    image: ${h}/demo/app:2.0\n  done:\n    image: ${h}/demo/app:1.0@${demo.single.manifest.digest}\n  var:\n    image: ${h}/demo/app:\${TAG:-1.0}\n`,
      'deploy/task-definition.json': `{\n  "family": "web",\n  "containerDefinitions": [{ "name": "web", "image": "${h}/demo/app:1.0" }]\n}\n`,
      'legacy/Dockerfile': `# known-good-ignore missing-digest -- frozen legacy build\nFROM ${h}/demo/app:2.0\n`,
    };
    ws = makeWorkspace(files);
    client = new TestClient();
    client.baseSettings = {};
    await client.start(ws, { debounceMs: 0 });
    // An open document with unsaved edits: its text (and version) is what gets pinned.
    openText = `# unsaved line\n${files.Dockerfile}`;
    await client.open(path.join(ws, 'Dockerfile'), openText, 'dockerfile', 7);
  });
  after(async () => {
    client.kill();
    await demo?.stop();
    rmSync(ws, { recursive: true, force: true });
  });

  test('one edit with needsConfirmation annotations; one request per distinct tag; failures listed', async () => {
    const before = demo.proxy.seen.length;
    const result = await client.connection.sendRequest<PinWorkspaceResult>('knownGood/pinWorkspace', {});
    const requests = demo.manifestRequests(before);
    const h = demo.proxy.host;
    assert.deepEqual(requests.sort(), ['HEAD /v2/demo/app/manifests/1.0', 'HEAD /v2/demo/app/manifests/2.0', 'HEAD /v2/demo/app/manifests/9.9']);
    console.log(`# pin workspace: ${result.references} references, ${result.queries} distinct tags, ${requests.length} manifest requests`);
    assert.equal(result.files, 4);
    assert.equal(result.references, 5, 'the pinned, variable and ignored references are left alone');
    assert.equal(result.queries, 3);
    assert.equal(result.pinned, 4);
    assert.deepEqual(result.failures.map((f) => ({ ...f, message: f.message.replace(/ \(HTTP.*$/, '') })), [
      { uri: uriOf(path.join(ws, 'Dockerfile')), line: 2, character: 5, query: `${h}/demo/app:9.9`, message: `demo/app:9.9 not found on ${h}` },
    ]);
    const edit = result.edit as { documentChanges: TextDocumentEdit[]; changeAnnotations: Record<string, ChangeAnnotation> };
    assert.deepEqual(Object.values(edit.changeAnnotations).map((a) => [a.label, a.needsConfirmation]).sort(), [
      [`Pin ${h}/demo/app:1.0`, true],
      [`Pin ${h}/demo/app:2.0`, true],
    ]);
    const byFile = new Map(edit.documentChanges.map((c) => [c.textDocument.uri, c]));
    assert.deepEqual([...byFile.keys()].sort(), ['Dockerfile', 'compose.yaml', 'deploy/task-definition.json'].map((f) => uriOf(path.join(ws, f))).sort());
    for (const change of edit.documentChanges) {
      for (const e of change.edits as AnnotatedTextEdit[]) assert.ok(edit.changeAnnotations[e.annotationId], 'every edit is annotated');
    }
    const one = `${h}/demo/app:1.0@${demo.single.manifest.digest}`;
    const dockerfile = byFile.get(uriOf(path.join(ws, 'Dockerfile')))!;
    assert.equal(dockerfile.textDocument.version, 7, 'the open document is edited at its version');
    assert.equal(applyLspEdits(openText, dockerfile.edits), `# unsaved line\nFROM ${one} AS build\nFROM ${h}/demo/app:9.9\n`);
    const compose = byFile.get(uriOf(path.join(ws, 'compose.yaml')))!;
    assert.equal(compose.textDocument.version, null, 'a closed file has no version');
    assert.equal(
      applyLspEdits(readFileSync(path.join(ws, 'compose.yaml'), 'utf8'), compose.edits),
      files['compose.yaml'].replace(`"${h}/demo/app:1.0"`, `"${one}"`).replace(`image: ${h}/demo/app:2.0\n`, `image: ${h}/demo/app:2.0@${demo.index.digest}\n`),
    );
    const task = byFile.get(uriOf(path.join(ws, 'deploy/task-definition.json')))!;
    assert.equal(applyLspEdits(files['deploy/task-definition.json'], task.edits), files['deploy/task-definition.json'].replace(`"${h}/demo/app:1.0"`, `"${one}"`));
  });

  test('excluded files are not pinned', async () => {
    client.settings = { exclude: ['compose.yaml', 'deploy/'] };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const result = await client.connection.sendRequest<PinWorkspaceResult>('knownGood/pinWorkspace', {});
    const edit = result.edit as { documentChanges: TextDocumentEdit[] };
    assert.deepEqual(edit.documentChanges.map((c) => c.textDocument.uri), [uriOf(path.join(ws, 'Dockerfile'))]);
    assert.equal(result.files, 2);
    client.settings = {};
  });
});
