// Command-line parsing for `known-good`: turns argv into a command or a usage error.
import { parseArgs } from 'util';
import type { PinStyle } from '../core/fixes/pin';
import type { Severity } from '../core/types';

export const FORMATS = ['text', 'json', 'sarif', 'markdown'] as const;
export type Format = (typeof FORMATS)[number];
export const FAIL_ON = ['error', 'warning', 'info', 'none'] as const;
export type FailOn = (typeof FAIL_ON)[number];

export const PIN_STYLES: readonly PinStyle[] = ['tag-and-digest', 'digest-only'];

/** Flags of the commands that ask registries (`pin`, `audit --check-stale`). */
export interface NetworkFlags {
  /** `--no-network`: no registry request at all. */
  noNetwork: boolean;
  /** `--insecure-registry HOST` (repeatable): plain HTTP / unverified TLS allowed there. */
  insecureRegistries: string[];
  /** `--timeout SECONDS`: budget of each tag's resolution. */
  timeoutSeconds?: number;
  /** `--cache-dir DIR`: where `digests.json` is kept. */
  cacheDir?: string;
  /** `--no-cache`: neither read nor write the digest cache file. */
  noCache: boolean;
}

export type Command =
  | { name: 'help' }
  | { name: 'version' }
  | { name: 'lsp'; transport: 'stdio' | 'node-ipc' }
  | {
      name: 'audit';
      paths: string[];
      format: Format;
      output?: string;
      failOn: FailOn;
      root?: string;
      noColor: boolean;
      /** `--check-stale`: enable stale-digest and ask registries for the current digest of pinned tags. */
      checkStale: boolean;
      network: NetworkFlags;
      /** `--cache`: reuse the results of unchanged files from the last audit of this root. */
      cache: boolean;
      /** `--cache-location FILE` (implies `--cache`). */
      cacheLocation?: string;
      /** `--jobs N`: worker threads (1 = none). */
      jobs?: number;
      /** `--max-file-size KB`: larger files get a skipped-file finding. */
      maxFileSizeKb?: number;
    }
  | { name: 'pin'; paths: string[]; root?: string; dryRun: boolean; update: boolean; style: PinStyle; network: NetworkFlags };

/** A mistake in the command line: reported on stderr with exit code 2. */
export class UsageError extends Error {}

export const USAGE = `Usage:
  known-good audit [paths...] [options]   Audit Dockerfiles, ECS task definitions, CloudFormation,
                                          Terraform and compose files under the paths (default: the root)
  known-good pin [paths...] [options]     Pin image references to the digest their tag points at now
  known-good lsp --stdio | --node-ipc     Start the language server
  known-good --version                    Print the version
  known-good --help                       Print this help

Audit options:
  --format text|json|sarif|markdown       Output format (default: text; markdown: a report for a
                                          pull request or a ticket)
  --output FILE                           Write the report to FILE instead of stdout
  --fail-on error|warning|info|none       Exit 1 when a finding is at or above this severity (default: warning)
  --root DIR                              Folder that paths in the report are relative to (default: current folder)
  --no-color                              Do not colour the text output (NO_COLOR is honoured too)
  --check-stale                           Also report pinned tag@sha256: references whose tag has moved
                                          (asks the registries; takes the network options below)
  --cache                                 Reuse the results of files unchanged since the last audit of this
                                          root (kept in $XDG_CACHE_HOME/known-good or ~/.cache/known-good)
  --cache-location FILE                   Keep that cache in FILE (implies --cache; for CI caches)
  --jobs N                                Worker threads that read and analyse files (default: one per
                                          core, up to 8; 1 = none; small audits never start any)
  --max-file-size KB                      Larger files are reported as skipped, not analysed (default: 1024)

Pin options:
  --dry-run                               Print a unified diff of the edits; change nothing
  --update                                Also re-pin tag@sha256: references whose tag has moved
  --style tag-and-digest|digest-only      How ECS/CloudFormation/Terraform images are written
                                          (default: tag-and-digest; Dockerfiles and compose keep the tag)
  --root DIR                              Folder that paths are relative to (default: current folder)

Network options (pin, audit --check-stale):
  --timeout SECONDS                       Time budget of each tag's resolution (default: 8)
  --insecure-registry HOST                Allow plain HTTP for HOST[:PORT] (repeatable; loopback always is)
  --cache-dir DIR                         Keep resolved digests in DIR/digests.json
                                          (default: $XDG_CACHE_HOME/known-good or ~/.cache/known-good)
  --no-cache                              Do not read or write the digest cache file
  --no-network                            Make no request (pin and --check-stale then refuse to run)

Exit codes (audit): 0 nothing at or above the threshold, 1 findings at or above it, 2 usage or internal error.
Exit codes (pin): 0 every reference pinned or already pinned, 1 some reference failed (the other
edits are still written unless --dry-run), 2 usage or internal error.
`;

