// stale-digest in the editor and the registry hover, against a real loopback registry: pin v1, push
// v2 to the same tag, the background check reports it once, "Update digest" writes v2.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CodeAction, MarkupContent, TextDocumentEdit } from 'vscode-languageserver-protocol';
import { buildImage } from '../registry/helpers/oci';
import { startHangServer } from '../registry/helpers/net';
import { makeWorkspace } from './fixtures';
import { codes, TestClient, uriOf } from './lsp-client';
import { applyLspEdits, pushTag, skipUnlessTools, startDemoRegistry, type DemoRegistry } from './registry-fixture';

const editsOf = (a: CodeAction) => (a.edit?.documentChanges as TextDocumentEdit[])[0].edits;

describe('stale-digest and the registry hover', { skip: skipUnlessTools() }, () => {
  let demo: DemoRegistry;
  let ws: string;
  let client: TestClient;

  before(async () => {
    demo = await startDemoRegistry();
    ws = makeWorkspace({});
    client = new TestClient();
    client.baseSettings = {};
    client.settings = { rules: { 'stale-digest': 'info' } };
    // Digests are not reused, so the check sees the tag move at once.
    await client.start(ws, { debounceMs: 0, digestTtlMs: 0 });
  });
  after(async () => {
    client.kill();
    await demo?.stop();
    rmSync(ws, { recursive: true, force: true });
  });

  test('pin v1, push v2 to the tag: stale-digest once, "Update digest" resolves to v2', async () => {
    const v1 = buildImage('stale v1');
    const v2 = buildImage('stale v2');
    await pushTag(demo.reg, 'demo/app', '3.0', v1);
    const file = path.join(ws, 'Dockerfile');
    const ref = `${demo.proxy.host}/demo/app:3.0`;
    let text = `FROM ${ref}\n`;
    await client.open(file, text, 'dockerfile', 1);
    const { diagnostics } = await client.waitForDiagnostics(file, (d) => codes(d).includes('missing-digest'));
    const pin = (await client.codeActions(file, diagnostics[0].range)).find((a) => a.title === 'Pin to digest')!;
    text = applyLspEdits(text, editsOf(await client.resolve(pin)));
    assert.equal(text, `FROM ${ref}@${v1.manifest.digest}\n`);
    let since = client.lastSeq;
    await client.change(file, text, 2);
    await client.waitForDiagnostics(file, (d) => d.length === 0, since);
    // The background check of the fresh pin finds nothing new: no re-analysis.
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(codes(client.diagnostics.get(uriOf(file))!.diagnostics), []);

    await pushTag(demo.reg, 'demo/app', '3.0', v2);
    since = client.lastSeq;
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const stale = await client.waitForDiagnostics(file, (d) => codes(d).includes('stale-digest'), since);
    const d = stale.diagnostics[0];
    assert.deepEqual(d.range, { start: { line: 0, character: 5 }, end: { line: 0, character: 5 + `${ref}@${v1.manifest.digest}`.length } });
    assert.equal(d.severity, 3);
    assert.deepEqual(d.data, { reference: `${ref}@${v1.manifest.digest}`, query: ref, pinned: v1.manifest.digest, current: v2.manifest.digest });
    // No loop: the re-analysis's own check learns nothing new.
    const settled = client.lastSeq;
    await new Promise((r) => setTimeout(r, 500));
    const later = client.history.filter((h) => h.uri === uriOf(file) && h.published.seq > settled);
    assert.equal(later.length, 0, `published ${later.length} more time(s)`);

    const actions = await client.codeActions(file, d.range);
    const update = actions.find((a) => a.title === 'Update digest')!;
    assert.ok(update, actions.map((a) => a.title).join(', '));
    assert.ok(!actions.some((a) => a.title === 'Pin to digest'));
    const edits = editsOf(await client.resolve(update));
    assert.deepEqual(edits, [{ range: d.range, newText: `${ref}@${v2.manifest.digest}` }]);
    since = client.lastSeq;
    await client.change(file, applyLspEdits(text, edits), 3);
    await client.waitForDiagnostics(file, (x) => x.length === 0, since);
  });

  test('hover: the digest the tag points to now, the index platforms, whether a pin still matches', async () => {
    const file = path.join(ws, 'hover/Dockerfile');
    const host = demo.proxy.host;
    const lines = [`FROM ${host}/demo/app:2.0 AS multi`, `FROM ${host}/demo/app:1.0@${demo.single.manifest.digest} AS current`, `FROM ${host}/demo/app:2.0@${demo.single.manifest.digest} AS moved`];
    await client.open(file, lines.join('\n') + '\n', 'dockerfile', 1);
    await client.waitForDiagnostics(file, (d) => d.length > 0);
    const hoverText = async (line: number) => ((await client.hover(file, line, 8))!.contents as MarkupContent).value;
    const multi = await hoverText(0);
    for (const s of [`**Registry now:** \`${host}/demo/app:2.0\` → \`${demo.index.digest}\``, 'Multi-platform index: `linux/amd64`, `linux/arm64/v8`.']) assert.ok(multi.includes(s), `${s}\n---\n${multi}`);
    assert.ok(multi.includes('| Registry |'), 'the offline part is still there');
    assert.ok((await hoverText(1)).includes('The tag still points at this digest.'));
    assert.ok((await hoverText(2)).includes(`The tag has moved since this pin: it now points at \`${demo.index.digest}\``));
  });

  test('hover never waits more than ~3 s for a registry that does not answer', async () => {
    const hang = await startHangServer();
    client.settings = { rules: { 'stale-digest': 'info' }, registry: { timeoutSeconds: 30 } };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const file = path.join(ws, 'hang/Dockerfile');
    await client.open(file, `FROM 127.0.0.1:${hang.port}/demo/app:1.0\n`, 'dockerfile', 1);
    await client.waitForDiagnostics(file, (d) => d.length > 0);
    const started = performance.now();
    const hover = await client.hover(file, 0, 8);
    const ms = Math.round(performance.now() - started);
    await hang.stop();
    const value = (hover!.contents as MarkupContent).value;
    assert.ok(value.includes(`**Registry:** \`127.0.0.1:${hang.port}\` did not answer within 3 s (registry did not answer`), value);
    assert.ok(ms >= 2900 && ms < 3800, `hover took ${ms} ms`);
    console.log(`# hover on a hanging registry answered after ${ms} ms`);
  });
});
