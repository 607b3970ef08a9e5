// Restricted Mode: with `trusted: false` nothing reaches the registry (counted at a reverse proxy),
// pin actions come disabled with the reason, diagnostics still arrive; granting trust turns it on.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ParameterStructures, type MarkupContent } from 'vscode-languageserver-protocol';
import { makeWorkspace } from './fixtures';
import { CAPABILITIES, codes, TestClient } from './lsp-client';
import { skipUnlessTools, startDemoRegistry, type DemoRegistry } from './registry-fixture';

const RESTRICTED = 'Pinning needs the network, which is off in Restricted Mode';

describe('pinning in an untrusted workspace', { skip: skipUnlessTools() }, () => {
  let demo: DemoRegistry;
  let ws: string;
  let client: TestClient;
  let file: string;
  let text: string;

  before(async () => {
    demo = await startDemoRegistry();
    ws = makeWorkspace({});
    file = path.join(ws, 'Dockerfile');
    // An unpinned reference and a pinned one (stale-digest is on: it would ask the registry if it could).
    text = `FROM ${demo.proxy.host}/demo/app:1.0 AS a\nFROM ${demo.proxy.host}/demo/app:2.0@${demo.single.manifest.digest}\n`;
    client = new TestClient();
    client.baseSettings = {};
    client.settings = { rules: { 'stale-digest': 'info' } };
    await client.start(ws, { trusted: false, debounceMs: 0 });
  });
  after(async () => {
    client.kill();
    await demo?.stop();
    rmSync(ws, { recursive: true, force: true });
  });

  test('diagnostics are published; the pin action is offered disabled; hover stays offline; no request is made', async () => {
    await client.open(file, text, 'dockerfile');
    const { diagnostics } = await client.waitForDiagnostics(file, (d) => d.length > 0);
    assert.deepEqual(codes(diagnostics), ['missing-digest']);
    const actions = await client.codeActions(file, diagnostics[0].range);
    const pin = actions.find((a) => a.title === 'Pin to digest')!;
    assert.deepEqual(pin.disabled, { reason: RESTRICTED });
    assert.equal(actions.find((a) => a.title === 'Disable missing-digest for this line')?.disabled, undefined, 'the disable action needs no network');
    const fixAll = await client.codeActions(file, diagnostics[0].range, ['source.fixAll']);
    assert.deepEqual(fixAll.map((a) => a.disabled), [{ reason: RESTRICTED }]);
    // A client that applies a disabled action anyway gets no edit and no request.
    const resolved = await client.resolve(pin);
    assert.equal(resolved.edit, undefined);
    assert.ok(client.messages.some((m) => m.message === `Known Good: ${RESTRICTED}.`));
    const hover = await client.hover(file, 0, 10);
    const value = (hover!.contents as MarkupContent).value;
    assert.ok(value.includes('`demo/app`') && !value.includes('**Registry'), `offline hover only:\n${value}`);
    const result = await client.connection.sendRequest<{ networkOff?: string; edit?: unknown }>('knownGood/pinWorkspace', {});
    assert.deepEqual(result.networkOff, RESTRICTED);
    assert.equal(result.edit, undefined);
    // Neovim sends an empty table as `params: []`: the same as no parameters.
    assert.deepEqual(await client.connection.sendRequest('knownGood/pinWorkspace', ParameterStructures.byPosition), result);
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(demo.proxy.seen, [], 'nothing reached the registry');
  });

  test('a client without disabled support is not offered the pin action at all', async () => {
    const other = new TestClient();
    try {
      other.baseSettings = {};
      const caps = structuredClone(CAPABILITIES);
      caps.textDocument!.codeAction!.disabledSupport = false;
      await other.start(ws, { trusted: false }, caps);
      await other.open(file, text, 'dockerfile');
      const { diagnostics } = await other.waitForDiagnostics(file, (d) => d.length > 0);
      const actions = await other.codeActions(file, diagnostics[0].range);
      assert.deepEqual(actions.map((a) => a.title), ['Disable missing-digest for this line']);
      await other.stop();
    } finally {
      other.kill();
    }
  });

  test('granting trust turns pinning on (and the background stale-digest check runs)', async () => {
    await client.connection.sendNotification('knownGood/workspaceTrusted');
    const { diagnostics } = await client.waitForDiagnostics(file, (d) => codes(d).includes('stale-digest'));
    assert.deepEqual(codes(diagnostics), ['missing-digest', 'stale-digest'], 'demo/app:2.0 is pinned to the 1.0 manifest: stale');
    const actions = await client.codeActions(file, diagnostics.find((d) => d.code === 'missing-digest')!.range);
    const pin = actions.find((a) => a.title === 'Pin to digest')!;
    assert.equal(pin.disabled, undefined);
    const resolved = await client.resolve(pin);
    assert.ok(resolved.edit, 'now an edit');
    assert.ok(demo.manifestRequests().length >= 2);
  });
});
