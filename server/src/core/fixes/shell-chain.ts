// Reads a start command or script as chains of statements (`a && b; c`), nested through `sh -c`, to
// find the statement a download is and what surrounds it.
import { mapSpan, type ShellSource } from '../model';
import { commandWords, ownRedirects } from '../shell/tree';
import type { Download } from '../shell/types';
import { resolve, type Resolved } from '../shell/wrappers';
import { basename, payloadSource, wordFromNode, wordFromSource, wordSpan, type Word } from '../shell/words';
import { bashParser, type SyntaxNode } from '../treesitter';
import type { Span } from '../types';
import { notFixable } from './types';

/** One simple command of an element. */
export interface ChainCommand {
  start: number;
  end: number;
  words: Word[];
  resolved: Resolved;
  /** `FOO=1` prefixes, as written. */
  assignments: { text: string; dynamic: boolean }[];
  /** Where `> file` / `>> file` sends standard output. */
  stdout?: Word;
}

/** A statement of a chain: a command, a pipeline, an `a || b` fallback, or something compound. */
export interface Element {
  kind: 'command' | 'pipeline' | 'or-list' | 'other';
  /** Range in the level's source text. */
  start: number;
  end: number;
  commands: ChainCommand[];
}

/** Statements joined by `&&`, `;` or line ends, in one script text. */
export interface Level {
  source: ShellSource;
  elements: Element[];
  /** `seps[i]`: the text between element i and i+1. */
  seps: string[];
  /** The `sh -c` element of the enclosing level whose payload this is. */
  parent?: { level: Level; index: number };
  /** An exec-form argv whose `sh -c` payload this is: argv index of the shell and of the payload. */
  exec?: { argv: ShellSource[]; shell: number; payload: number; simpleShell: boolean };
  /** Payload levels already parsed, by element index (so every download of a group shares them). */
  nested?: Map<number, Level>;
}

/** Where a download is: its level and element. */
export interface Located {
  download: Download;
  level: Level;
  index: number;
  /** The download's own command (of a pipeline, the first). */
  command: ChainCommand;
}

