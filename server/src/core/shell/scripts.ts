// Decides whether a command word names a script to analyse (`/entrypoint.sh`, `./start`), not a known program.
import { isKnownInstaller } from './installs';
import { SHELLS } from './wrappers';
import { basename, type Word } from './words';

/** Programs that are never the project's own scripts, even when written as a path. */
const PROGRAMS = new Set([
  'env', 'sudo', 'doas', 'exec', 'nohup', 'setsid', 'timeout', 'gosu', 'su-exec', 'su', 'runuser', 'tini', 'tini-static', 'dumb-init',
  'catatonit', 'docker-init', 'chpst', 's6-setuidgid', 'xargs', 'busybox', 'nice', 'ionice', 'stdbuf', 'chroot', 'flock',
  'curl', 'wget', 'git', 'aws', 'java', 'true', 'false', 'sleep', 'cat', 'echo', 'printf', 'ls', 'cp', 'mv', 'rm', 'mkdir', 'chmod',
  'chown', 'ln', 'test', 'tail', 'head', 'grep', 'sed', 'awk', 'find', 'tar', 'unzip', 'gunzip', 'install', 'id', 'whoami',
]);
const INTERPRETER = /^(python(\d+(\.\d+)?)?|pypy3?|perl|ruby|node|nodejs|php|deno|bun|java|dotnet|Rscript|lua)$/;
/** Extensions of programs that are not shell scripts (a `./manage.py` is run, but not analysed as shell). */
const OTHER_EXT = /\.(py|js|mjs|cjs|ts|rb|pl|php|jar|war|exe|dll|so|bin|lua|r|R|class|json|ya?ml|conf|txt)$/;

/**
 * Whether `w` names a script: a path ending in `.sh`/`.bash`, or any path (`/usr/lib/app/bin/run`,
 * `./start`) to a program that is not a known tool. `runByShell`: the word is what `sh x`, `. x`,
 * `source x` runs, so any static path counts.
 */
export function isScriptPath(w: Word, runByShell = false): boolean {
  const v = w.value;
  if (w.dynamic || v === '' || v.startsWith('-') || v.endsWith('/') || /\s/.test(v)) return false;
  const name = basename(v);
  if (/\.(sh|bash)$/.test(name)) return true;
  if (OTHER_EXT.test(name)) return false;
  if (runByShell) return true;
  if (!v.includes('/')) return false;
  return !(SHELLS.has(name) || PROGRAMS.has(name) || INTERPRETER.test(name) || isKnownInstaller(name));
}
