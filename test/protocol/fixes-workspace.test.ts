// "Vendor All Runtime Installs" (knownGood/vendorWorkspace) over the protocol: one previewed edit for
// the whole workspace (several fixes on one Dockerfile applied in turn, a script and its Dockerfile, an
// unsaved open document), one consent for all downloads, the rest listed with reasons; the result re-audits clean.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ParameterStructures, type AnnotatedTextEdit } from 'vscode-languageserver-protocol';
import { auditWorkspace } from '../../server/src/audit';
import { VENDOR_WORKSPACE_REQUEST, type VendorWorkspaceResult } from '../../server/src/lsp/fix-protocol';
import { makeWorkspace } from './fixtures';
import { applyWorkspaceEdit, DIGEST, documentEdits, FixClient, sha256, startDownloadServer, uriOf, withEnv, type DownloadServer } from './fixes-helpers';

const PY = `python:3.12-slim@${DIGEST}`;
const NODE = `node:20.15.0-bookworm-slim@${DIGEST}`;

function files(dl: DownloadServer): Record<string, string> {
  return {
    'py/Dockerfile': `FROM ${PY}\nWORKDIR /app\nCOPY . .\nCMD pip install -r requirements.txt && python app.py\n`,
    'py/requirements.txt': 'flask==3.0.0\n',
    'web/Dockerfile': `FROM ${NODE}\nWORKDIR /usr/src/app\nCOPY . .\nCMD npm ci && npm start\n`,
    'web/package.json': '{ "name": "web", "scripts": { "start": "node server.js" } }\n',
    'web/package-lock.json': '{ "lockfileVersion": 3 }\n',
    'multi/Dockerfile': `FROM ${PY}\nWORKDIR /app\nCOPY . .\nCMD apt-get update && apt-get install -y libpq5 && pip install flask && python app.py\n`,
    'worker/Dockerfile': `FROM ${PY}\nCOPY start.sh /start.sh\nCMD ["/start.sh"]\n`,
    'worker/start.sh': '#!/bin/sh\npip install flask\nexec python app.py\n',
    'fetch/Dockerfile': `# syntax=docker/dockerfile:1.7\nFROM ${PY}\nCMD curl -fsSLo /usr/local/bin/tool ${dl.url('tool')} && chmod +x /usr/local/bin/tool && exec tool\n`,
    'clone/Dockerfile': `FROM ${PY}\nCMD git clone https://github.com/example/app.git /app && exec python /app/main.py\n`,
    'deploy/task-definition.json': JSON.stringify({ family: 'web', containerDefinitions: [{ name: 'web', image: PY, command: ['sh', '-c', 'pip install flask && python app.py'] }] }, null, 2) + '\n',
    'clean/Dockerfile': `FROM ${PY}\nCMD ["python", "app.py"]\n`,
  };
}

