// Follows a command's standard output: shown or discarded, stored in a file, extracted, or executed.
import type { ShellSource } from '../model';
import type { BashNode } from './node';
import { commandWords, contains, elements, redirectTarget, stdoutRedirect } from './tree';
import { resolve, SHELLS, type Resolved } from './wrappers';
import { basename, type Word } from './words';

/**
 * What happens to a command's standard output. `range` (in the source text) is the larger piece of
 * script that decides it — the pipeline, or the command a substitution feeds — when that is not the
 * command itself.
 */
export type Fate =
  | { kind: 'shown' }
  | { kind: 'stored'; range?: [number, number] }
  | { kind: 'extracted'; range: [number, number] }
  | { kind: 'executed'; range: [number, number] };

const SHOWN: Fate = { kind: 'shown' };
const INTERPRETERS = /^(python(\d+(\.\d+)?)?|pypy3?|perl|ruby|node|nodejs|php|deno|bun)$/;
const ARCHIVERS = new Set(['tar', 'bsdtar', 'unzip', 'cpio', 'bsdcpio', '7z', '7za', 'jar']);
const DECOMPRESSORS = new Set(['gunzip', 'gzip', 'zcat', 'xz', 'unxz', 'xzcat', 'bunzip2', 'bzip2', 'bzcat', 'zstd', 'unzstd', 'zstdcat', 'base64']);
const PASS_THROUGH = new Set(['cat', 'pv', 'dd', 'buffer']);

/** The fate of the standard output of simple command `cmd`. */
export function stdoutFate(cmd: BashNode, source: ShellSource, depth = 0): Fate {
  let cur = cmd;
  for (let p = cmd.parent; p; cur = p, p = p.parent) {
    switch (p.type) {
      case 'redirected_statement': {
        const t = redirectTarget(p);
        if (!t || !contains(t, cmd) || p.childForFieldName('body')?.id !== cur.id) break;
        for (const r of p.childrenForFieldName('redirect')) {
          const where = r && stdoutRedirect(r, source);
          if (where === 'file') return { kind: 'stored' };
          if (where === 'discarded') return SHOWN;
        }
        break;
      }
      case 'pipeline': {
        const els = elements(p);
        const i = els.findIndex((e) => e.id === cur.id);
        if (i >= 0 && i < els.length - 1) return consumed(els[i + 1], p, source, depth);
        break;
      }
      case 'command_substitution':
      case 'process_substitution':
        return captured(p, source);
    }
  }
  return SHOWN;
}

/** Standard output piped into `next`, an element of `pipeline`. */
function consumed(next: BashNode, pipeline: BashNode, source: ShellSource, depth: number): Fate {
  const range = extent(pipeline);
  const cmd = firstCommand(next);
  if (!cmd) return SHOWN;
  const r = resolve(commandWords(cmd, source));
  if (r.shell) return r.nested.length === 0 && !r.scriptArg ? { kind: 'executed', range } : SHOWN;
  if (r.scriptArg) return r.scriptArg.value === '/dev/stdin' ? { kind: 'executed', range } : SHOWN;
  const prog = r.argv[0];
  if (!prog || prog.dynamic) return SHOWN;
  const name = basename(prog.value);
  const args = r.argv.slice(1);
  if (INTERPRETERS.test(name)) return readsStdin(args) ? { kind: 'executed', range } : SHOWN;
  if (ARCHIVERS.has(name) || name === 'gunzip') return { kind: 'extracted', range };
  const files =
    name === 'tee' ? args.filter((a) => !a.value.startsWith('-')) : name === 'dd' ? args.filter((a) => a.value.startsWith('of=')) : [];
  if (files.some((a) => !/^(of=)?\/dev\//.test(a.value))) return { kind: 'stored', range };
  if (depth > 8 || !(DECOMPRESSORS.has(name) || PASS_THROUGH.has(name) || name === 'tee')) return SHOWN;
  // Passes the data on: what happens next decides; a decompressor whose output is shown still unpacked a download.
  const after = stdoutFate(cmd, source, depth + 1);
  if (after.kind === 'shown') return DECOMPRESSORS.has(name) ? { kind: 'extracted', range } : SHOWN;
  return { ...after, range: widest(range, after.range) };
}

/** Output captured by `$(…)`, `` `…` `` or `<(…)`: executed when it becomes a command, a shell's script or an interpreter's program. */
function captured(sub: BashNode, source: ShellSource): Fate {
  let n = sub.parent;
  while (n && n.type !== 'command') {
    if (['variable_assignment', 'declaration_command', 'test_command', 'file_redirect', 'heredoc_body', 'program'].includes(n.type)) return SHOWN;
    n = n.parent;
  }
  if (!n) return SHOWN;
  const range: [number, number] = [n.startIndex, n.endIndex];
  const name = n.childForFieldName('name');
  if (name && contains(name, sub)) return { kind: 'executed', range };
  const r: Resolved = resolve(commandWords(n, source));
  const holds = (w: Word | undefined) => !!w && w.start <= sub.startIndex && sub.endIndex <= w.end;
  if (r.nested.some((ws) => ws.some(holds)) || holds(r.scriptArg)) return { kind: 'executed', range };
  const prog = r.argv[0];
  if (prog && !prog.dynamic && INTERPRETERS.test(basename(prog.value)) && r.argv.slice(1).some(holds)) return { kind: 'executed', range };
  return SHOWN;
}

/** An interpreter with no program file reads its program from standard input (`python3`, `python3 -`, `node`). */
function readsStdin(args: Word[]): boolean {
  for (const a of args) {
    if (a.value === '-') return true;
    if (/^-(c|e|m|E|r|p)$/.test(a.value) || !a.value.startsWith('-')) return false;
  }
  return true;
}

/** The first simple command of a pipeline element (`sudo sh`, `(cd /opt && tar xz)` → `tar`). */
function firstCommand(n: BashNode): BashNode | undefined {
  if (n.type === 'command') return n;
  if (n.type === 'redirected_statement') {
    const b = n.childForFieldName('body');
    return b ? firstCommand(b) : undefined;
  }
  const cmds = n.descendantsOfType('command').filter((c): c is BashNode => !!c);
  const named = (c: BashNode) => basename(c.childForFieldName('name')?.text ?? '');
  return cmds.find((c) => !['cd', 'set', 'mkdir', 'export', 'umask'].includes(named(c))) ?? cmds[0];
}

/** A node's range, with the redirects bash attaches to it (`a | b > f`). */
function extent(n: BashNode): [number, number] {
  const p = n.parent;
  const end = p?.type === 'redirected_statement' && p.childForFieldName('body')?.id === n.id ? p.endIndex : n.endIndex;
  return [n.startIndex, end];
}

function widest(a: [number, number], b?: [number, number]): [number, number] {
  return b ? [Math.min(a[0], b[0]), Math.max(a[1], b[1])] : a;
}

export { SHELLS };
