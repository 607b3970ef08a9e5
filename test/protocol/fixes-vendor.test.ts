// Vendoring quick fixes through the language server: codeAction offers the core's fixes without an
// edit, resolve returns a previewed WorkspaceEdit, applying it removes the finding and adds none
// (pip and npm build stages, apt RUN, an entrypoint script moved into its Dockerfile: two files, one edit).
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { AnnotatedTextEdit } from 'vscode-languageserver-protocol';
import { makeWorkspace } from './fixtures';
import { applyFixThrough, applyWorkspaceEdit, codesOf, DIGEST, documentEdits, FixClient, minusOne, uriOf } from './fixes-helpers';

const PY = `python:3.12-slim@${DIGEST}`;
const NODE = `node:20.15.0-bookworm-slim@${DIGEST}`;
const DEBIAN = `debian:12@${DIGEST}`;

const FILES: Record<string, string> = {
  'py/Dockerfile': `FROM ${PY}\nWORKDIR /app\nCOPY . .\nCMD pip install -r requirements.txt && python app.py\n`,
  'py/requirements.txt': 'flask==3.0.0\n',
  'web/Dockerfile': `FROM ${NODE}\nWORKDIR /usr/src/app\nCOPY . .\nEXPOSE 3000\nCMD npm ci && npm start\n`,
  'web/package.json': '{ "name": "web", "scripts": { "start": "node server.js" } }\n',
  'web/package-lock.json': '{ "lockfileVersion": 3 }\n',
  'os/Dockerfile': `FROM ${DEBIAN}\r\nUSER app\r\nCMD ["sh", "-c", "apt-get update && apt-get install -y curl && exec /app/run"]\r\n`,
  'worker/Dockerfile': `FROM python:3.12.1@${DIGEST}\nCOPY start.sh /start.sh\nCMD ["/start.sh"]\n`,
  'worker/start.sh': '#!/bin/sh\npip install flask\nexec python app.py\n',
  'bom/Dockerfile': `\ufeffFROM ${PY}\nWORKDIR /app\nCOPY . .\nCMD pip install -r requirements.txt && python app.py\n`,
  'bom/requirements.txt': 'flask==3.0.0\n',
};

