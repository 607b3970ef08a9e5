// A small getopt: splits a command's arguments into options (with their values) and positionals.
import type { Word } from './words';

/** Which options of a program take a value. */
export interface OptionSpec {
  /** Short option letters that take a value: `o` covers `-o file`, `-ofile` and `-sSo file`. */
  short?: string;
  /** Long options that take a value when written apart (`--output file`); `--output=file` always works. */
  long?: readonly string[];
  /** Stop at the first positional (global options before a subcommand). */
  stopAtPositional?: boolean;
  /** Options with one dash and a long name (`-ldflags x`, Go style) are not split into letters. */
  singleDashLong?: boolean;
}

export interface ParsedOption {
  /** `-o` or `--output`. */
  name: string;
  value?: string;
  /** The word that holds the value, when it is a separate word. */
  valueWord?: Word;
}

export interface Parsed {
  options: ParsedOption[];
  positionals: Word[];
  /** Words from the first positional on, when `stopAtPositional`. */
  rest: Word[];
}

/** Parse `args` (the words after the program name). Dynamic words count as positionals. */
export function parseOptions(args: readonly Word[], spec: OptionSpec = {}): Parsed {
  const short = spec.short ?? '';
  const long = spec.long ?? [];
  const options: ParsedOption[] = [];
  const positionals: Word[] = [];
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    const v = w.value;
    const isOption = v.length > 1 && v.startsWith('-');
    if (!isOption) {
      if (spec.stopAtPositional) return { options, positionals, rest: args.slice(i) };
      positionals.push(w);
      continue;
    }
    if (v === '--') {
      if (spec.stopAtPositional) return { options, positionals, rest: args.slice(i + 1) };
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (v.startsWith('--') || spec.singleDashLong) {
      const eq = v.indexOf('=');
      if (eq > 0) {
        options.push({ name: v.slice(0, eq), value: v.slice(eq + 1) });
      } else if (long.includes(v) && i + 1 < args.length) {
        options.push({ name: v, value: args[i + 1].value, valueWord: args[i + 1] });
        i++;
      } else options.push({ name: v });
      continue;
    }
    // A cluster of short options: `-sSLo file`, `-qO-`.
    for (let k = 1; k < v.length; k++) {
      const letter = v[k];
      if (short.includes(letter)) {
        const attached = v.slice(k + 1);
        if (attached) options.push({ name: `-${letter}`, value: attached });
        else if (i + 1 < args.length) {
          options.push({ name: `-${letter}`, value: args[i + 1].value, valueWord: args[i + 1] });
          i++;
        } else options.push({ name: `-${letter}` });
        break;
      }
      options.push({ name: `-${letter}` });
    }
  }
  return { options, positionals, rest: [] };
}

/** Whether any of `names` was given. */
export function has(p: Parsed, ...names: string[]): boolean {
  return p.options.some((o) => names.includes(o.name));
}

/** Values of the options named `names`, in order. */
export function values(p: Parsed, ...names: string[]): string[] {
  return p.options.filter((o) => names.includes(o.name) && o.value !== undefined).map((o) => o.value as string);
}
