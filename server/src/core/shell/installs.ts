// Decides whether a resolved command is a package manager installing, upgrading or updating.
import type { InstallRecogniser } from './install-common';
import { JS_INSTALLERS } from './install-js';
import { OTHER_INSTALLERS } from './install-other';
import { pythonRecogniser } from './install-python';
import { SYSTEM_INSTALLERS } from './install-system';
import type { Ecosystem } from './types';
import { basename, type Word } from './words';

export interface InstallMatch {
  tool: string;
  ecosystem: Ecosystem;
  packages: string[];
}

/** The install `argv` performs (program first, wrappers already removed), or undefined. */
export function classifyInstall(argv: readonly Word[]): InstallMatch | undefined {
  if (argv.length === 0 || argv[0].dynamic) return undefined;
  const name = basename(argv[0].value);
  const recognise = recogniser(name);
  const hit = recognise?.(name, argv.slice(1));
  if (!hit) return undefined;
  return { tool: hit.tool ?? name, ecosystem: hit.ecosystem, packages: hit.packages };
}

function recogniser(name: string): InstallRecogniser | undefined {
  for (const table of [SYSTEM_INSTALLERS, JS_INSTALLERS, OTHER_INSTALLERS]) if (Object.hasOwn(table, name)) return table[name];
  return pythonRecogniser(name);
}

/** Program basenames some recogniser knows (so a path like `/opt/venv/bin/pip` is not taken for a script). */
export function isKnownInstaller(name: string): boolean {
  return recogniser(name) !== undefined;
}
