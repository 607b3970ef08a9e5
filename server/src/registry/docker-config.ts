// Credentials from the Docker client configuration: `auths`, `credsStore` and `credHelpers`.
import { execFile } from 'node:child_process';
import { constants as fsConstants } from 'node:fs';
import { access, readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** Credentials for one registry; `source` says where they came from, for messages (never the secret). */
export interface Credentials {
  username?: string;
  password?: string;
  /** OAuth2 refresh token (`identitytoken`, or a helper answering with Username `<token>`). */
  identityToken?: string;
  source: string;
}

interface AuthEntry {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
}

interface DockerConfig {
  auths?: Record<string, AuthEntry>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
}

/** Where Docker reads its configuration: `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`. */
export function dockerConfigPath(env: NodeJS.ProcessEnv): string {
  if (env.DOCKER_CONFIG) return path.join(env.DOCKER_CONFIG, 'config.json');
  return path.join(env.HOME || os.homedir(), '.docker', 'config.json');
}

/** Docker's `ConvertToHostname`: a config key or server address reduced to `host[:port]`. */
export function configKeyHost(key: string): string {
  const host = key.replace(/^https?:\/\//i, '').split('/')[0].toLowerCase();
  return host === 'index.docker.io' || host === 'registry-1.docker.io' ? 'docker.io' : host;
}

/** The server URL Docker stores and passes to helpers for a registry (Docker Hub's legacy URL for docker.io). */
export function helperServerUrl(registry: string): string {
  return registry === 'docker.io' ? 'https://index.docker.io/v1/' : registry;
}

/** What a look-up found: credentials, and/or why none could be used (for the unauthorized message). */
export interface CredentialLookupResult {
  credentials?: Credentials;
  problem?: string;
}

/** Options of {@link findCredentials}. */
export interface CredentialLookup {
  registry: string;
  configPath: string;
  allowHelpers: boolean;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  log: (line: string) => void;
}

/**
 * Credentials for `registry` as the Docker CLI finds them: a `credHelpers` entry for the host, else
 * `credsStore`, else the `auths` entry (base64 `auth`, `username`/`password`, `identitytoken`).
 * Helpers run only when allowed. A missing or unreadable config means no credentials.
 */
export async function findCredentials(q: CredentialLookup): Promise<CredentialLookupResult> {
  let config: DockerConfig;
  try {
    config = JSON.parse(await readFile(q.configPath, 'utf8')) as DockerConfig;
    if (!config || typeof config !== 'object') throw new Error('not an object');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { problem: `no credentials for ${q.registry}: ${q.configPath} does not exist` };
    const problem = `docker config ${q.configPath} unreadable (${code ?? 'invalid JSON'})`;
    q.log(`${problem}; continuing without credentials`);
    return { problem };
  }
  const host = configKeyHost(q.registry);
  const helper = Object.entries(config.credHelpers ?? {}).find(([k]) => configKeyHost(k) === host)?.[1] ?? config.credsStore;
  let problem: string | undefined;
  if (helper && typeof helper === 'string') {
    if (!q.allowHelpers) {
      problem = `credential helper docker-credential-${helper} not run for ${q.registry} (credential helpers are disabled)`;
      q.log(problem);
    } else {
      const fromHelper = await runHelper(helper, helperServerUrl(q.registry), q);
      if (fromHelper.credentials) return fromHelper;
      problem = fromHelper.problem;
    }
  }
  const entry = Object.entries(config.auths ?? {}).find(([k]) => configKeyHost(k) === host)?.[1];
  const credentials = entry ? fromAuthEntry(entry, q.configPath) : undefined;
  return credentials ? { credentials } : { problem: problem ?? `no credentials for ${q.registry} in ${q.configPath}` };
}

function fromAuthEntry(entry: AuthEntry, configPath: string): Credentials | undefined {
  const source = `docker config ${configPath}`;
  let { username, password } = entry;
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) {
      username = decoded.slice(0, colon);
      password = decoded.slice(colon + 1);
    }
  }
  if (entry.identitytoken) return { username, identityToken: entry.identitytoken, source };
  if (username && password) return { username, password, source };
  return undefined;
}

/** Run `docker-credential-<name> get` (looked up in the absolute folders of `PATH`, no shell) with the server URL on stdin. */
function runHelper(name: string, serverUrl: string, q: CredentialLookup): Promise<CredentialLookupResult> {
  const program = `docker-credential-${name}`;
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
    const problem = `credential helper name "${name.slice(0, 60)}" refused (letters, digits, '.', '_' and '-' only)`;
    q.log(problem);
    return Promise.resolve({ problem });
  }
  return findOnPath(program, q.env).then((found) => {
    if (!found) {
      const problem = `${program} not found on PATH`;
      q.log(`${problem}; continuing without its credentials`);
      return { problem };
    }
    return execHelper(found, program, serverUrl, q);
  });
}

/**
 * The absolute path of `program` in the absolute folders of PATH. Empty and relative entries (`.`)
 * are skipped, and the helper later runs with its own folder as working directory: a program in
 * the workspace (the language server's working folder) is never run, on Windows either, where a
 * bare name would be looked up in the working folder first.
 */
export async function findOnPath(program: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const windows = process.platform === 'win32';
  const exts = windows ? ['.exe', '.com'] : [''];
  const dirs = (env.PATH ?? env.Path ?? '').split(path.delimiter);
  for (const dir of dirs) {
    if (!dir || !path.isAbsolute(dir)) continue;
    for (const ext of exts) {
      const candidate = path.join(dir, program + ext);
      try {
        if ((await stat(candidate)).isFile()) {
          if (!windows) await access(candidate, fsConstants.X_OK);
          return candidate;
        }
      } catch {
        // not here, or not executable: keep looking
      }
    }
  }
  return undefined;
}

function execHelper(file: string, program: string, serverUrl: string, q: CredentialLookup): Promise<CredentialLookupResult> {
  return new Promise((resolve) => {
    const child = execFile(
      file,
      ['get'],
      { env: q.env, cwd: path.dirname(file), timeout: Math.max(1, q.timeoutMs), maxBuffer: 1 << 20, windowsHide: true },
      (error, stdout) => {
        if (error) {
          const detail = (error as { killed?: boolean }).killed ? `timed out after ${q.timeoutMs} ms` : (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found on PATH' : `exited with ${String(error.code ?? error.signal)}`;
          const notFound = /credentials not found/i.test(String(stdout));
          const problem = notFound ? `${program} has no credentials for ${q.registry}` : `${program} ${detail}`;
          q.log(notFound ? problem : `${problem}; continuing without its credentials`);
          resolve({ problem });
          return;
        }
        const source = `credential helper ${program}`;
        try {
          const out = JSON.parse(String(stdout)) as { Username?: string; Secret?: string };
          if (!out.Secret) return resolve({ problem: `${program} returned no secret for ${q.registry}` });
          if (out.Username === '<token>') return resolve({ credentials: { identityToken: out.Secret, source } });
          resolve({ credentials: { username: out.Username, password: out.Secret, source } });
        } catch {
          const problem = `${program} printed something other than JSON`;
          q.log(`${problem}; continuing without its credentials`);
          resolve({ problem });
        }
      },
    );
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(serverUrl);
  });
}
