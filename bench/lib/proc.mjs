// Whole-process timing: spawn a Node script, time it from spawn to exit with a monotonic clock,
// and read the child's own peak RSS and CPU time (written by rss-probe.cjs when it exits).
import { spawn } from 'child_process';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { fileURLToPath } from 'url';

const PROBE = fileURLToPath(new URL('./rss-probe.cjs', import.meta.url));

/**
 * Run `node <args>` once. Resolves to { wallMs, userMs, systemMs, cpuMs, maxRssMB, code, stdout, stderr }.
 * Kills the child (and rejects) after `timeoutMs`.
 */
export function timeNode(args, { cwd, timeoutMs = 120_000, env = process.env } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'kg-bench-'));
  const usageFile = join(dir, 'usage.json');
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, ['-r', PROBE, ...args], { cwd, env: { ...env, KG_BENCH_USAGE_FILE: usageFile }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    let wallMs = 0;
    child.on('exit', () => (wallMs = Number(process.hrtime.bigint() - started) / 1e6));
    child.on('error', (e) => {
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      let usage;
      try {
        usage = JSON.parse(readFileSync(usageFile, 'utf8'));
      } catch {
        usage = undefined;
      }
      rmSync(dir, { recursive: true, force: true });
      if (signal) return reject(new Error(`node ${args.join(' ')} killed by ${signal} (timeout ${timeoutMs} ms)\n${stderr}`));
      const userMs = usage ? usage.userUs / 1000 : NaN;
      const systemMs = usage ? usage.systemUs / 1000 : NaN;
      resolve({ wallMs, userMs, systemMs, cpuMs: userMs + systemMs, maxRssMB: usage ? usage.maxRssKB / 1024 : NaN, code, stdout, stderr });
    });
  });
}