describe('Vendor All Runtime Installs over the protocol', () => {
  let dl: DownloadServer;

  before(async () => {
    dl = await startDownloadServer();
    dl.files.set('/tool', randomBytes(1 << 20));
  });
  after(() => dl.stop());

  async function run(answer: string, open?: { rel: string; text: string }, trusted = true, neovimParams = false) {
    const text = files(dl);
    const ws = makeWorkspace(text);
    const client = withEnv(dl.env, () => new FixClient());
    client.answer = answer;
    client.baseSettings = {};
    await client.start(ws, { debounceMs: 0, trusted });
    if (open) {
      const since = client.lastSeq;
      await client.open(path.join(ws, open.rel), open.text, 'dockerfile', 7);
      await client.waitForDiagnostics(path.join(ws, open.rel), () => true, since);
    }
    // Neovim sends an empty table as `params: []`.
    const result = neovimParams
      ? await client.connection.sendRequest<VendorWorkspaceResult>(VENDOR_WORKSPACE_REQUEST, ParameterStructures.byPosition)
      : await client.connection.sendRequest<VendorWorkspaceResult>(VENDOR_WORKSPACE_REQUEST, {});
    return { ws, client, text, result, done: async () => { await client.stop().catch(() => undefined); client.kill(); rmSync(ws, { recursive: true, force: true }); } };
  }

  test('Yes: every preferred cure applied, one edit per file, one consent for the downloads, the rest listed; the result re-audits clean', async () => {
    const unsaved = `FROM ${PY}\nWORKDIR /app\nCOPY . .\n# not saved yet\nCMD pip install -r requirements.txt && python app.py\n`;
    const { ws, client, result, done } = await run('Yes', { rel: 'py/Dockerfile', text: unsaved });
    try {
      const at = (rel: string) => uriOf(path.join(ws, rel));
      assert.deepEqual(client.asked.map((a) => a.message), [`Known Good will download ${dl.url('tool')} once to compute its SHA-256 checksum. Download?`]);
      const sum = sha256(dl.files.get('/tool')!);
      assert.deepEqual(result.downloads, [{ url: dl.url('tool'), ok: true, detail: sum }]);
      assert.deepEqual(dl.requests, ['GET /tool']);
      const changes = documentEdits(result.edit);
      assert.deepEqual([...changes.keys()].sort(), ['fetch/Dockerfile', 'multi/Dockerfile', 'py/Dockerfile', 'web/Dockerfile', 'worker/Dockerfile', 'worker/start.sh'].map(at).sort());
      for (const [uri, c] of changes) {
        assert.equal(c.edits.length, 1, `one edit for ${uri}`);
        const id = (c.edits[0] as AnnotatedTextEdit).annotationId;
        assert.equal(result.edit!.changeAnnotations![id].needsConfirmation, true);
      }
      // The comment above the start command stays with it.
      assert.equal(changes.get(at('py/Dockerfile'))!.textDocument.version, 7, 'the open document, by its version');
      assert.equal(changes.get(at('web/Dockerfile'))!.textDocument.version, null, 'a file on disk');
      assert.equal(result.changedFiles, 6);
      const texts = applyWorkspaceEdit(result.edit!, new Map([[at('py/Dockerfile'), unsaved]]));
      assert.equal(texts.get(at('py/Dockerfile')), `FROM ${PY} AS deps\nWORKDIR /app\nCOPY requirements.txt ./\nRUN pip install --no-cache-dir --prefix=/install -r requirements.txt\n\nFROM ${PY}\nWORKDIR /app\nCOPY . .\nCOPY --from=deps /install /usr/local\n# not saved yet\nCMD python app.py\n`);
      assert.equal(
        texts.get(at('multi/Dockerfile')),
        `FROM ${PY} AS deps\nWORKDIR /app\nRUN pip install --no-cache-dir --prefix=/install flask\n\nFROM ${PY}\nWORKDIR /app\nCOPY . .\nRUN apt-get update && apt-get install -y --no-install-recommends libpq5 && rm -rf /var/lib/apt/lists/*\nCOPY --from=deps /install /usr/local\nCMD python app.py\n`,
      );
      assert.equal(texts.get(at('worker/start.sh')), '#!/bin/sh\nexec python app.py\n');
      assert.match(texts.get(at('fetch/Dockerfile'))!, new RegExp(`\\nADD --checksum=${sum} --chmod=755 ${dl.url('tool').replace(/\./g, '\\.')} /usr/local/bin/tool\\nCMD exec tool\\n$`));
      assert.deepEqual(
        result.skipped.map((s) => [path.relative(ws, fileURLToPath(s.uri)), s.line, s.ruleId, s.message.replace(/: .*/s, ':…')]).sort(),
        [
          ['clone/Dockerfile', 1, 'runtime-fetch', 'No automatic fix:…'],
          ['deploy/task-definition.json', 9, 'runtime-install', 'Not applied in bulk (no preferred fix); offered as a quick fix:…'],
        ],
      );
      assert.equal(result.vendored, result.findings - 2);
      assert.deepEqual(result.applied.length, 6, result.applied.join('\n'));
      // Written to disk, the workspace audits without the vendored findings and without new ones.
      for (const [uri, t] of texts) writeFileSync(fileURLToPath(uri), t);
      const audit = await auditWorkspace(ws, undefined);
      const runtime = audit.findings.filter((f) => f.ruleId.startsWith('runtime-')).map((f) => `${f.location.file}:${f.ruleId}`);
      assert.deepEqual(runtime, ['clone/Dockerfile:runtime-fetch', 'deploy/task-definition.json:runtime-install']);
      assert.deepEqual(audit.findings.filter((f) => !f.ruleId.startsWith('runtime-')).map((f) => `${f.location.file}:${f.ruleId}`), ['fetch/Dockerfile:missing-digest'], 'only the frontend directive that was there before');
    } finally {
      await done();
    }
  });

  test('No: nothing is downloaded, the fetch is listed as declined, the other cures still apply (parameters sent as Neovim\'s `params: []`)', async () => {
    const requests = dl.requests.length;
    const { ws, client, result, done } = await run('No', undefined, true, true);
    try {
      assert.equal(client.asked.length, 1);
      assert.equal(dl.requests.length, requests);
      assert.deepEqual(result.downloads, []);
      const changes = documentEdits(result.edit);
      assert.ok(!changes.has(uriOf(path.join(ws, 'fetch/Dockerfile'))));
      assert.equal(changes.size, 5);
      const fetch = result.skipped.find((s) => s.uri === uriOf(path.join(ws, 'fetch/Dockerfile')))!;
      assert.equal(fetch.message, `Download ${dl.url('tool')} at build time, verified by its SHA-256 (ADD --checksum): needs the SHA-256 of ${dl.url('tool')}; the download was declined`);
    } finally {
      await done();
    }
  });

  test('Restricted Mode: no consent asked, nothing fetched, the fetch listed with the reason; the rest still applies', async () => {
    const requests = dl.requests.length;
    const connects = dl.connects.length;
    const { ws, client, result, done } = await run('Yes', undefined, false);
    try {
      assert.deepEqual(client.asked, []);
      assert.equal(dl.requests.length, requests);
      assert.equal(dl.connects.length, connects);
      assert.equal(result.networkOff, 'the network is off in Restricted Mode (trust the workspace to allow it)');
      assert.equal(documentEdits(result.edit).size, 5);
      const fetch = result.skipped.find((s) => s.uri === uriOf(path.join(ws, 'fetch/Dockerfile')))!;
      assert.match(fetch.message, /: needs the SHA-256 of https:\/\/downloads\.known-good\.test\/tool; but the network is off in Restricted Mode/);
    } finally {
      await done();
    }
  });
});
