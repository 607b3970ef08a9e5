// `known-good` command line: `audit` a workspace (text, JSON or SARIF) or start the language server.
import { promises as fs } from 'fs';
import * as path from 'path';
import { auditWorkspace } from '../audit';
import { parseCommand, reaches, UsageError, USAGE, type Command, type Format } from './args';
import { formatJson } from './format/json';
import { formatSarif } from './format/sarif';
import { formatText } from './format/text';
import type { Formatter } from './format/types';
import { toolVersion } from './version';

const FORMATTERS: Record<Format, Formatter> = { text: formatText, json: formatJson, sarif: formatSarif };

/** Where the CLI writes; tests replace these. */
export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** Run the CLI and resolve to its exit code (0 clean, 1 findings at the threshold, 2 usage/internal error). */
export async function run(argv: string[], io: Io): Promise<number> {
  let command: Command;
  try {
    command = parseCommand(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr.write(`known-good: ${e.message}\nRun "known-good --help" for usage.\n`);
    return 2;
  }
  switch (command.name) {
    case 'help':
      io.stdout.write(USAGE);
      return 0;
    case 'version':
      io.stdout.write(`${toolVersion()}\n`);
      return 0;
    case 'lsp': {
      // Loaded only here, so an audit never loads vscode-languageserver.
      const { startLanguageServer } = await import('../lsp/server');
      startLanguageServer(command.transport === 'node-ipc' ? 'ipc' : 'stdio');
      return -1;
    }
    case 'audit':
      return audit(command, io);
  }
}

async function audit(command: Extract<Command, { name: 'audit' }>, io: Io): Promise<number> {
  const fail = (message: string) => {
    io.stderr.write(`known-good: ${message}\n`);
    return 2;
  };
  const root = path.resolve(io.cwd, command.root ?? '.');
  const rootStat = await fs.stat(root).catch(() => undefined);
  if (!rootStat?.isDirectory()) return fail(`root ${command.root ?? root} is not a folder`);
  const paths: string[] = [];
  for (const p of command.paths) {
    const abs = path.resolve(io.cwd, p);
    if (!(await fs.stat(abs).catch(() => undefined))) return fail(`no such file or folder: ${p}`);
    const rel = path.relative(root, abs);
    if (rel.startsWith('..') || path.isAbsolute(rel)) return fail(`${p} is outside the root ${root} (use --root)`);
    paths.push(abs);
  }
  const result = await auditWorkspace(root, paths.length ? paths : undefined);
  const toFile = command.output !== undefined;
  const color = command.format === 'text' && !toFile && !command.noColor && !io.env.NO_COLOR && Boolean(io.stdout.isTTY);
  const text = FORMATTERS[command.format](result, { version: toolVersion(), color });
  if (toFile) {
    try {
      await fs.writeFile(path.resolve(io.cwd, command.output!), text);
    } catch (e) {
      return fail(`cannot write ${command.output}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  } else {
    io.stdout.write(text);
  }
  for (const e of result.errors) if (command.format !== 'text' || toFile) io.stderr.write(`known-good: could not read ${e.file}: ${e.message}\n`);
  return result.findings.some((f) => reaches(f.severity, command.failOn)) ? 1 : 0;
}

if (require.main === module) {
  run(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() }).then(
    (code) => {
      if (code >= 0) process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`known-good: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 2;
    },
  );
}
