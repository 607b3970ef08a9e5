// Whether the Debian tools the registry tests drive are installed; skip (or fail when required) without them.
import { existsSync } from 'node:fs';
import path from 'node:path';

const TOOLS = ['docker-registry', 'skopeo', 'htpasswd', 'openssl'];

/** Tools missing from PATH. */
export function missingTools(): string[] {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  return TOOLS.filter((t) => !dirs.some((d) => existsSync(path.join(d, t))));
}

/**
 * `false` when every tool is there, else a skip reason. With `KG_REGISTRY_TESTS=required` (set in CI)
 * a missing tool fails the test file instead of skipping it.
 */
export function skipUnlessTools(): string | false {
  const missing = missingTools();
  if (missing.length === 0) return false;
  const why = `registry tests need ${missing.join(', ')}: apt-get install -y docker-registry skopeo apache2-utils openssl`;
  if (process.env.KG_REGISTRY_TESTS === 'required') throw new Error(why);
  return why;
}
