// Visits every simple command a script or an exec-form argv runs, nested `sh -c`/`eval` payloads included.
import type { ShellSource } from '../model';
import { mapSpan } from '../model';
import { bashParser } from '../treesitter';
import type { Span } from '../types';
import { stdoutFate, type Fate } from './flow';
import { copyTree, type ShNode } from './node';
import { commandWords, ownRedirects } from './tree';
import { resolve, type Resolved } from './wrappers';
import { payloadSource, wordFromSource, wordSpan } from './words';

/** One simple command, wrappers removed. */
export interface CommandVisit {
  resolved: Resolved;
  /**
   * Document span of the command from its effective program name (after env prefixes and wrappers
   * such as `sudo`, `exec`, `gosu`) through its last argument or redirect.
   */
  span: Span;
  /** The script text of `span`, whitespace collapsed. */
  command: string;
  /** What happens to its standard output (exec form: always shown). */
  fate: () => Fate;
  /** Document span and text of a range of the command's source text (a pipeline around it). */
  spanOf: (range: [number, number]) => { span: Span; command: string };
}

export type Visitor = (v: CommandVisit) => void;

/** Payloads nest (`sh -c "bash -c '…'"`); past this depth they are not opened. */
const MAX_DEPTH = 8;

/** Collapse whitespace and line continuations. */
export function collapse(text: string): string {
  return text.replace(/\\\r?\n/g, ' ').replace(/\s+/g, ' ').trim();
}

/** Visit the commands of a shell script (shell form, `sh -c` payload, script file). */
export function walkScript(source: ShellSource, visit: Visitor, depth = 0): void {
  if (depth > MAX_DEPTH || source.text.trim() === '') return;
  const tree = bashParser().parse(source.text);
  if (!tree) return;
  let root: ShNode;
  try {
    root = copyTree(tree, source.text);
  } finally {
    tree.delete();
  }
  const skip = new Set<number>();
  const spanOf = (range: [number, number]) => ({ span: mapSpan(source, range[0], range[1]), command: collapse(source.text.slice(range[0], range[1])) });

  const onCommand = (cmd: ShNode): Array<[number, number]> => {
    const words = commandWords(cmd, source);
    const r = resolve(words);
    const payloads = r.nested.map((ws): [number, number] => [ws[0].start, ws[ws.length - 1].end]);
    for (const ws of r.nested) walkScript(payloadSource(ws), visit, depth + 1);
    const redirects = ownRedirects(cmd);
    // `sh <<EOF … EOF`: the heredoc is the script.
    for (const h of redirects) {
      const body = h.type === 'heredoc_redirect' ? h.namedChildren.find((c) => c?.type === 'heredoc_body') : undefined;
      if (!body || !r.shell || r.nested.length || r.scriptArg) continue;
      skip.add(body.id);
      walkScript(slice(source, body.startIndex, body.endIndex), visit, depth + 1);
    }
    const first = r.argv[0] ?? r.scriptArg;
    if (first) {
      let end = words.length ? words[words.length - 1].end : cmd.endIndex;
      for (const h of redirects) {
        const heredocStart = h.type === 'heredoc_redirect' ? h.namedChildren.find((c) => c?.type === 'heredoc_start') : undefined;
        end = Math.max(end, heredocStart ? heredocStart.endIndex : h.endIndex);
      }
      const range: [number, number] = [first.start, end];
      visit({ resolved: r, ...spanOf(range), fate: () => stdoutFate(cmd, source), spanOf });
    }
    return payloads;
  };

  const walk = (n: ShNode): void => {
    if (skip.has(n.id) || n.type === 'comment') return;
    const payloads = n.type === 'command' ? onCommand(n) : [];
    for (const c of n.namedChildren) {
      if (!c || payloads.some(([s, e]) => s <= c.startIndex && c.endIndex <= e)) continue;
      walk(c);
    }
  };
  walk(root);
}

/** Visit what an exec-form argv runs: the command itself, or the script of `sh -c`, `CMD-SHELL`. */
export function walkArgv(argv: ShellSource[], visit: Visitor, depth = 0): void {
  if (argv.length === 0) return;
  // ECS / compose health checks: ["CMD-SHELL", "script"], ["CMD", "prog", …]
  if (argv[0].text === 'CMD-SHELL') {
    for (const s of argv.slice(1)) walkScript(s, visit, depth + 1);
    return;
  }
  const words = (argv[0].text === 'CMD' ? argv.slice(1) : argv).map(wordFromSource);
  const r = resolve(words);
  for (const ws of r.nested) walkScript(payloadSource(ws), visit, depth + 1);
  const first = r.argv[0] ?? r.scriptArg;
  if (!first) return;
  const from = words.indexOf(first);
  // ECS runs entryPoint then command, which the document may hold in the other order: the span runs
  // from the program to the last word after it in the document, never backwards.
  const start = wordSpan(first).start;
  const span = { start, end: Math.max(start, ...words.slice(from).map(wordSpan).filter((s) => s.start >= start).map((s) => s.end)) };
  const command = words.slice(from).map((w) => w.value).join(' ');
  visit({ resolved: r, span, command, fate: () => ({ kind: 'shown' }), spanOf: () => ({ span, command }) });
}

function slice(source: ShellSource, s: number, e: number): ShellSource {
  const text = source.text.slice(s, e);
  if (source.coarse) return { text, map: [], coarse: { ...source.coarse } };
  return { text, map: source.map.slice(s, e + 1) };
}
