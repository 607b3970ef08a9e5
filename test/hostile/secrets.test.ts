// Secrets never leak: a registry behind Basic auth whose credentials come from a credential helper in
// the user's Docker config; `pin`, `audit --check-stale` (every format, --output file), the digest
// cache, and in the language server hover, pin, pin-all, stale-digest and every protocol message and
// log are searched for the secret and its base64 forms. Workspace-side helper configuration never runs.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Trace } from 'vscode-jsonrpc/node';
import type { CodeAction, MarkupContent } from 'vscode-languageserver-protocol';
import { runCliAsync } from '../cli/pin-helpers';
import { codes, TestClient } from '../protocol/lsp-client';
import { buildImage, skopeoCopy, writeLayout } from '../registry/helpers/oci';
import { startRegistry, type RegistryHandle } from '../registry/helpers/registry';
import { skipUnlessTools } from '../registry/helpers/tools';
import { CaseCount } from './helpers';

const USER = 'kg-user';
const SECRET = 'S3cr3t-from-helper-4b9d2e';
const WRONG = 'wr0ng-secret-from-helper-77aa';
const LEAKS = [SECRET, WRONG, Buffer.from(`${USER}:${SECRET}`).toString('base64'), Buffer.from(`${USER}:${WRONG}`).toString('base64'), Buffer.from(SECRET).toString('base64')];
const cases = new CaseCount('secret-leak cases');

/** Every leak found in `text`, as `where: secret`. */
function leaksIn(where: string, text: string): string[] {
  return LEAKS.filter((s) => text.includes(s)).map((s) => `${where}: ${s}`);
}

