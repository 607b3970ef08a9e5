// "Pin to digest" over the protocol against a real loopback registry: the action is offered without a
// request, resolve returns the exact edit, applying it clears the finding; JSON, YAML, indexes,
// untagged references, fix-all, failures, time-outs and documents edited in between.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CodeAction, Diagnostic, TextDocumentEdit } from 'vscode-languageserver-protocol';
import { freePort, startHangServer } from '../registry/helpers/net';
import { makeWorkspace } from './fixtures';
import { TestClient, uriOf } from './lsp-client';
import { applyLspEdits, skipUnlessTools, startDemoRegistry, startSlowProxy, type DemoRegistry } from './registry-fixture';

const CHANGED = 'The document changed after this fix was offered; nothing was edited. Ask for the fix again.';
const pos = (text: string, offset: number) => {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
};
/** The LSP range of the first occurrence of `needle` in `text`. */
const rangeOf = (text: string, needle: string, from = 0) => {
  const i = text.indexOf(needle, from);
  assert.ok(i >= 0, `${needle} in text`);
  return { start: pos(text, i), end: pos(text, i + needle.length) };
};
/** Poll `ok` (for conditions no server notification announces). */
async function until(ok: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!ok()) {
    if (performance.now() > end) throw new Error('timed out polling');
    await new Promise((r) => setTimeout(r, 10));
  }
}
const editsOf = (a: CodeAction) => (a.edit?.documentChanges as TextDocumentEdit[] | undefined)?.[0]?.edits ?? [];

