// The registry side of the CLI: where the digest cache lives and the PinService the flags describe.
import { createHash } from 'crypto';
import * as os from 'os';
import * as path from 'path';
import type { PinStyle } from '../core/fixes/pin';
import { PinService } from '../pin/service';
import type { NetworkFlags } from './args';

/** Default time budget of one tag's resolution, in seconds (the registry client's default). */
export const DEFAULT_TIMEOUT_SECONDS = 8;

/**
 * The digest cache file: `--cache-dir DIR` → `DIR/digests.json`; else
 * `$XDG_CACHE_HOME/known-good/digests.json` (when absolute, as the XDG spec asks); else
 * `~/.cache/known-good/digests.json`. Undefined with `--no-cache`.
 */
export function cacheFile(flags: NetworkFlags, env: NodeJS.ProcessEnv, cwd: string): string | undefined {
  if (flags.noCache) return undefined;
  if (flags.cacheDir !== undefined) return path.join(path.resolve(cwd, flags.cacheDir), 'digests.json');
  return path.join(cacheBase(env), 'digests.json');
}

/** `$XDG_CACHE_HOME/known-good` (when absolute, as the XDG spec asks), else `~/.cache/known-good`. */
function cacheBase(env: NodeJS.ProcessEnv): string {
  const xdg = env.XDG_CACHE_HOME;
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(env.HOME || os.homedir(), '.cache'), 'known-good');
}

/** The audit cache of `root` (`--cache`): `FILE` of `--cache-location`, else one file per root in the cache folder. */
export function auditCacheFile(root: string, location: string | undefined, env: NodeJS.ProcessEnv, cwd: string): string {
  if (location !== undefined) return path.resolve(cwd, location);
  const id = createHash('sha256').update(path.resolve(root)).digest('hex').slice(0, 16);
  return path.join(cacheBase(env), `audit-${id}.json`);
}

/**
 * A PinService for the command line. The CLI runs as the user, so Docker credential helpers are
 * allowed as `docker pull` would use them. `persist: false` asks every tag afresh (used by
 * `--update` and `--check-stale`, which exist to notice tags that moved).
 */
export function cliPinService(flags: NetworkFlags, io: { env: NodeJS.ProcessEnv; cwd: string }, opts: { style?: PinStyle; persist: boolean }): PinService {
  return new PinService({
    network: !flags.noNetwork,
    allowCredentialHelpers: true,
    insecureRegistries: flags.insecureRegistries,
    style: opts.style,
    cacheFile: opts.persist ? cacheFile(flags, io.env, io.cwd) : undefined,
    timeoutMs: Math.round((flags.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000),
    env: io.env,
  });
}

/** `N word(s)`. */
export function plural(n: number, word: string, words = `${word}s`): string {
  return `${n} ${n === 1 ? word : words}`;
}