describe('vendoring quick fixes over the protocol', () => {
  let ws: string;
  let client: FixClient;
  const file = (rel: string) => path.join(ws, rel);

  before(async () => {
    ws = makeWorkspace(FILES);
    client = new FixClient();
    await client.start(ws, { debounceMs: 0 });
  });
  after(async () => {
    await client.stop().catch(() => undefined);
    client.kill();
    rmSync(ws, { recursive: true, force: true });
  });

  test('pip: a build stage copies requirements.txt, installs with --prefix, the final stage copies /install', async () => {
    const r = await applyFixThrough(client, file('py/Dockerfile'), FILES['py/Dockerfile'], 'dockerfile', 'runtime-install', (a) => a.isPreferred === true);
    assert.match(r.action.title, /build stage/);
    assert.equal(r.action.kind, 'quickfix');
    assert.deepEqual(r.action.data && (r.action.data as { fixId: string }).fixId, 'vendor-build-stage');
    assert.equal(
      r.texts.get(uriOf(file('py/Dockerfile'))),
      `FROM ${PY} AS deps\nWORKDIR /app\nCOPY requirements.txt ./\nRUN pip install --no-cache-dir --prefix=/install -r requirements.txt\n\nFROM ${PY}\nWORKDIR /app\nCOPY . .\nCOPY --from=deps /install /usr/local\nCMD python app.py\n`,
    );
    assert.deepEqual(r.after, minusOne(r.before, 'runtime-install'));
    // A multi-line rewrite: every edit needs confirmation, so VS Code previews it.
    const change = documentEdits(r.resolved.edit).get(uriOf(file('py/Dockerfile')))!;
    assert.deepEqual(change.textDocument, { uri: uriOf(file('py/Dockerfile')), version: 1 });
    assert.ok(change.edits.every((e) => (e as AnnotatedTextEdit).annotationId === 'knownGood.fix'));
    assert.deepEqual(r.resolved.edit!.changeAnnotations, { 'knownGood.fix': { label: r.action.title, needsConfirmation: true } });
  });

  test('a document whose text keeps a byte-order mark: the stage goes after it (offsets shifted by one on line 0)', async () => {
    const r = await applyFixThrough(client, file('bom/Dockerfile'), FILES['bom/Dockerfile'], 'dockerfile', 'runtime-install', (a) => a.isPreferred === true);
    const first = documentEdits(r.resolved.edit).get(uriOf(file('bom/Dockerfile')))!.edits[0];
    assert.deepEqual(first.range.start, { line: 0, character: 1 });
    assert.equal(
      r.texts.get(uriOf(file('bom/Dockerfile'))),
      `\ufeffFROM ${PY} AS deps\nWORKDIR /app\nCOPY requirements.txt ./\nRUN pip install --no-cache-dir --prefix=/install -r requirements.txt\n\nFROM ${PY}\nWORKDIR /app\nCOPY . .\nCOPY --from=deps /install /usr/local\nCMD python app.py\n`,
    );
    assert.deepEqual(r.after, minusOne(r.before, 'runtime-install'));
  });

  test('npm: a build stage copies package.json and the lock, npm ci --omit=dev, node_modules copied', async () => {
    const r = await applyFixThrough(client, file('web/Dockerfile'), FILES['web/Dockerfile'], 'dockerfile', 'runtime-install', (a) => a.isPreferred === true);
    assert.equal(
      r.texts.get(uriOf(file('web/Dockerfile'))),
      `FROM ${NODE} AS deps\nWORKDIR /usr/src/app\nCOPY package.json package-lock.json ./\nRUN npm ci --omit=dev\n\nFROM ${NODE}\nWORKDIR /usr/src/app\nCOPY . .\nEXPOSE 3000\nCOPY --from=deps /usr/src/app/node_modules ./node_modules\nCMD npm start\n`,
    );
    assert.deepEqual(r.after, minusOne(r.before, 'runtime-install'));
  });

  test('apt in exec form, CRLF, non-root user: a RUN as root before the start command, CRLF kept', async () => {
    const text = FILES['os/Dockerfile'];
    const r = await applyFixThrough(client, file('os/Dockerfile'), text, 'dockerfile', 'runtime-install', (a) => a.isPreferred === true);
    const edited = r.texts.get(uriOf(file('os/Dockerfile')))!;
    assert.ok(!/(^|[^\r])\n/.test(edited), 'only CRLF line ends');
    assert.equal(
      edited,
      `FROM ${DEBIAN}\r\nUSER app\r\nUSER root\r\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\r\nUSER app\r\nCMD ["/app/run"]\r\n`,
    );
    // Both installs of the command were one finding each; the fix moves the whole apt group.
    assert.deepEqual(r.after, r.before.filter((c) => c !== 'runtime-install'));
  });

  test('entrypoint script: one edit removes the install from the script and adds the stage to the Dockerfile', async () => {
    const script = file('worker/start.sh');
    const dockerfile = file('worker/Dockerfile');
    const since = client.lastSeq;
    await client.open(dockerfile, FILES['worker/Dockerfile'], 'dockerfile', 1);
    const diagnostics = await client.openAndWait(script, FILES['worker/start.sh'], 'shellscript', 'runtime-install');
    assert.ok(client.lastSeq > since);
    const { actions } = await client.actionsFor(script, diagnostics, 'runtime-install');
    const stage = actions.find((a) => a.isPreferred)!;
    assert.match(stage.title, /build stage/);
    const resolved = await client.resolve(stage);
    const changes = documentEdits(resolved.edit);
    assert.deepEqual([...changes.keys()].sort(), [uriOf(dockerfile), uriOf(script)].sort(), 'both files in one WorkspaceEdit');
    assert.deepEqual(changes.get(uriOf(script))!.textDocument.version, 1);
    const texts = applyWorkspaceEdit(resolved.edit!, new Map([[uriOf(script), FILES['worker/start.sh']], [uriOf(dockerfile), FILES['worker/Dockerfile']]]));
    assert.equal(texts.get(uriOf(script)), '#!/bin/sh\nexec python app.py\n');
    assert.equal(
      texts.get(uriOf(dockerfile)),
      `FROM python:3.12.1@${DIGEST} AS deps\nRUN pip install --no-cache-dir --prefix=/install flask\n\nFROM python:3.12.1@${DIGEST}\nCOPY start.sh /start.sh\nCOPY --from=deps /install /usr/local\nCMD ["/start.sh"]\n`,
    );
    const before = client.lastSeq;
    await client.change(dockerfile, texts.get(uriOf(dockerfile))!, 2);
    await client.change(script, texts.get(uriOf(script))!, 2);
    const now = await client.waitForDiagnostics(script, (d) => !d.some((x) => x.code === 'runtime-install'), before);
    assert.deepEqual(codesOf(now.diagnostics), []);
    const df = await client.waitForDiagnostics(dockerfile, () => true, before);
    assert.deepEqual(codesOf(df.diagnostics), [], 'no new finding in the Dockerfile');
  });
});
