// Restricted Mode beyond pinning (see test/protocol/pin-trust.test.ts for the pin actions): with the
// network on in the settings, stale-digest on and a credential helper in the user's Docker config,
// an untrusted workspace's open files, hovers, audit, export and pin requests reach no registry and run no helper.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CodeAction, MarkupContent } from 'vscode-languageserver-protocol';
import { makeWorkspace } from '../protocol/fixtures';
import { codes, TestClient } from '../protocol/lsp-client';
import { skipUnlessTools, startDemoRegistry, type DemoRegistry } from '../protocol/registry-fixture';
import { CaseCount } from './helpers';

const cases = new CaseCount('Restricted Mode cases');

void describe('Restricted Mode sends no request and runs no helper', { skip: skipUnlessTools() }, () => {
  let demo: DemoRegistry;
  let ws: string;
  let work: string;
  let ran: string;
  let client: TestClient;
  before(async () => {
    demo = await startDemoRegistry();
    const h = demo.proxy.host;
    ws = makeWorkspace({
      Dockerfile: `FROM ${h}/demo/app:1.0\nFROM ${h}/demo/app:2.0@${demo.single.manifest.digest}\n`,
      'deploy/task-definition.json': JSON.stringify({ containerDefinitions: [{ name: 'a', image: `${h}/demo/app:latest` }] }),
      'compose.yaml': `services:\n  web:\n    image: ${h}/demo/app:2.0\n`,
    });
    work = mkdtempSync(path.join(tmpdir(), 'kg-restricted-'));
    ran = path.join(work, 'HELPER-RAN');
    mkdirSync(path.join(work, 'bin'));
    mkdirSync(path.join(work, 'docker'));
    writeFileSync(path.join(work, 'bin', 'docker-credential-user'), `#!/bin/sh\necho ran >> '${ran}'\necho '{"Username":"u","Secret":"s"}'\n`);
    chmodSync(path.join(work, 'bin', 'docker-credential-user'), 0o755);
    writeFileSync(path.join(work, 'docker', 'config.json'), JSON.stringify({ credHelpers: { [h]: 'user' }, credsStore: 'user' }));
    const saved = { ...process.env };
    Object.assign(process.env, { DOCKER_CONFIG: path.join(work, 'docker'), PATH: `${path.join(work, 'bin')}:${process.env.PATH}` });
    try {
      client = new TestClient();
    } finally {
      for (const k of ['DOCKER_CONFIG', 'PATH']) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
    }
    client.baseSettings = {};
    client.settings = { network: { enabled: true }, rules: { 'stale-digest': 'info' } };
    await client.start(ws, { trusted: false, debounceMs: 0, digestTtlMs: 0 });
  });
  after(async () => {
    client.kill();
    await demo?.stop();
    rmSync(ws, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
    console.log(cases.summary());
  });

  void test('open documents, hovers on pinned and unpinned references, code actions, audit, export, pin all: zero requests', async () => {
    for (const [rel, lang] of [['Dockerfile', 'dockerfile'], ['deploy/task-definition.json', 'json'], ['compose.yaml', 'dockercompose']] as const) {
      const file = path.join(ws, rel);
      await client.open(file, readFileSync(file, 'utf8'), lang);
      const { diagnostics } = await client.waitForDiagnostics(file, (d) => d.length > 0);
      assert.ok(!codes(diagnostics).includes('stale-digest'), 'no stale check without the network');
      for (const d of diagnostics) {
        const hover = await client.hover(file, d.range.start.line, d.range.start.character + 1);
        if (hover) assert.doesNotMatch((hover.contents as MarkupContent).value, /\*\*Registry/);
        const actions = await client.codeActions(file, d.range);
        for (const a of actions.filter((x: CodeAction) => /^Pin|^Update/.test(x.title))) assert.equal((await client.resolve(a)).edit, undefined);
        cases.add(`${rel}: ${d.code} hover and actions`);
      }
    }
    // The pinned line's hover (the one that would compare the pin with the registry).
    await client.hover(path.join(ws, 'Dockerfile'), 1, 10);
    await client.connection.sendRequest('knownGood/auditWorkspace', {});
    cases.add('workspace audit');
    await client.connection.sendRequest('knownGood/exportReport', { format: 'sarif' }).catch(() => undefined);
    cases.add('report export');
    const pinAll = await client.connection.sendRequest<{ networkOff?: string; edit?: unknown }>('knownGood/pinWorkspace', {});
    assert.equal(pinAll.edit, undefined);
    cases.add('pin all images');
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(demo.proxy.seen, [], 'nothing reached the registry');
    assert.equal(existsSync(ran), false, 'the credential helper ran');
    assert.equal(await client.stop(), 0);
  });
});
