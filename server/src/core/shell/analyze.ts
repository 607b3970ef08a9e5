// Entry points of the shell analysis: runtime downloads in a start-time command, and the scripts it runs.
//
// Spans: a download's span starts at the effective program name (after `FOO=1` prefixes and wrappers
// such as sudo, exec, env, gosu, tini, timeout) and ends after its last argument or redirect. When a
// pipeline decides the fetch (`curl … | sh`, `curl … | tar x`, `curl … | gunzip > f`) the span is the
// whole pipeline; for `sh -c "$(curl …)"`-style execution it is the command the substitution feeds.
import type { ShellSource } from '../model';
import { bashParser } from '../treesitter';
import { classifyFetch } from './fetches';
import { classifyInstall } from './installs';
import { isScriptPath } from './scripts';
import type { Download, InvokedScript } from './types';
import { walkArgv, walkScript, type CommandVisit } from './walk';
import { valueSpan } from './words';

/** The downloads one command performs, if any. */
export function downloadsOf(v: CommandVisit): Download | undefined {
  const argv = v.resolved.argv;
  const install = classifyInstall(argv);
  if (install) return { kind: 'install', ...install, span: v.span, command: v.command, pipedToShell: false };
  const fetch = classifyFetch(argv, v.fate);
  if (!fetch) return undefined;
  const where = fetch.range ? v.spanOf(fetch.range) : v;
  return {
    kind: 'fetch',
    tool: fetch.tool,
    ecosystem: fetch.ecosystem,
    span: where.span,
    command: where.command,
    packages: fetch.packages,
    pipedToShell: fetch.pipedToShell,
  };
}

function collect(run: (visit: (v: CommandVisit) => void) => void): Download[] {
  bashParser(); // fail loudly when initParsers() has not run; anything else never throws
  const out: Download[] = [];
  const seen = new Set<string>();
  try {
    run((v) => {
      const d = downloadsOf(v);
      const key = d && `${d.kind}:${d.span.start}:${d.span.end}:${d.tool}`;
      if (d && key && !seen.has(key)) {
        seen.add(key);
        out.push(d);
      }
    });
  } catch {
    // Malformed input the parser accepted in an unexpected shape: keep what was found.
  }
  return out.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
}

/** Runtime downloads in a shell script, a shell-form command or an `sh -c` payload. */
export function analyzeScript(source: ShellSource): Download[] {
  return collect((visit) => walkScript(source, visit));
}

/** Runtime downloads of an exec-form command (`["pip","install","x"]`, `["sh","-c","…"]`). */
export function analyzeArgv(argv: ShellSource[]): Download[] {
  return collect((visit) => walkArgv(argv, visit));
}

/**
 * The scripts a start-time command runs, by their path as written (`/entrypoint.sh`, `./start.sh`,
 * `docker/entrypoint.sh`): an exec-form program that is a path, `sh /x.sh`, `. /x.sh`, `exec /x.sh`,
 * wrappers (tini, dumb-init, gosu) seen through, and every such command word of a shell-form script
 * or `sh -c` payload. Spans cover the path without quotes.
 */
export function invokedScripts(cmd: { argv?: ShellSource[]; script?: ShellSource }): InvokedScript[] {
  bashParser();
  const out: InvokedScript[] = [];
  const visit = (v: CommandVisit) => {
    const w = v.resolved.scriptArg ?? v.resolved.argv[0];
    if (!w || !isScriptPath(w, v.resolved.scriptArg === w)) return;
    const span = valueSpan(w);
    if (!out.some((s) => s.span.start === span.start && s.span.end === span.end)) out.push({ path: w.value, span });
  };
  try {
    if (cmd.argv) walkArgv(cmd.argv, visit);
    else if (cmd.script) walkScript(cmd.script, visit);
  } catch {
    // keep what was found
  }
  return out;
}
