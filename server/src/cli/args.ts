// Command-line parsing for `known-good`: turns argv into a command or a usage error.
import { parseArgs } from 'util';
import type { Severity } from '../core/types';

export const FORMATS = ['text', 'json', 'sarif'] as const;
export type Format = (typeof FORMATS)[number];
export const FAIL_ON = ['error', 'warning', 'info', 'none'] as const;
export type FailOn = (typeof FAIL_ON)[number];

export type Command =
  | { name: 'help' }
  | { name: 'version' }
  | { name: 'lsp'; transport: 'stdio' | 'node-ipc' }
  | { name: 'audit'; paths: string[]; format: Format; output?: string; failOn: FailOn; root?: string; noColor: boolean };

/** A mistake in the command line: reported on stderr with exit code 2. */
export class UsageError extends Error {}

export const USAGE = `Usage:
  known-good audit [paths...] [options]   Audit Dockerfiles, ECS task definitions, CloudFormation,
                                          Terraform and compose files under the paths (default: the root)
  known-good lsp --stdio | --node-ipc     Start the language server
  known-good --version                    Print the version
  known-good --help                       Print this help

Audit options:
  --format text|json|sarif                Output format (default: text)
  --output FILE                           Write the report to FILE instead of stdout
  --fail-on error|warning|info|none       Exit 1 when a finding is at or above this severity (default: warning)
  --root DIR                              Folder that paths in the report are relative to (default: current folder)
  --no-color                              Do not colour the text output (NO_COLOR is honoured too)

Exit codes: 0 nothing at or above the threshold, 1 findings at or above it, 2 usage or internal error.
`;

/** Parse `argv` (without `node` and the script). Throws UsageError on any mistake. */
export function parseCommand(argv: string[]): Command {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') return { name: 'help' };
  if (first === '--version' || first === '-v') return { name: 'version' };
  if (first === 'lsp') return parseLsp(rest);
  if (first === 'audit') return parseAudit(rest);
  throw new UsageError(first.startsWith('-') ? `unknown option ${first}` : `unknown command "${first}" (expected audit or lsp)`);
}

type Options = Record<string, { type: 'string' | 'boolean'; short?: string }>;
type Parsed = { values: Record<string, string | boolean | undefined>; positionals: string[] };

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
      help: { type: 'boolean', short: 'h' },
    },
    true,
  );
  if (values.help) return { name: 'help' };
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
  };
}

/** Whether a finding of `severity` reaches the `--fail-on` threshold. */
export function reaches(severity: Severity, failOn: FailOn): boolean {
  if (failOn === 'none') return false;
  const order: Severity[] = ['hint', 'info', 'warning', 'error'];
  return order.indexOf(severity) >= order.indexOf(failOn);
}
