// Nothing from the workspace makes Known Good run a program: a workspace `.docker/config.json`, helper
// keys in `.knowngood.yaml` and in the settings, and a `docker-credential-*` executable in the workspace
// reachable through a relative PATH entry (`.`) are all ignored: the registry's 401 is answered without them.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCliAsync } from '../cli/pin-helpers';
import { codes, ROOT, TestClient } from '../protocol/lsp-client';
import { buildImage, skopeoCopy, writeLayout } from '../registry/helpers/oci';
import { startRegistry, type RegistryHandle } from '../registry/helpers/registry';
import { skipUnlessTools } from '../registry/helpers/tools';
import { CaseCount } from './helpers';

const cases = new CaseCount('program-execution cases');

void describe('the workspace cannot make Known Good run a program', { skip: skipUnlessTools() }, () => {
  let reg: RegistryHandle;
  let work: string;
  let ws: string;
  let home: string;
  let ran: string;
  before(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'kg-helper-run-'));
    // A registry that asks for credentials, so Known Good does look some up.
    reg = await startRegistry({ htpasswd: { owner: 'owner-password' } });
    const image = buildImage('helper-run test');
    writeLayout(path.join(work, 'layout'), '1.0', image.manifest, [image.layer, image.config]);
    await skopeoCopy(path.join(work, 'layout'), '1.0', `${reg.host}/demo/app:1.0`, { creds: 'owner:owner-password' });
    ws = path.join(work, 'ws');
    ran = path.join(work, 'HELPER-RAN');
    const evil = `#!/bin/sh\necho "$0 $*" >> '${ran}'\necho '{"Username":"u","Secret":"s"}'\n`;
    for (const dir of [ws, path.join(ws, 'bin'), path.join(ws, '.docker')]) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'docker-credential-wsevil'), evil);
      chmodSync(path.join(dir, 'docker-credential-wsevil'), 0o755);
    }
    const h = reg.host;
    writeFileSync(path.join(ws, '.docker', 'config.json'), JSON.stringify({ credsStore: 'wsevil', credHelpers: { [h]: 'wsevil' } }));
    writeFileSync(path.join(ws, '.knowngood.yaml'), `credHelpers:\n  "${h}": wsevil\ncredsStore: wsevil\n`);
    mkdirSync(path.join(ws, '.vscode'));
    writeFileSync(path.join(ws, '.vscode', 'settings.json'), JSON.stringify({ 'knownGood.credHelpers': { [h]: 'wsevil' }, 'docker.config': path.join(ws, '.docker') }));
    writeFileSync(path.join(ws, 'Dockerfile'), `FROM ${h}/demo/app:1.0\n`);
    // The user's own Docker config names a helper that is not installed: only the workspace has one.
    home = path.join(work, 'home');
    mkdirSync(path.join(home, '.docker'), { recursive: true });
    writeFileSync(path.join(home, '.docker', 'config.json'), JSON.stringify({ credsStore: 'wsevil' }));
  });
  after(async () => {
    await reg?.stop();
    rmSync(work, { recursive: true, force: true });
    console.log(cases.summary());
  });

  void test('CLI pin and audit --check-stale from inside the workspace, PATH starting with "." and "": the workspace helper never runs', async () => {
    const env = { HOME: home, DOCKER_CONFIG: path.join(home, '.docker'), PATH: `.:bin::${process.env.PATH}` };
    const dry = await runCliAsync(['pin', '--dry-run', '--no-cache'], ws, home, env);
    assert.equal(dry.code, 1, dry.stderr);
    assert.match(dry.stderr, /anonymously \(docker-credential-wsevil not found on PATH\)/, dry.stderr);
    const stale = await runCliAsync(['audit', '--check-stale'], ws, home, env);
    assert.ok(stale.code !== null && stale.code <= 1, stale.stderr);
    assert.equal(existsSync(ran), false, `the workspace helper ran: ${existsSync(ran) ? readFileSync(ran, 'utf8') : ''}`);
    cases.add('CLI pin --dry-run with relative PATH entries and a workspace helper');
    cases.add('CLI audit --check-stale, same setup');
  });

  void test('language server (trusted, network on): settings, .knowngood.yaml and workspace Docker config naming a helper; PATH with a relative entry into the workspace', async () => {
    const saved = { ...process.env };
    // The server's working folder is the repository; a relative PATH entry leads into the workspace's bin/.
    Object.assign(process.env, { HOME: home, DOCKER_CONFIG: path.join(home, '.docker'), PATH: `${path.relative(ROOT, path.join(ws, 'bin'))}:${process.env.PATH}` });
    let client: TestClient;
    try {
      client = new TestClient();
    } finally {
      for (const k of ['HOME', 'DOCKER_CONFIG', 'PATH']) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
    }
    try {
      client.baseSettings = {};
      client.settings = { credHelpers: { [reg.host]: 'wsevil' }, credsStore: 'wsevil', docker: { config: path.join(ws, '.docker') }, registry: { credentialHelper: 'wsevil' } };
      await client.start(ws, { debounceMs: 0 });
      const file = path.join(ws, 'Dockerfile');
      await client.open(file, readFileSync(file, 'utf8'), 'dockerfile');
      const { diagnostics } = await client.waitForDiagnostics(file, (d) => d.length > 0);
      assert.deepEqual(codes(diagnostics), ['missing-digest']);
      const actions = await client.codeActions(file, diagnostics[0].range);
      const resolved = await client.resolve(actions.find((a) => a.title === 'Pin to digest')!);
      assert.equal(resolved.edit, undefined, 'no credentials, no pin');
      await client.hover(file, 0, 10);
      assert.equal(existsSync(ran), false, `the workspace helper ran: ${existsSync(ran) ? readFileSync(ran, 'utf8') : ''}`);
      assert.ok(client.logs.some((l) => l.includes('docker-credential-wsevil not found on PATH')), client.logs.join('\n'));
      assert.equal(await client.stop(), 0);
      cases.add('LSP pin and hover with helper-naming settings, .knowngood.yaml, workspace .docker/config.json, relative PATH entry');
    } finally {
      client.kill();
    }
  });
});