describe('pin to digest over the protocol', { skip: skipUnlessTools() }, () => {
  let demo: DemoRegistry;
  let ws: string;
  let client: TestClient;
  let version = 1;
  const cacheFile = () => path.join(demo.work, 'storage', 'digests.json');

  before(async () => {
    demo = await startDemoRegistry();
    ws = makeWorkspace({});
    client = new TestClient();
    client.baseSettings = {};
    await client.start(ws, { trusted: true, cacheFile: cacheFile(), debounceMs: 0 });
  });
  after(async () => {
    client.kill();
    await demo?.stop();
    rmSync(ws, { recursive: true, force: true });
  });

  /** Open `text`, wait for a `rule` diagnostic on `ref`, return the actions offered there. */
  async function offered(file: string, text: string, languageId: string, ref: string, rule: string) {
    const since = client.lastSeq;
    await client.open(file, text, languageId, version);
    const range = rangeOf(text, ref);
    const { diagnostics } = await client.waitForDiagnostics(file, (d) => d.some((x) => x.code === rule && x.range.start.line === range.start.line), since);
    const diagnostic = diagnostics.find((x) => x.code === rule && x.range.start.line === range.start.line)!;
    assert.deepEqual(diagnostic.range, range, `${rule} covers exactly the reference`);
    const seen = demo.proxy.seen.length;
    const actions = await client.codeActions(file, range);
    assert.equal(demo.proxy.seen.length, seen, 'offering actions makes no registry request');
    return { actions, range, diagnostic };
  }

  /** Resolve `action`, check the single edit, apply it, and wait for diagnostics without `rule` on that line. */
  async function resolveAndApply(file: string, text: string, action: CodeAction, range: object, newText: string, rule: string) {
    const before = demo.manifestRequests().length;
    const resolved = await client.resolve(action);
    const requests = demo.manifestRequests().length - before;
    const change = (resolved.edit?.documentChanges as TextDocumentEdit[])[0];
    assert.deepEqual(change.textDocument, { uri: uriOf(file), version });
    assert.deepEqual(change.edits, [{ range, newText }]);
    const edited = applyLspEdits(text, change.edits);
    const since = client.lastSeq;
    await client.change(file, edited, ++version);
    const line = (range as { start: { line: number } }).start.line;
    await client.waitForDiagnostics(file, (d) => !d.some((x) => x.code === rule && x.range.start.line === line), since);
    return { edited, requests };
  }

  test('Dockerfile FROM --platform … AS: offered without a request, resolved to the exact edit, then clean', async () => {
    const file = path.join(ws, 'Dockerfile');
    const ref = `${demo.proxy.host}/demo/app:1.0`;
    const text = `FROM --platform=linux/amd64 ${ref} AS build\nRUN make\n`;
    const { actions, range, diagnostic } = await offered(file, text, 'dockerfile', ref, 'missing-digest');
    const pin = actions.find((a) => a.title === 'Pin to digest')!;
    assert.ok(pin, `actions: ${actions.map((a) => a.title).join(', ')}`);
    assert.equal(pin.kind, 'quickfix');
    assert.equal(pin.edit, undefined, 'the edit waits for codeAction/resolve');
    assert.equal(pin.isPreferred, true);
    assert.deepEqual(pin.diagnostics, [diagnostic]);
    const data = pin.data as { uri: string; version: number; span: { start: number; end: number }; query: string };
    assert.deepEqual(data, { knownGood: 'pin', uri: uriOf(file), version, span: { start: text.indexOf(ref), end: text.indexOf(ref) + ref.length }, query: ref });
    const disable = actions.find((a) => a.title === 'Disable missing-digest for this line');
    assert.deepEqual(editsOf(disable!), [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: '# known-good-ignore missing-digest -- \n' }]);
    const { edited, requests } = await resolveAndApply(file, text, pin, range, `${ref}@${demo.single.manifest.digest}`, 'missing-digest');
    assert.equal(edited, `FROM --platform=linux/amd64 ${ref}@${demo.single.manifest.digest} AS build\nRUN make\n`);
    assert.equal(requests, 1, 'one manifest request (HEAD) per pin');
    const titles = client.progress.map((p) => (p.value as { title?: string }).title).filter(Boolean);
    assert.ok(titles.includes(`Known Good: resolving ${ref}`), `work-done progress while resolving: ${titles.join(', ')}`);
    const registryLog = client.logs.filter((l) => l.startsWith('Known Good registry: '));
    console.log(`# Dockerfile pin: ${requests} manifest request(s) through the proxy (${demo.manifestRequests().join(', ')}); client log:\n#   ${registryLog.join('\n#   ')}`);
    // The digest was persisted to the cache file the client named.
    await client.waitFor('cache file', () => (existsSync(cacheFile()) && readFileSync(cacheFile(), 'utf8').includes(demo.single.manifest.digest) ? true : undefined));
  });

  test('task definition JSON: quotes kept; digest-only style from the setting', async () => {
    for (const [style, expected] of [
      ['tag-and-digest', (ref: string) => `${ref}@${demo.single.manifest.digest}`],
      ['digest-only', (ref: string) => `${ref.replace(/:1\.0$/, '')}@${demo.single.manifest.digest}`],
    ] as const) {
      client.settings = { pin: { ecsStyle: style } };
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
      const file = path.join(ws, `deploy-${style}/task-definition.json`);
      const ref = `${demo.proxy.host}/demo/app:1.0`;
      const text = `{\n  "family": "web",\n  "containerDefinitions": [\n    { "name": "web", "image": "${ref}", "essential": true }\n  ]\n}\n`;
      const { actions, range } = await offered(file, text, 'json', ref, 'missing-digest');
      assert.ok(!actions.some((a) => a.title.startsWith('Disable')), 'JSON has no comments: no disable action');
      const { edited } = await resolveAndApply(file, text, actions.find((a) => a.title === 'Pin to digest')!, range, expected(ref), 'missing-digest');
      assert.ok(edited.includes(`"image": "${expected(ref)}", "essential"`), edited);
    }
    client.settings = {};
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
  });

  test('compose YAML: quoted and plain references; a multi-platform tag pins to its index digest', async () => {
    const file = path.join(ws, 'compose.yaml');
    const one = `${demo.proxy.host}/demo/app:1.0`;
    const two = `${demo.proxy.host}/demo/app:2.0`;
    const text = `services:\n  web:\n    image: "${one}"\n  worker:\n    image: ${two} # multi-platform\n`;
    const first = await offered(file, text, 'yaml', one, 'missing-digest');
    const { edited } = await resolveAndApply(file, text, first.actions.find((a) => a.title === 'Pin to digest')!, first.range, `${one}@${demo.single.manifest.digest}`, 'missing-digest');
    assert.ok(edited.includes(`image: "${one}@${demo.single.manifest.digest}"\n`));
    const range = rangeOf(edited, two);
    const actions = await client.codeActions(file, range);
    const disable = actions.find((a) => a.title === 'Disable missing-digest for this line')!;
    assert.deepEqual(editsOf(disable)[0].newText, '    # known-good-ignore missing-digest -- \n', 'indentation kept');
    const { edited: final } = await resolveAndApply(file, edited, actions.find((a) => a.title === 'Pin to digest')!, range, `${two}@${demo.index.digest}`, 'missing-digest');
    assert.ok(final.endsWith(`image: ${two}@${demo.index.digest} # multi-platform\n`), final);
  });

  test("untagged reference: \"Pin to today's digest of name:latest\" writes the tag explicitly", async () => {
    const file = path.join(ws, 'untagged/Dockerfile');
    const ref = `${demo.proxy.host}/demo/app`;
    const text = `FROM ${ref}\n`;
    const { actions, range } = await offered(file, text, 'dockerfile', ref, 'latest-tag');
    const pin = actions.find((a) => a.title === `Pin to today's digest of \`${ref}:latest\``);
    assert.ok(pin, actions.map((a) => a.title).join(', '));
    await resolveAndApply(file, text, pin, range, `${ref}:latest@${demo.latest.manifest.digest}`, 'latest-tag');
  });

  test('fix all: one edit for the tag that resolves, one message naming the one that does not', async () => {
    const file = path.join(ws, 'fixall/Dockerfile');
    const good = `${demo.proxy.host}/demo/app:1.0`;
    const bad = `${demo.proxy.host}/demo/app:9.9`;
    const text = `FROM ${good} AS a\nFROM ${bad}\n`;
    const { actions } = await offered(file, text, 'dockerfile', bad, 'missing-digest');
    assert.ok(actions.some((a) => a.title === 'Pin all images in this file' && a.kind === 'quickfix'));
    const sources = await client.codeActions(file, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, ['source.fixAll']);
    assert.deepEqual(sources.map((a) => [a.title, a.kind]), [['Pin all images in this file', 'source.fixAll.knownGood']]);
    const messages = client.messages.length;
    const resolved = await client.resolve(sources[0]);
    assert.deepEqual(editsOf(resolved), [{ range: rangeOf(text, good), newText: `${good}@${demo.single.manifest.digest}` }]);
    const message = await client.waitFor('failure message', () => client.messages.slice(messages).find((m) => m.message.includes('9.9')));
    assert.equal(message.type, 2, 'a warning: the others were pinned');
    assert.match(message.message, new RegExp(`pinned 1 of 2 .*\`${bad.replace(/[.]/g, '\\.')}\`: demo/app:9\\.9 not found on ${demo.proxy.host.replace(/\./g, '\\.')}`));
  });

  for (const kind of ['down', 'hanging'] as const) {
    test(`registry ${kind}: no edit, and a message naming the registry within the timeout`, async () => {
      const hang = kind === 'hanging' ? await startHangServer() : undefined;
      const port = hang?.port ?? (await freePort());
      client.settings = { registry: { timeoutSeconds: 1 } };
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
      const file = path.join(ws, `${kind}/Dockerfile`);
      const ref = `127.0.0.1:${port}/demo/app:1.0`;
      const text = `FROM ${ref}\n`;
      const { actions } = await offered(file, text, 'dockerfile', ref, 'missing-digest');
      const messages = client.messages.length;
      const started = performance.now();
      const resolved = await client.resolve(actions.find((a) => a.title === 'Pin to digest')!);
      const message = await client.waitFor('failure message', () => client.messages.slice(messages).find((m) => m.message.includes(`127.0.0.1:${port}`)));
      const ms = Math.round(message.at - started);
      await hang?.stop();
      client.settings = {};
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
      assert.equal(resolved.edit, undefined);
      assert.equal(message.type, 1);
      assert.match(message.message, kind === 'down' ? /cannot reach 127\.0\.0\.1:\d+: ECONNREFUSED.*Nothing was edited/ : /127\.0\.0\.1:\d+ did not answer within 1000 ms.*Nothing was edited/);
      assert.ok(ms < (kind === 'down' ? 1000 : 1800), `message after ${ms} ms`);
      if (hang) assert.ok(ms >= 950, `the time-out is honoured (${ms} ms)`);
      console.log(`# registry ${kind}: failure message ${ms} ms after codeAction/resolve (timeout 1 s)`);
    });
  }

  test('document edited between codeAction and resolve, or during the registry request: no edit', async () => {
    const file = path.join(ws, 'changed/Dockerfile');
    const ref = `${demo.proxy.host}/demo/app:1.0`;
    const text = `FROM ${ref}\n`;
    const { actions } = await offered(file, text, 'dockerfile', ref, 'missing-digest');
    const pin = actions.find((a) => a.title === 'Pin to digest')!;
    await client.change(file, `# moved down\n${text}`, ++version);
    const seen = demo.proxy.seen.length;
    const resolved = await client.resolve(pin);
    assert.equal(resolved.edit, undefined);
    assert.deepEqual(resolved.disabled, { reason: CHANGED });
    assert.equal(demo.proxy.seen.length, seen, 'a stale action asks nothing');
    // Now a slow registry: the document changes while the digest is being looked up.
    const slow = await startSlowProxy(demo.reg, 700);
    const slowRef = `${slow.host}/demo/app:1.0`;
    const slowFile = path.join(ws, 'slow/Dockerfile');
    const slowText = `FROM ${slowRef}\n`;
    const offer = await offered(slowFile, slowText, 'dockerfile', slowRef, 'missing-digest');
    const pending = client.resolve(offer.actions.find((a) => a.title === 'Pin to digest')!);
    await until(() => slow.seen.some((s) => s.url.includes('/manifests/')));
    await client.change(slowFile, `FROM ${slowRef} AS renamed\n`, ++version);
    const late = await pending;
    await slow.stop();
    assert.equal(late.edit, undefined, 'never an edit computed on an older text');
    assert.deepEqual(late.disabled, { reason: CHANGED });
    assert.ok(client.messages.some((m) => m.message === `Known Good: ${CHANGED}`));
  });

  test('a diagnostic on a reference with a variable offers no pin, only the disable action', async () => {
    const file = path.join(ws, 'variable/Dockerfile');
    const text = `ARG TAG=1.0\nFROM ${demo.proxy.host}/demo/app:\${TAG}\n`;
    const since = client.lastSeq;
    await client.open(file, text, 'dockerfile', version);
    const { diagnostics } = await client.waitForDiagnostics(file, (d) => d.length > 0, since);
    const d = diagnostics.find((x: Diagnostic) => x.code === 'missing-digest')!;
    assert.ok(d, JSON.stringify(diagnostics.map((x) => x.code)));
    const actions = await client.codeActions(file, d.range);
    const onLine = [...new Set(diagnostics.filter((x) => x.range.start.line === 1).map((x) => String(x.code)))];
    assert.ok(onLine.includes('variable-image'));
    assert.deepEqual(actions.map((a) => a.title), onLine.map((rule) => `Disable ${rule} for this line`));
  });
});
