// Shared by the pin and --check-stale tests: run the CLI without blocking the event loop (the proxies
// and hanging servers live in this process), snapshot workspaces, and generate fixture files.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { CLI } from './helpers';

export interface AsyncRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall-clock milliseconds from spawn to exit. */
  ms: number;
}

/**
 * Run the built CLI as a child process. Unlike `runCli` this does not block, so loopback servers in
 * the test process keep answering. HOME and XDG_CACHE_HOME point into `cacheHome` so no test touches
 * the user's cache; DOCKER_CONFIG points at an empty folder so no credential helper runs.
 */
export function runCliAsync(args: string[], cwd: string, cacheHome: string, env: Record<string, string> = {}): Promise<AsyncRun> {
  const base = { ...process.env };
  for (const k of ['NO_COLOR', 'FORCE_COLOR', 'HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy', 'NO_PROXY', 'no_proxy']) delete base[k];
  const fullEnv = { ...base, HOME: cacheHome, XDG_CACHE_HOME: path.join(cacheHome, 'xdg'), DOCKER_CONFIG: path.join(cacheHome, 'docker'), ...env };
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: fullEnv });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Math.round(performance.now() - started) });
    });
  });
}

/** Every file under `dir` (posix relative path → bytes and mtime), for "nothing changed" checks. */
export function snapshot(dir: string): Map<string, { bytes: Buffer; mtimeMs: number; mode: number }> {
  const out = new Map<string, { bytes: Buffer; mtimeMs: number; mode: number }>();
  const visit = (abs: string, rel: string): void => {
    for (const e of fs.readdirSync(abs, { withFileTypes: true })) {
      const a = path.join(abs, e.name);
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) visit(a, r);
      else {
        const st = fs.statSync(a);
        out.set(r, { bytes: fs.readFileSync(a), mtimeMs: st.mtimeMs, mode: st.mode });
      }
    }
  };
  visit(dir, '');
  return out;
}

/** Write `files` (relative path → content) under `dir`, creating folders. */
export function writeTree(dir: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(dir, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
  }
}

/** Text of the file `rel` under `dir`. */
export function read(dir: string, rel: string): string {
  return fs.readFileSync(path.join(dir, rel), 'utf8');
}
