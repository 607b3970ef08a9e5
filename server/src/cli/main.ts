// `known-good` command line: `audit` a workspace (text, JSON, SARIF or Markdown), `pin` image references to
// digests, or start the language server.
import { promises as fs } from 'fs';
import * as path from 'path';
import { auditWorkspace, type AuditResult } from '../audit';
import { parseCommand, reaches, UsageError, USAGE, type Command, type Format } from './args';
import { formatJson } from './format/json';
import { formatMarkdown } from './format/markdown';
import { formatSarif } from './format/sarif';
import { formatText } from './format/text';
import type { Formatter } from './format/types';
import { auditCacheFile } from './network';
import { pin } from './pin';
import { staleCheck } from './stale';
import { resolveTargets } from './targets';
import { toolVersion } from './version';

const FORMATTERS: Record<Format, Formatter> = { text: formatText, json: formatJson, sarif: formatSarif, markdown: formatMarkdown };

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
    case 'pin':
      return pin(command, io);
  }
}

async function audit(command: Extract<Command, { name: 'audit' }>, io: Io): Promise<number> {
  const fail = (message: string) => {
    io.stderr.write(`known-good: ${message}\n`);
    return 2;
  };
  const targets = await resolveTargets(io.cwd, command.root, command.paths);
  if ('error' in targets) return fail(targets.error);
  const { root, paths } = targets;
  const stale = command.checkStale ? await staleCheck(root, command.network, io) : undefined;
  let result: AuditResult;
  try {
    result = await auditWorkspace(root, paths.length ? paths : undefined, {
      ...stale?.options,
      // --jobs counts the threads that analyse: 1 is this one alone.
      workers: command.jobs === undefined ? undefined : command.jobs === 1 ? 0 : command.jobs,
      blocking: true,
      maxFileSize: command.maxFileSizeKb !== undefined ? command.maxFileSizeKb * 1024 : undefined,
      cache: command.cache ? auditCacheFile(root, command.cacheLocation, io.env, io.cwd) : undefined,
    });
  } finally {
    await stale?.finish();
  }
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
  for (const w of result.warnings ?? []) io.stderr.write(`known-good: ${w}\n`);
  if (command.cache && result.stats) io.stderr.write(`known-good: ${result.stats.cached} of ${result.stats.cached + result.stats.analysed} files unchanged since the cached audit\n`);
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
