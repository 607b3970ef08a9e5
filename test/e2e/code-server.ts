// Runs a real VS Code workbench for the end-to-end tests: code-server 4.100.3 from .cache/code-server
// (scripts/setup-e2e.sh) with a fresh user-data and extensions dir, the packaged .vsix installed by
// `--install-extension` as a user would, serving on a free loopback port.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../registry/helpers/net';
import { FatalPollError, poll } from './poll';

/** The repository root (this file is compiled to out/test/e2e/). */
export const ROOT = path.resolve(__dirname, '../../..');
export const CODE_SERVER_VERSION = '4.100.3';
const ENTRY = path.join(ROOT, '.cache/code-server/node_modules/code-server/out/node/entry.js');
const STAMP = path.join(ROOT, `.cache/code-server/.setup-done-${CODE_SERVER_VERSION}`);
export const CHROMIUM = '/usr/bin/chromium';

const run = promisify(execFile);

/**
 * `false` when code-server is set up and Chromium is installed, else a skip reason. With
 * `KG_E2E_TESTS=required` (CI) a missing piece fails the test file instead of skipping it.
 */
export function skipUnlessE2e(): string | false {
  const missing: string[] = [];
  if (!existsSync(STAMP) || !existsSync(ENTRY)) missing.push(`code-server ${CODE_SERVER_VERSION} in .cache/code-server (bash scripts/setup-e2e.sh)`);
  if (!existsSync(CHROMIUM)) missing.push('chromium (apt-get install -y chromium)');
  if (!existsSync(path.join(ROOT, 'dist/extension.js')) || !existsSync(path.join(ROOT, 'dist/cli.js'))) missing.push('dist/ (npm run build)');
  if (missing.length === 0) return false;
  const why = `end-to-end tests need ${missing.join(', ')}; \`npm run test:e2e\` does all of it`;
  if (process.env.KG_E2E_TESTS === 'required') throw new Error(why);
  return why;
}

const mtime = (file: string): number => (existsSync(file) ? statSync(file).mtimeMs : Infinity);
/** What the .vsix is made of; a .vsix older than any of them is stale. */
const PACKAGED = ['dist/extension.js', 'dist/cli.js', 'package.json', 'README.md'];

/** Whether `vsix` exists and is newer than everything packaged into it. */
function fresh(vsix: string): boolean {
  if (!existsSync(vsix)) return false;
  const built = statSync(vsix).mtimeMs;
  return PACKAGED.every((f) => mtime(path.join(ROOT, f)) <= built);
}

/**
 * The packaged extension: `known-good.vsix` from `npm run package` when it is newer than dist/,
 * else the current dist/ packaged with vsce into out/e2e-vsix/ (written under a temporary name and
 * renamed, so test files packaging at the same time never read half a file).
 */
export async function packagedVsix(): Promise<string> {
  const released = path.join(ROOT, 'known-good.vsix');
  if (fresh(released)) return released;
  const dir = path.join(ROOT, 'out/e2e-vsix');
  const out = path.join(dir, 'known-good.vsix');
  if (fresh(out)) return out;
  mkdirSync(dir, { recursive: true });
  const partial = path.join(dir, `known-good.${process.pid}.vsix`);
  const vsce = path.join(ROOT, 'node_modules/@vscode/vsce/vsce');
  await run(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '-o', partial], { cwd: ROOT, timeout: 120_000 });
  renameSync(partial, out);
  return out;
}

export interface CodeServer {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** Temporary directory holding user-data/, extensions/ and whatever the test puts there. */
  dir: string;
  userDataDir: string;
  /** stdout and stderr of the server so far. */
  logs: string[];
  /** Milliseconds `--install-extension` took. */
  installMs: number;
  /** The workbench URL opening `folder`. */
  folderUrl: (folder: string) => string;
  stop: () => Promise<void>;
}

export interface CodeServerOptions {
  /** The .vsix to install. */
  vsix: string;
  /** User settings (`<user-data-dir>/User/settings.json`). */
  settings: Record<string, unknown>;
}

/** The user settings of a test that does not look at Workspace Trust. */
export const TRUSTING_SETTINGS = { 'security.workspace.trust.enabled': false, 'workbench.startupEditor': 'none' };

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

function codeServerArgs(userDataDir: string, extensionsDir: string): string[] {
  return [ENTRY, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--disable-telemetry', '--disable-update-check'];
}

/** Fresh dirs, install the .vsix, start the server and wait until it answers. */
export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kg-e2e-'));
  const userDataDir = path.join(dir, 'user-data');
  const extensionsDir = path.join(dir, 'extensions');
  mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(options.settings, null, 2));
  const env = { ...process.env, HOME: dir, XDG_DATA_HOME: path.join(dir, 'xdg') };

  const installStart = performance.now();
  await run(process.execPath, [...codeServerArgs(userDataDir, extensionsDir), '--install-extension', options.vsix], { env, timeout: 120_000 });
  const installMs = Math.round(performance.now() - installStart);
  const installed = readdirSync(extensionsDir).filter((d) => statSync(path.join(extensionsDir, d)).isDirectory());
  if (!installed.some((d) => d.startsWith('known-good.known-good-'))) throw new Error(`the .vsix did not install: ${installed.join(', ')}`);

  const port = await freePort();
  const logs: string[] = [];
  const child = spawn(process.execPath, [...codeServerArgs(userDataDir, extensionsDir), '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let exited = false;
  child.on('exit', () => {
    exited = true;
    running.delete(child);
  });
  for (const stream of [child.stdout, child.stderr]) stream?.on('data', (d: Buffer) => logs.push(...d.toString('utf8').split('\n').filter(Boolean)));
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (!exited) {
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await gone;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await poll(
      async () => {
        if (exited) throw new FatalPollError(`code-server exited:\n${logs.join('\n')}`);
        const res = await fetch(`${url}/healthz`).catch(() => undefined);
        return res?.ok === true;
      },
      { timeoutMs: 60_000, what: 'code-server /healthz' },
    );
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, dir, userDataDir, logs, installMs, folderUrl: (folder) => `${url}/?folder=${encodeURIComponent(folder)}`, stop };
}
