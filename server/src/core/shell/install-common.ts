// What the package-manager recognisers share: their result type and subcommand parsing.
import { parseOptions, type OptionSpec, type Parsed } from './options';
import type { Ecosystem } from './types';
import type { Word } from './words';

/** A recognised install: the ecosystem, the packages named, and the tool when it differs from the program name. */
export interface InstallHit {
  ecosystem: Ecosystem;
  packages: string[];
  /** Overrides the tool name (`python3 -m pip` reports `pip`). */
  tool?: string;
}

/** A recogniser: given the program's basename and its arguments, an install or nothing. */
export type InstallRecogniser = (name: string, args: Word[]) => InstallHit | undefined;

export interface Subcommand {
  /** The first positional, or undefined when only options are given. */
  name?: string;
  /** Options before the subcommand. */
  global: Parsed;
  /** Options and positionals after the subcommand. */
  after: Parsed;
}

/** Split `args` into global options, a subcommand and what follows it. */
export function subcommand(args: readonly Word[], globalSpec: OptionSpec, afterSpec: OptionSpec = globalSpec): Subcommand {
  const global = parseOptions(args, { ...globalSpec, stopAtPositional: true });
  const [first, ...rest] = global.rest;
  const after = parseOptions(rest, { ...afterSpec, stopAtPositional: false });
  return { name: first?.value, global, after };
}

/** Both option lists, for checks that accept an option before or after the subcommand. */
export function anyOption(s: Subcommand, ...names: string[]): boolean {
  return [...s.global.options, ...s.after.options].some((o) => names.includes(o.name));
}

/** `--help`, `--version`, dry runs: nothing is installed. */
export function inert(s: Subcommand): boolean {
  return anyOption(s, '-h', '--help', '--version', '--dry-run');
}

/** Values of positionals, as written. */
export function names(ws: readonly Word[]): string[] {
  return ws.map((w) => w.value);
}
