// Starts a real CNCF distribution registry (`docker-registry serve`, Debian package) on a free loopback port.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './net';

/** Debian's docker-registry package installs /usr/bin/docker-registry (CNCF distribution 2.8). */
export const REGISTRY_BIN = 'docker-registry';

/** Registries still running; killed when the test process exits, even after a failed test. */
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export interface RegistryOptions {
  /** Basic auth through an htpasswd file (bcrypt, `htpasswd -Bbn`): user name → password. */
  htpasswd?: Record<string, string>;
  /** Token auth: JWTs from `realm`, signed by the key whose certificate is at `certPath`. */
  token?: { realm: string; service: string; issuer: string; certPath: string };
  /** Serve HTTPS with this certificate and key. */
  tls?: { certPath: string; keyPath: string; certPem: string };
}

export interface RegistryHandle {
  /** `127.0.0.1:<port>`. */
  host: string;
  port: number;
  /** `http://127.0.0.1:<port>` (or https). */
  url: string;
  dir: string;
  /** Registry stderr lines so far. */
  logs: string[];
  stop: () => Promise<void>;
}

function probe(url: string, ca?: string): Promise<boolean> {
  return new Promise((resolve) => {
    const mod = url.startsWith('https:') ? https : http;
    const req = mod.get(`${url}/v2/`, { ca, timeout: 500, agent: false }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
  });
}

/** Start a registry with a temporary storage directory; resolves once `GET /v2/` answers. */
export async function startRegistry(options: RegistryOptions = {}): Promise<RegistryHandle> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kg-registry-'));
  const port = await freePort();
  const config: Record<string, unknown> = {
    version: 0.1,
    log: { level: 'info', accesslog: { disabled: false } },
    storage: { filesystem: { rootdirectory: path.join(dir, 'data') }, delete: { enabled: true } },
    http: { addr: `127.0.0.1:${port}`, ...(options.tls ? { tls: { certificate: options.tls.certPath, key: options.tls.keyPath } } : {}) },
  };
  if (options.htpasswd) {
    const lines = Object.entries(options.htpasswd).map(([user, password]) => execFileSync('htpasswd', ['-Bbn', user, password], { encoding: 'utf8' }).trim());
    writeFileSync(path.join(dir, 'htpasswd'), `${lines.join('\n')}\n`);
    config.auth = { htpasswd: { realm: 'basic-realm', path: path.join(dir, 'htpasswd') } };
  } else if (options.token) {
    const t = options.token;
    config.auth = { token: { realm: t.realm, service: t.service, issuer: t.issuer, rootcertbundle: t.certPath } };
  }
  // JSON is YAML.
  writeFileSync(path.join(dir, 'config.yml'), JSON.stringify(config, null, 1));
  const logs: string[] = [];
  const child: ChildProcess = spawn(REGISTRY_BIN, ['serve', path.join(dir, 'config.yml')], { stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of [child.stdout, child.stderr]) stream?.on('data', (d: Buffer) => logs.push(...d.toString('utf8').split('\n').filter(Boolean)));
  let exited = false;
  running.add(child);
  child.on('exit', () => {
    exited = true;
    running.delete(child);
  });
  // A forgotten registry must not keep the test process alive.
  child.unref();
  for (const stream of [child.stdout, child.stderr]) (stream as unknown as { unref?: () => void } | null)?.unref?.();
  const url = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (!exited) {
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await gone;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const until = Date.now() + 15_000;
  while (!(await probe(url, options.tls?.certPem))) {
    if (exited || Date.now() > until) {
      await stop();
      throw new Error(`docker-registry did not start on ${port}:\n${logs.slice(-20).join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { host: `127.0.0.1:${port}`, port, url, dir, logs, stop };
}