void describe('credentials from a credential helper never appear in any output', { skip: skipUnlessTools() }, () => {
  let reg: RegistryHandle;
  let work: string;
  let ws: string;
  let home: string;
  let bin: string;
  let calls: string;
  let digest1: string;
  let env: Record<string, string>;
  const searched: string[] = [];
  const check = (where: string, text: string) => {
    searched.push(where);
    assert.deepEqual(leaksIn(where, text), []);
  };

  before(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'kg-secrets-'));
    reg = await startRegistry({ htpasswd: { [USER]: SECRET } });
    const one = buildImage('secrets test 1.0');
    const two = buildImage('secrets test 2.0');
    writeLayout(path.join(work, 'l1'), '1.0', one.manifest, [one.layer, one.config]);
    writeLayout(path.join(work, 'l2'), '2.0', two.manifest, [two.layer, two.config]);
    await skopeoCopy(path.join(work, 'l1'), '1.0', `${reg.host}/demo/app:1.0`, { creds: `${USER}:${SECRET}` });
    await skopeoCopy(path.join(work, 'l2'), '2.0', `${reg.host}/demo/app:2.0`, { creds: `${USER}:${SECRET}` });
    digest1 = one.manifest.digest;
    // The helper, "installed" on PATH; it records each call and answers with the secret (or a wrong one for demo/wrong).
    bin = path.join(work, 'bin');
    calls = path.join(work, 'helper-calls');
    mkdirSync(bin);
    const helper = path.join(bin, 'docker-credential-kgtest');
    writeFileSync(helper, `#!/bin/sh\n[ "$1" = get ] || exit 1\nread -r server\nprintf '%s\\n' "$server" >> '${calls}'\nprintf '{"ServerURL":"%s","Username":"${USER}","Secret":"%s"}\\n' "$server" "\${KG_HELPER_SECRET:-${SECRET}}"\n`);
    chmodSync(helper, 0o755);
    // The user's Docker config names the helper for the registry.
    home = path.join(work, 'home');
    mkdirSync(path.join(home, '.docker'), { recursive: true });
    writeFileSync(path.join(home, '.docker', 'config.json'), JSON.stringify({ credHelpers: { [reg.host]: 'kgtest' } }));
    env = { HOME: home, DOCKER_CONFIG: path.join(home, '.docker'), PATH: `${bin}:${process.env.PATH}`, XDG_CACHE_HOME: path.join(home, 'cache') };
    ws = path.join(work, 'ws');
    mkdirSync(path.join(ws, 'deploy'), { recursive: true });
    writeFileSync(path.join(ws, 'Dockerfile'), `FROM ${reg.host}/demo/app:1.0 AS build\nFROM ${reg.host}/demo/app:2.0@${digest1}\n`);
    writeFileSync(path.join(ws, 'deploy/task-definition.json'), JSON.stringify({ containerDefinitions: [{ name: 'a', image: `${reg.host}/demo/app:1.0` }] }, null, 2));
  });
  after(async () => {
    await reg?.stop();
    rmSync(work, { recursive: true, force: true });
    console.log(`${cases.summary()}; ${searched.length} outputs searched for ${LEAKS.length} secret forms`);
  });

  void test('CLI: audit --check-stale in every format and to a file, pin --dry-run, pin, the digest cache', async () => {
    const helperCalls = () => (existsSync(calls) ? readFileSync(calls, 'utf8').split('\n').filter(Boolean).length : 0);
    for (const format of ['text', 'json', 'sarif', 'markdown']) {
      const r = await runCliAsync(['audit', '--check-stale', '--format', format], ws, home, env);
      assert.equal(r.code, 1, r.stderr);
      check(`audit --check-stale --format ${format} stdout`, r.stdout);
      check(`audit --check-stale --format ${format} stderr`, r.stderr);
      assert.ok(r.stdout.includes('stale-digest'), `${format}: the stale check ran (it needed the credentials)\n${r.stdout}\n${r.stderr}`);
      cases.add(`CLI audit --check-stale ${format}`);
    }
    const out = path.join(work, 'report.sarif');
    const toFile = await runCliAsync(['audit', '--check-stale', '--format', 'sarif', '--output', out], ws, home, env);
    check('audit --output file', readFileSync(out, 'utf8') + toFile.stdout + toFile.stderr);
    const dry = await runCliAsync(['pin', '--dry-run'], ws, home, env);
    assert.equal(dry.code, 0, dry.stderr);
    check('pin --dry-run stdout', dry.stdout);
    check('pin --dry-run stderr', dry.stderr);
    assert.ok(helperCalls() > 0, 'the helper was asked: the secret was in play');
    // A helper answering with a wrong secret: the failure is reported, the secret is not.
    const wrong = await runCliAsync(['pin', '--dry-run', '--no-cache'], ws, home, { ...env, KG_HELPER_SECRET: WRONG });
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /refused access|unauthorized|denied/i);
    check('pin with a wrong secret, stderr', wrong.stderr);
    check('pin with a wrong secret, stdout', wrong.stdout);
    const real = await runCliAsync(['pin'], ws, home, env);
    assert.equal(real.code, 0, real.stderr);
    check('pin stdout and stderr', real.stdout + real.stderr);
    check('pinned files', readFileSync(path.join(ws, 'Dockerfile'), 'utf8') + readFileSync(path.join(ws, 'deploy/task-definition.json'), 'utf8'));
    const cacheDir = path.join(home, 'cache');
    for (const f of readdirSync(cacheDir, { recursive: true, withFileTypes: true })) if (f.isFile()) check(`cache ${f.name}`, readFileSync(path.join(f.parentPath, f.name), 'utf8'));
    cases.add('CLI pin --dry-run, wrong secret, pin, cache file');
  });

  void describe('language server', () => {
    let client: TestClient;
    const wire: string[] = [];
    let cacheFile: string;
    before(async () => {
      // Fresh, unpinned files for the editor.
      writeFileSync(path.join(ws, 'Dockerfile'), `FROM ${reg.host}/demo/app:1.0 AS build\nFROM ${reg.host}/demo/app:2.0@${digest1}\n`);
      cacheFile = path.join(work, 'lsp-cache', 'digests.json');
      const saved = { ...process.env };
      Object.assign(process.env, env);
      try {
        client = new TestClient();
      } finally {
        for (const k of Object.keys(env)) {
          if (saved[k] === undefined) delete process.env[k];
          else process.env[k] = saved[k];
        }
      }
      // Every message both ways, with its parameters and results.
      await client.connection.trace(Trace.Verbose, { log: (m: string, data?: string) => void wire.push(`${m}\n${data ?? ''}`) });
      client.baseSettings = {};
      client.settings = { rules: { 'stale-digest': 'info' } };
      await client.start(ws, { debounceMs: 0, cacheFile, digestTtlMs: 0 });
    });
    after(() => client.kill());

    void test('hover, Pin to digest, Pin All Images, stale-digest: the secret is in no message, log or file', async () => {
      const file = path.join(ws, 'Dockerfile');
      await client.open(file, readFileSync(file, 'utf8'), 'dockerfile');
      const { diagnostics } = await client.waitForDiagnostics(file, (d) => codes(d).includes('stale-digest'), 0, 20_000);
      const hover = await client.hover(file, 0, 10);
      const text = (hover!.contents as MarkupContent).value;
      assert.match(text, /\*\*Registry/, `the hover asked the registry:\n${text}`);
      const actions = await client.codeActions(file, diagnostics.find((d) => d.code === 'missing-digest')!.range);
      const resolved = await client.resolve(actions.find((a: CodeAction) => a.title === 'Pin to digest')!);
      assert.ok(resolved.edit, 'pinned with the helper credentials');
      const all = await client.connection.sendRequest('knownGood/pinWorkspace', {});
      check('hover', text);
      check('code action', JSON.stringify(resolved));
      check('pin workspace result', JSON.stringify(all));
      check('diagnostics', JSON.stringify([...client.diagnostics]));
      check('window/logMessage', client.logs.join('\n'));
      check('window/showMessage', JSON.stringify(client.messages));
      check('server stderr', client.stderr);
      assert.ok(wire.length > 10, 'messages were traced');
      check('every protocol message (trace)', wire.join('\n'));
      if (existsSync(cacheFile)) check('digest cache file', readFileSync(cacheFile, 'utf8'));
      assert.equal(await client.stop(), 0);
      cases.add('LSP hover, pin, pin-all, stale-digest, logs, traced messages, cache');
    });
  });
});
