// Cancellation and interruption: a newer edit supersedes the analysis of older versions; a cancelled
// workspace pin returns no edit; a `known-good pin` killed while writing leaves every file old or new.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CancellationTokenSource, ResponseError } from 'vscode-jsonrpc/node';
import { CLI } from '../cli/helpers';
import { bigDockerfile, makeWorkspace } from '../protocol/fixtures';
import { TestClient } from '../protocol/lsp-client';
import { skipUnlessTools, startDemoRegistry, startSlowProxy, type DemoRegistry } from '../protocol/registry-fixture';
import { CaseCount } from '../hostile/helpers';

const cases = new CaseCount('cancellation and interruption cases');

/** Every file under `root` (relative path → text). */
function contents(root: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) out.set(path.relative(root, path.join(e.parentPath, e.name)), readFileSync(path.join(e.parentPath, e.name), 'utf8'));
  }
  return out;
}

/** Poll `ok` every 5 ms (what it watches changes without any protocol message). */
async function until(ok: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

void describe('cancellation', () => {
  after(() => console.log(cases.summary()));

  void test('rapid edits: only versions newer than the last published one are ever published, and the last version wins', async (t) => {
    const ws = makeWorkspace({});
    const client = new TestClient();
    t.after(() => {
      client.kill();
      rmSync(ws, { recursive: true, force: true });
    });
    await client.start(ws, { debounceMs: 20 });
    const file = path.join(ws, 'Dockerfile');
    const base = bigDockerfile(2000);
    // Version k has k extra `:latest` stages, so its diagnostics say which version they are of.
    const versionText = (k: number) => `${base}${'FROM redis:latest\n'.repeat(k)}`;
    const baseline = (await (async () => {
      await client.open(file, versionText(0), 'dockerfile', 0);
      return client.waitForDiagnostics(file, (d) => d.length > 0, 0, 30_000);
    })()).diagnostics.filter((d) => d.code === 'latest-tag').length;
    const from = client.history.length;
    const VERSIONS = 30;
    for (let k = 1; k <= VERSIONS; k++) {
      await client.change(file, versionText(k), k);
      if (k % 3 === 0) await new Promise((r) => setTimeout(r, 15));
    }
    await client.waitForDiagnostics(file, (d) => d.filter((x) => x.code === 'latest-tag').length === baseline + VERSIONS, 0, 60_000);
    await new Promise((r) => setTimeout(r, 300));
    const published = client.history.slice(from).filter((h) => h.uri.endsWith('/Dockerfile')).map((h) => h.published.diagnostics.filter((d) => d.code === 'latest-tag').length - baseline);
    for (let i = 1; i < published.length; i++) assert.ok(published[i] > published[i - 1], `version ${published[i]} published after version ${published[i - 1]}: ${published.join(',')}`);
    assert.equal(published.at(-1), VERSIONS);
    const analysed = client.logs.filter((l) => l.includes(`analysed ${file} (version`)).length - 1;
    assert.ok(analysed < VERSIONS, `${analysed} analyses for ${VERSIONS} versions`);
    t.diagnostic(`${VERSIONS} edits of a 2,000-line Dockerfile: ${analysed} analyses ran, versions published: ${published.join(', ')}`);
    cases.add(`${VERSIONS} rapid edits`);
    assert.equal(await client.stop(), 0);
  });

  void describe('with a registry', { skip: skipUnlessTools() }, () => {
    let demo: DemoRegistry;
    before(async () => {
      demo = await startDemoRegistry();
    });
    after(() => demo?.stop());

    void test('a cancelled Pin All Images in Workspace rejects with RequestCancelled: no edit, files untouched', async (t) => {
      const slow = await startSlowProxy(demo.reg, 800);
      const files: Record<string, string> = {};
      for (let i = 0; i < 20; i++) files[`s${i}/Dockerfile`] = `FROM ${slow.host}/demo/app:${['1.0', '2.0', 'latest'][i % 3]}\n`;
      const ws = makeWorkspace(files);
      const client = new TestClient();
      t.after(async () => {
        client.kill();
        await slow.stop();
        rmSync(ws, { recursive: true, force: true });
      });
      client.baseSettings = {};
      await client.start(ws, { debounceMs: 0 });
      const before = contents(ws);
      const source = new CancellationTokenSource();
      const request = client.connection.sendRequest('knownGood/pinWorkspace', {}, source.token);
      // Cancel while the digests are being looked up.
      await until(() => slow.seen.some((s) => s.url.includes('/manifests/')));
      source.cancel();
      await assert.rejects(request, (e: unknown) => e instanceof ResponseError && e.code === -32800);
      assert.deepEqual(contents(ws), before);
      cases.add('cancelled workspace pin');
      assert.equal(await client.stop(), 0);
    });

    void test('known-good pin killed (SIGKILL) while writing: every file is wholly old or wholly pinned; a rerun finishes the job', async (t) => {
      const h = demo.proxy.host;
      const files: Record<string, string> = {};
      for (let i = 0; i < 120; i++) files[`svc${String(i).padStart(3, '0')}/Dockerfile`] = `FROM ${h}/demo/app:1.0\nRUN echo ${i}\nFROM ${h}/demo/app:2.0\n`;
      const ws = makeWorkspace(files);
      const home = mkdtempSync(path.join(tmpdir(), 'kg-kill-home-'));
      t.after(() => {
        rmSync(ws, { recursive: true, force: true });
        rmSync(home, { recursive: true, force: true });
      });
      const pinned = (text: string) => /^FROM \S+:1\.0@sha256:[0-9a-f]{64}\nRUN echo \d+\nFROM \S+:2\.0@sha256:[0-9a-f]{64}\n$/.test(text);
      const rounds: string[] = [];
      for (const killAfter of [1, 7, 30]) {
        const written = await new Promise<number>((resolve, reject) => {
          const child = spawn(process.execPath, [CLI, 'pin', '--no-cache'], { cwd: ws, env: { ...process.env, HOME: home, XDG_CACHE_HOME: path.join(home, 'xdg'), DOCKER_CONFIG: path.join(home, 'docker') } });
          let lines = 0;
          child.stdout.setEncoding('utf8').on('data', (d: string) => {
            lines += (d.match(/: pinned /g) ?? []).length;
            if (lines >= killAfter) child.kill('SIGKILL');
          });
          child.on('error', reject);
          child.on('close', () => resolve(lines));
        });
        const now = contents(ws);
        let old = 0;
        let pin = 0;
        for (const [f, original] of Object.entries(files)) {
          const text = now.get(f);
          assert.ok(text === original || (text !== undefined && pinned(text)), `${f} is neither old nor pinned:\n${text}`);
          if (text === original) old++;
          else pin++;
        }
        const strays = [...now.keys()].filter((f) => !(f in files));
        rounds.push(`killed after ${written} reported writes: ${pin} pinned, ${old} old, ${strays.length} stray temporary files`);
        for (const s of strays) assert.match(s, /\.kg-tmp$/, `unexpected file ${s}`);
        for (const s of strays) rmSync(path.join(ws, s));
      }
      const rerun = await new Promise<number | null>((resolve) => spawn(process.execPath, [CLI, 'pin', '--no-cache'], { cwd: ws, env: { ...process.env, HOME: home, DOCKER_CONFIG: path.join(home, 'docker') }, stdio: 'ignore' }).on('close', resolve));
      assert.equal(rerun, 0);
      for (const f of Object.keys(files)) assert.ok(pinned(readFileSync(path.join(ws, f), 'utf8')), f);
      t.diagnostic(rounds.join('; '));
      cases.add('pin killed during writes (3 kill points)');
    });
  });
});