/** Parse `argv` (without `node` and the script). Throws UsageError on any mistake. */
export function parseCommand(argv: string[]): Command {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') return { name: 'help' };
  if (first === '--version' || first === '-v') return { name: 'version' };
  if (first === 'lsp') return parseLsp(rest);
  if (first === 'audit') return parseAudit(rest);
  if (first === 'pin') return parsePin(rest);
  throw new UsageError(first.startsWith('-') ? `unknown option ${first}` : `unknown command "${first}" (expected audit, pin or lsp)`);
}

type Options = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;
type Parsed = { values: Record<string, string | boolean | string[] | undefined>; positionals: string[] };

function parse(args: string[], options: Options, positionals: boolean): Parsed {
  try {
    return parseArgs({ args, options, allowPositionals: positionals, strict: true }) as Parsed;
  } catch (e) {
    // Node's messages are long and mention internals; keep the first sentence.
    const message = (e as Error).message.split(/\. (?=[A-Z])/)[0].replace(/^Unknown option '([^']+)'.*/, 'unknown option $1');
    throw new UsageError(message);
  }
}

function parseLsp(args: string[]): Command {
  const { values } = parse(args, { stdio: { type: 'boolean' }, 'node-ipc': { type: 'boolean' }, clientProcessId: { type: 'string' } }, false);
  if (values.stdio && values['node-ipc']) throw new UsageError('choose one of --stdio and --node-ipc');
  if (values.stdio) return { name: 'lsp', transport: 'stdio' };
  if (values['node-ipc']) return { name: 'lsp', transport: 'node-ipc' };
  throw new UsageError('lsp needs --stdio or --node-ipc');
}

function parseAudit(args: string[]): Command {
  const { values, positionals } = parse(
    args,
    {
      format: { type: 'string' },
      output: { type: 'string', short: 'o' },
      'fail-on': { type: 'string' },
      root: { type: 'string' },
      'no-color': { type: 'boolean' },
      'check-stale': { type: 'boolean' },
      cache: { type: 'boolean' },
      'cache-location': { type: 'string' },
      jobs: { type: 'string' },
      'max-file-size': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      ...NETWORK_OPTIONS,
    },
    true,
  );
  if (values.help) return { name: 'help' };
  const cacheLocation = values['cache-location'] as string | undefined;
  if (cacheLocation === '') throw new UsageError('--cache-location needs a file name');
  const jobs = integerFlag(values, 'jobs', 1, 64);
  const maxFileSizeKb = integerFlag(values, 'max-file-size', 1, 100 * 1024);
  const checkStale = Boolean(values['check-stale']);
  const network = networkFlags(values);
  if (checkStale && network.noNetwork) throw new UsageError('--check-stale asks the registries for current digests; it cannot run with --no-network');
  if (!checkStale) {
    const stray = ['timeout', 'insecure-registry', 'cache-dir', 'no-cache'].find((f) => values[f] !== undefined);
    if (stray) throw new UsageError(`--${stray} only applies to pin and audit --check-stale`);
  }
  const format = (values.format as string | undefined) ?? 'text';
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`unknown format "${format}" (expected ${FORMATS.join(', ')})`);
  const failOn = (values['fail-on'] as string | undefined) ?? 'warning';
  if (!(FAIL_ON as readonly string[]).includes(failOn)) throw new UsageError(`unknown --fail-on level "${failOn}" (expected ${FAIL_ON.join(', ')})`);
  const output = values.output as string | undefined;
  if (output === '') throw new UsageError('--output needs a file name');
  return {
    name: 'audit',
    paths: positionals,
    format: format as Format,
    output,
    failOn: failOn as FailOn,
    root: values.root as string | undefined,
    noColor: Boolean(values['no-color']),
    checkStale,
    network,
    cache: Boolean(values.cache) || cacheLocation !== undefined,
    cacheLocation,
    jobs,
    maxFileSizeKb,
  };
}

