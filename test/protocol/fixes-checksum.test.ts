// Fixes that need a download through the language server: consent asked with window/showMessageRequest,
// the file fetched once (HTTPS behind a loopback CONNECT proxy), its SHA-256 written into the Dockerfile;
// No, Restricted Mode and a missing frontend digest edit nothing and fetch nothing.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { makeWorkspace } from './fixtures';
import { applyFixThrough, DIGEST, FixClient, minusOne, sha256, startDownloadServer, uriOf, withEnv, type DownloadServer } from './fixes-helpers';

const BASE = `debian:12@${DIGEST}`;
const TOOL_BYTES = 16 * 1024 * 1024;

describe('checksum fixes over the protocol', () => {
  let dl: DownloadServer;
  let ws: string;
  let client: FixClient;
  const files: Record<string, string> = {};
  const file = (rel: string) => path.join(ws, rel);

  before(async () => {
    dl = await startDownloadServer();
    dl.files.set('/tool', randomBytes(TOOL_BYTES));
    dl.files.set('/install.sh', Buffer.from('#!/bin/sh\necho installed\n'));
    dl.files.set('/tool.tar.gz', randomBytes(4096));
    dl.files.set('/declined.bin', randomBytes(64));
    Object.assign(files, {
      'fetch/Dockerfile': `# syntax=docker/dockerfile:1.7\nFROM ${BASE}\nCMD curl -fsSLo /usr/local/bin/tool ${dl.url('tool')} && chmod +x /usr/local/bin/tool && exec tool serve\n`,
      'again/Dockerfile': `# syntax=docker/dockerfile:1.7\nFROM ${BASE}\nCMD curl -fsSLo /opt/tool ${dl.url('tool')} && exec /opt/tool\n`,
      'pipe/Dockerfile': `# syntax=docker/dockerfile:1.7\nFROM ${BASE}\nCMD curl -fsSL ${dl.url('install.sh')} | sh && exec /app/run\n`,
      'add/Dockerfile': `# syntax=docker/dockerfile:1.6\nFROM ${BASE}\nADD ${dl.url('tool.tar.gz')} /opt/\n`,
      'declined/Dockerfile': `# syntax=docker/dockerfile:1.6\nFROM ${BASE}\nADD ${dl.url('declined.bin')} /opt/\n`,
      'nodirective/Dockerfile': `FROM ${BASE}\nADD ${dl.url('declined.bin')} /opt/\n`,
    });
    ws = makeWorkspace(files);
    client = withEnv(dl.env, () => new FixClient());
    client.baseSettings = { registry: { timeoutSeconds: 5 } };
    await client.start(ws, { debounceMs: 0 });
  });
  after(async () => {
    await client.stop().catch(() => undefined);
    client.kill();
    await dl.stop();
    rmSync(ws, { recursive: true, force: true });
  });

  test('curl -o in CMD → ADD --checksum with the SHA-256 of the served bytes (consent asked once, one request)', async () => {
    const text = files['fetch/Dockerfile'];
    const started = performance.now();
    const r = await applyFixThrough(client, file('fetch/Dockerfile'), text, 'dockerfile', 'runtime-fetch', (a) => a.isPreferred === true);
    const ms = Math.round(performance.now() - started);
    assert.deepEqual(client.asked.map((a) => [a.message, a.actions.map((x) => x.title)]), [
      [`Known Good will download ${dl.url('tool')} once to compute its SHA-256 checksum. Download?`, ['Yes', 'No']],
    ]);
    assert.deepEqual(dl.requests, ['GET /tool']);
    const sum = sha256(dl.files.get('/tool')!);
    assert.equal(r.texts.get(uriOf(file('fetch/Dockerfile'))), `# syntax=docker/dockerfile:1.7\nFROM ${BASE}\nADD --checksum=${sum} --chmod=755 ${dl.url('tool')} /usr/local/bin/tool\nCMD exec tool serve\n`);
    assert.deepEqual(r.after, minusOne(r.before, 'runtime-fetch'));
    const logged = client.logs.find((l) => l.includes('bytes hashed in'));
    assert.ok(logged?.includes(`${TOOL_BYTES} bytes hashed in`), logged);
    console.log(`# download+hash of ${TOOL_BYTES / 1024 / 1024} MiB over the loopback proxy: ${logged}; whole resolve round trip ${ms} ms`);
  });

  test('the same URL elsewhere: the checksum is reused, no second consent or download', async () => {
    const asked = client.asked.length;
    const requests = dl.requests.length;
    const r = await applyFixThrough(client, file('again/Dockerfile'), files['again/Dockerfile'], 'dockerfile', 'runtime-fetch', (a) => a.isPreferred === true);
    assert.equal(client.asked.length, asked);
    assert.equal(dl.requests.length, requests);
    assert.match(r.texts.get(uriOf(file('again/Dockerfile')))!, new RegExp(`ADD --checksum=${sha256(dl.files.get('/tool')!)} --chmod=755 `));
  });

  test('curl | sh → the verified script is added to /tmp and run by a build-time RUN', async () => {
    const r = await applyFixThrough(client, file('pipe/Dockerfile'), files['pipe/Dockerfile'], 'dockerfile', 'runtime-fetch', (a) => a.isPreferred === true);
    const sum = sha256(dl.files.get('/install.sh')!);
    assert.equal(
      r.texts.get(uriOf(file('pipe/Dockerfile'))),
      `# syntax=docker/dockerfile:1.7\nFROM ${BASE}\nADD --checksum=${sum} ${dl.url('install.sh')} /tmp/install.sh\nRUN sh /tmp/install.sh\nCMD exec /app/run\n`,
    );
    assert.deepEqual(r.after, minusOne(r.before, 'runtime-fetch'));
  });

  test('add-without-checksum under # syntax=docker/dockerfile:1.6: only the checksum is needed', async () => {
    const r = await applyFixThrough(client, file('add/Dockerfile'), files['add/Dockerfile'], 'dockerfile', 'add-without-checksum', (a) => a.isPreferred === true);
    assert.equal(r.texts.get(uriOf(file('add/Dockerfile'))), `# syntax=docker/dockerfile:1.6\nFROM ${BASE}\nADD --checksum=${sha256(dl.files.get('/tool.tar.gz')!)} ${dl.url('tool.tar.gz')} /opt/\n`);
    assert.deepEqual(r.after, minusOne(r.before, 'add-without-checksum'));
    // A one-line edit needs no preview.
    assert.equal(r.resolved.edit!.changeAnnotations, undefined);
  });

  test('answering No: no edit, and no request reaches the server', async () => {
    const f = file('declined/Dockerfile');
    const diagnostics = await client.openAndWait(f, files['declined/Dockerfile'], 'dockerfile', 'add-without-checksum');
    const { actions } = await client.actionsFor(f, diagnostics, 'add-without-checksum');
    const requests = dl.requests.length;
    const connects = dl.connects.length;
    client.answer = 'No';
    try {
      const resolved = await client.resolve(actions.find((a) => a.isPreferred)!);
      assert.equal(resolved.edit, undefined);
      assert.equal(resolved.disabled?.reason, 'Nothing was downloaded or edited.');
    } finally {
      client.answer = 'Yes';
    }
    assert.match(client.asked[client.asked.length - 1].message, /declined\.bin once/);
    assert.equal(dl.requests.length, requests);
    assert.equal(dl.connects.length, connects, 'not even a connection');
  });

  test('no # syntax= directive: the docker/dockerfile:1 digest cannot be resolved here → a clear failure, no edit, nothing downloaded', async () => {
    const f = file('nodirective/Dockerfile');
    const diagnostics = await client.openAndWait(f, files['nodirective/Dockerfile'], 'dockerfile', 'add-without-checksum');
    const { actions } = await client.actionsFor(f, diagnostics, 'add-without-checksum');
    const fix = actions.find((a) => a.isPreferred)!;
    assert.match(fix.title, /and a # syntax= directive that supports it/);
    const asked = client.asked.length;
    const requests = dl.requests.length;
    const messages = client.messages.length;
    const resolved = await client.resolve(fix);
    assert.equal(resolved.edit, undefined);
    assert.match(resolved.disabled!.reason, /^could not resolve the current digest of docker\/dockerfile:1: .+\. Nothing was edited\.$/);
    assert.ok(client.messages.slice(messages).some((m) => m.type === 1 && m.message === `Known Good: ${resolved.disabled!.reason}`), 'shown as an error');
    assert.equal(client.asked.length, asked, 'no consent asked: the digest is fetched first');
    assert.equal(dl.requests.length, requests);
    assert.ok(dl.connects.some((c) => c.refused && /docker\.io:443$/.test(c.authority)), `the registry was tried through the proxy: ${JSON.stringify(dl.connects)}`);
  });
});

describe('downloads and Restricted Mode', () => {
  let dl: DownloadServer;
  let ws: string;
  const text = `# syntax=docker/dockerfile:1.6\nFROM ${BASE}\nADD https://downloads.known-good.test/tool /opt/\n`;

  before(async () => {
    dl = await startDownloadServer();
    dl.files.set('/tool', randomBytes(64));
    ws = makeWorkspace({ Dockerfile: text });
  });
  after(async () => {
    await dl.stop();
    rmSync(ws, { recursive: true, force: true });
  });

  for (const mode of ['untrusted workspace', 'knownGood.network.enabled: false'] as const) {
    test(`${mode}: the fix is offered disabled, resolve refuses without any request`, async () => {
      const client = withEnv(dl.env, () => new FixClient());
      try {
        client.baseSettings = mode === 'untrusted workspace' ? {} : { network: { enabled: false } };
        await client.start(ws, { debounceMs: 0, trusted: mode !== 'untrusted workspace' });
        const f = path.join(ws, 'Dockerfile');
        const diagnostics = await client.openAndWait(f, text, 'dockerfile', 'add-without-checksum');
        const { actions } = await client.actionsFor(f, diagnostics, 'add-without-checksum');
        const fix = actions.find((a) => a.isPreferred)!;
        const off = mode === 'untrusted workspace' ? 'the network is off in Restricted Mode (trust the workspace to allow it)' : 'the network is off (setting knownGood.network.enabled)';
        assert.equal(fix.disabled?.reason, `This fix needs the network, but ${off}`);
        const resolved = await client.resolve(fix);
        assert.equal(resolved.edit, undefined);
        assert.equal(resolved.disabled?.reason, `This fix needs the SHA-256 of https://downloads.known-good.test/tool, but ${off}. Nothing was edited.`);
        assert.deepEqual(client.asked, []);
        assert.deepEqual(dl.requests, []);
        assert.deepEqual(dl.connects, []);
        await client.stop();
      } finally {
        client.kill();
      }
    });
  }
});