const SEPARATOR = /^(\s|\\\r?\n|&&|;|#[^\n]*)*$/;

/** Parse one script text into its top-level chain. */
export function parseLevel(source: ShellSource): Level {
  const tree = bashParser().parse(source.text);
  if (!tree) notFixable('the command could not be parsed');
  try {
    const elements: Element[] = [];
    flatten(tree.rootNode, source, elements);
    const seps = elements.slice(1).map((e, i) => source.text.slice(elements[i].end, e.start));
    if (seps.some((s) => !SEPARATOR.test(s))) notFixable('the command joins its steps with operators other than `&&`, `;` and line ends');
    return { source, elements, seps };
  } finally {
    tree.delete();
  }
}

function flatten(n: SyntaxNode, source: ShellSource, out: Element[], endOverride?: number): void {
  if (n.type === 'program') {
    for (const c of n.namedChildren) if (c && c.type !== 'comment') flatten(c, source, out);
    return;
  }
  if (n.type === 'list') {
    const op = n.children.find((c) => c && !c.isNamed)?.type;
    const [left, right] = n.namedChildren.filter((c): c is SyntaxNode => !!c && c.type !== 'comment');
    if (op === '&&' && left && right) {
      flatten(left, source, out);
      flatten(right, source, out, endOverride);
      return;
    }
  }
  if (n.type === 'redirected_statement') {
    const body = n.childForFieldName('body');
    if (body && body.type === 'list') return flatten(body, source, out, n.endIndex);
  }
  out.push(element(n, source, endOverride));
}

function element(n: SyntaxNode, source: ShellSource, endOverride?: number): Element {
  const end = endOverride ?? n.endIndex;
  const commandsOf = (x: SyntaxNode): ChainCommand[] => {
    const list = x.type === 'command' ? [x] : x.descendantsOfType('command').filter((c): c is SyntaxNode => !!c);
    return list.map((c) => chainCommand(c, source));
  };
  let kind: Element['kind'] = 'other';
  const body = n.type === 'redirected_statement' ? n.childForFieldName('body') : n;
  if (body?.type === 'command') kind = 'command';
  else if (body?.type === 'pipeline') kind = 'pipeline';
  else if (body?.type === 'list' && body.children.some((c) => c?.type === '||')) kind = 'or-list';
  const commands = commandsOf(n);
  return { kind, start: n.startIndex, end, commands };
}

function chainCommand(c: SyntaxNode, source: ShellSource): ChainCommand {
  const words = commandWords(c, source);
  const assignments = c.namedChildren
    .filter((x): x is SyntaxNode => !!x && x.type === 'variable_assignment')
    .map((x) => ({ text: x.text, dynamic: /[$`]/.test(x.text) }));
  const out: ChainCommand = { start: c.startIndex, end: c.endIndex, words, resolved: resolve(words), assignments };
  for (const r of ownRedirects(c)) {
    const op = r.children.find((x) => x && !x.isNamed)?.type ?? '';
    const dest = r.childForFieldName('destination');
    if (r.type === 'file_redirect' && !r.childForFieldName('descriptor') && ['>', '>>', '>|'].includes(op) && dest) out.stdout = wordFromNode(dest, source);
  }
  return out;
}

/** The document span of element `i` of `level`. */
export function elementSpan(level: Level, i: number): Span {
  const e = level.elements[i];
  return mapSpan(level.source, e.start, e.end);
}

const within = (inner: Span, outer: Span) => outer.start <= inner.start && inner.end <= outer.end;
const TRIVIAL = new Set(['true', ':', 'exit', 'echo', 'printf', 'return']);

/** Find `d` in `level`, descending into single-word `sh -c` payloads. Throws NotFixable with the reason. */
export function locateIn(level: Level, d: Download): Located {
  for (let i = 0; i < level.elements.length; i++) {
    const el = level.elements[i];
    if (!within(d.span, elementSpan(level, i))) continue;
    for (const c of el.commands) {
      const nested = c.resolved.nested;
      if (nested.length !== 1 || nested[0].length !== 1) continue;
      const word = nested[0][0];
      if (!within(d.span, wordSpan(word)) || word.dynamic) continue;
      level.nested ??= new Map();
      let inner = level.nested.get(i);
      if (!inner) {
        inner = parseLevel(payloadSource([word]));
        inner.parent = { level, index: i };
        level.nested.set(i, inner);
      }
      return locateIn(inner, d);
    }
    const command = el.commands.find((c) => within(mapSpan(level.source, c.start, c.end), d.span) || within(d.span, mapSpan(level.source, c.start, c.end)));
    if (!command) notFixable('the download is inside a compound command');
    if (el.kind === 'other') notFixable('the download is inside a compound command (`if`, a loop, a subshell or a function), so it may not run every time');
    if (el.kind === 'or-list') {
      const rest = el.commands.filter((c) => c !== command);
      if (el.commands[0] !== command || rest.some((c) => !TRIVIAL.has(basename(c.resolved.argv[0]?.value ?? ''))))
        notFixable('the download is part of an `||` fallback whose other branch does more than report the failure');
    }
    if (el.kind === 'pipeline' && el.commands[0] !== command) notFixable('the download reads from a pipeline');
    return { download: d, level, index: i, command };
  }
  notFixable('the download could not be located in the command');
}

/** Locate `d` in a start command (exec form or shell form) or a script. */
export function locate(site: { argv?: ShellSource[]; script?: ShellSource }, d: Download): Located {
  if (site.script) return locateIn(parseLevel(site.script), d);
  const argv = site.argv ?? [];
  const words = argv.map(wordFromSource);
  const r = resolve(words);
  const payload = r.nested.length === 1 && r.nested[0].length === 1 ? r.nested[0][0] : undefined;
  if (!payload || !within(d.span, wordSpan(payload))) notFixable('the download is the whole start command: nothing would be left to start');
  const level = parseLevel(payloadSource([payload]));
  const shell = words.indexOf(r.shell ?? r.argv[0]);
  const payloadIndex = words.indexOf(payload);
  const opts = words.slice(shell + 1, payloadIndex).map((w) => w.value);
  level.exec = { argv, shell, payload: payloadIndex, simpleShell: opts.length === 1 && opts[0] === '-c' && payloadIndex === argv.length - 1 };
  return locateIn(level, d);
}

/**
 * The directory a download runs in: `cd` steps before it in its chain and in the enclosing chains,
 * applied to `start`. Undefined when one is dynamic or goes home (`cd` alone).
 */
export function cwdOf(loc: { level: Level; index: number }, start: string | undefined): string | undefined {
  const steps: string[] = [];
  let level: Level | undefined = loc.level;
  let index = loc.index;
  while (level) {
    const cds: string[] = [];
    for (const el of level.elements.slice(0, index)) {
      for (const c of el.commands) {
        if (basename(c.resolved.argv[0]?.value ?? '') !== 'cd') continue;
        const arg = c.resolved.argv.slice(1).find((w) => !w.value.startsWith('-'));
        if (!arg || arg.dynamic || arg.value.startsWith('~')) return undefined;
        cds.push(arg.value);
      }
    }
    steps.unshift(...cds);
    index = level.parent?.index ?? 0;
    level = level.parent?.level;
  }
  let dir = start;
  for (const s of steps) dir = dir === undefined ? undefined : joinPath(dir, s);
  return dir;
}

function joinPath(dir: string, p: string): string {
  const parts = (p.startsWith('/') ? p : `${dir}/${p}`).split('/');
  const out: string[] = [];
  for (const x of parts) {
    if (x === '' || x === '.') continue;
    if (x === '..') out.pop();
    else out.push(x);
  }
  return `/${out.join('/')}`;
}

/** The text of element `i`, with line continuations joined (for repeating it in a `RUN`). */
export function elementText(level: Level, i: number): string {
  const e = level.elements[i];
  return level.source.text.slice(e.start, e.end).replace(/\\\r?\n[ \t]*/g, ' ');
}