/** An integer flag between `min` and `max`, or undefined when absent. */
function integerFlag(values: Parsed['values'], name: string, min: number, max: number): number | undefined {
  const raw = values[name] as string | undefined;
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max) throw new UsageError(`--${name} takes a whole number from ${min} to ${max}, not "${raw}"`);
  return n;
}

const NETWORK_OPTIONS: Options = {
  'no-network': { type: 'boolean' },
  'insecure-registry': { type: 'string', multiple: true },
  timeout: { type: 'string' },
  'cache-dir': { type: 'string' },
  'no-cache': { type: 'boolean' },
};

function networkFlags(values: Parsed['values']): NetworkFlags {
  const insecure = (values['insecure-registry'] as string[] | undefined) ?? [];
  for (const host of insecure) {
    if (!/^[A-Za-z0-9.-]+(:\d+)?$|^\[[0-9A-Fa-f:.]+\](:\d+)?$/.test(host)) throw new UsageError(`--insecure-registry takes HOST or HOST:PORT, not "${host}"`);
  }
  let timeoutSeconds: number | undefined;
  if (values.timeout !== undefined) {
    timeoutSeconds = Number(values.timeout);
    if (!/^\d+(\.\d+)?$/.test(values.timeout as string) || !(timeoutSeconds > 0) || timeoutSeconds > 600) {
      throw new UsageError(`--timeout takes a number of seconds between 0 and 600, not "${values.timeout as string}"`);
    }
  }
  const cacheDir = values['cache-dir'] as string | undefined;
  if (cacheDir === '') throw new UsageError('--cache-dir needs a folder');
  if (cacheDir !== undefined && values['no-cache']) throw new UsageError('choose one of --cache-dir and --no-cache');
  return { noNetwork: Boolean(values['no-network']), insecureRegistries: insecure, timeoutSeconds, cacheDir, noCache: Boolean(values['no-cache']) };
}

function parsePin(args: string[]): Command {
  const { values, positionals } = parse(
    args,
    {
      'dry-run': { type: 'boolean' },
      update: { type: 'boolean' },
      style: { type: 'string' },
      root: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      ...NETWORK_OPTIONS,
    },
    true,
  );
  if (values.help) return { name: 'help' };
  const style = (values.style as string | undefined) ?? 'tag-and-digest';
  if (!(PIN_STYLES as readonly string[]).includes(style)) throw new UsageError(`unknown --style "${style}" (expected ${PIN_STYLES.join(', ')})`);
  return {
    name: 'pin',
    paths: positionals,
    root: values.root as string | undefined,
    dryRun: Boolean(values['dry-run']),
    update: Boolean(values.update),
    style: style as PinStyle,
    network: networkFlags(values),
  };
}

/** Whether a finding of `severity` reaches the `--fail-on` threshold. */
export function reaches(severity: Severity, failOn: FailOn): boolean {
  if (failOn === 'none') return false;
  const order: Severity[] = ['hint', 'info', 'warning', 'error'];
  return order.indexOf(severity) >= order.indexOf(failOn);
}
