// Removes statements from a start command or script, keeping everything else as written; an exec-form
// `["sh","-c","…"]` left with one plain command becomes that command's argv.
import { mapSpan } from '../model';
import { bashParser, type SyntaxNode } from '../treesitter';
import { wordFromNode } from '../shell/words';
import type { Span } from '../types';
import type { Level } from './shell-chain';
import { notFixable, type TextEditSpan } from './types';

type Range = [number, number];
const hasNewline = (s: string) => /[\r\n]/.test(s.replace(/\\\r?\n/g, ''));

/** Source-text ranges that delete elements `remove` of `level` with their separators. */
function deletions(level: Level, remove: Set<number>): Range[] {
  const { elements: els, seps, source } = level;
  const out: Range[] = [];
  for (const i of [...remove].sort((a, b) => a - b)) {
    const keptAfter = els.some((_, j) => j > i && !remove.has(j));
    if (keptAfter && !hasNewline(seps[i])) {
      out.push([els[i].start, els[i + 1].start]);
    } else if (keptAfter && (i === 0 || hasNewline(seps[i - 1]))) {
      // Alone on its line(s): remove those lines, comments before or after it stay.
      let s = els[i].start;
      while (s > 0 && /[ \t]/.test(source.text[s - 1])) s--;
      if (s > 0 && !/[\r\n]/.test(source.text[s - 1])) s = els[i].start;
      const nl = /\r\n|\r|\n/.exec(seps[i].replace(/\\\r?\n/g, (m) => ' '.repeat(m.length)))!;
      out.push([s, els[i].end + nl.index + nl[0].length]);
    } else {
      out.push([els[i - 1].end, els[i].end]);
    }
  }
  return merge(out);
}

function merge(ranges: Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: Range[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else out.push([...r]);
  }
  return out;
}

function applyRanges(text: string, ranges: Range[]): string {
  let out = text;
  for (const [s, e] of [...ranges].sort((a, b) => b[0] - a[0])) out = out.slice(0, s) + out.slice(e);
  return out;
}

/**
 * Document edits removing elements `remove` of `level`. When nothing would be left of a `sh -c`
 * payload, the enclosing `sh -c` statement goes too; when nothing would be left of the start command,
 * NotFixable. `exec` also reports the argv rewrite of an exec-form `sh -c` left with one command.
 */
export function removeElements(level: Level, remove: Set<number>, docText: string): TextEditSpan[] {
  if (level.elements.every((_, i) => remove.has(i))) {
    if (level.parent) return removeElements(level.parent.level, new Set([level.parent.index]), docText);
    notFixable('the start command does nothing else: nothing would be left to start');
  }
  const ranges = deletions(level, remove);
  if (level.exec?.simpleShell) {
    const argv = simpleArgv(applyRanges(level.source.text, ranges));
    if (argv) return [execRewrite(level, argv, docText)];
  }
  return ranges.map(([s, e]) => ({ span: docSpan(level, s, e), newText: '' }));
}

function docSpan(level: Level, s: number, e: number): Span {
  const span = mapSpan(level.source, s, e);
  if (level.source.coarse) notFixable('the command is written in a form whose text cannot be edited in place');
  return span;
}

/** The argv of a script that is one plain command (no expansion, quoting only), `exec` dropped. */
export function simpleArgv(script: string): string[] | undefined {
  const tree = bashParser().parse(script);
  if (!tree) return undefined;
  try {
    const stmts = tree.rootNode.namedChildren.filter((c): c is SyntaxNode => !!c);
    if (stmts.length !== 1 || stmts[0].type !== 'command' || tree.rootNode.hasError) return undefined;
    const cmd = stmts[0];
    if (cmd.namedChildren.some((c) => !c || !['command_name', 'word', 'string', 'raw_string', 'concatenation', 'number'].includes(c.type))) return undefined;
    const source = { text: script, map: Array.from({ length: script.length + 1 }, (_, i) => i) };
    const nodes = [cmd.childForFieldName('name')?.firstNamedChild, ...cmd.childrenForFieldName('argument')];
    const words = nodes.map((n) => (n ? wordFromNode(n, source) : undefined));
    if (words.some((w) => !w || w.dynamic)) return undefined;
    // Unquoted glob or tilde characters are expanded by the shell: keep the shell.
    if (nodes.some((n) => n && /^~|[*?[]/.test(n.text.replace(/'[^']*'|"[^"]*"/g, '')))) return undefined;
    const values = words.map((w) => w!.value);
    if (values[0] === 'exec') values.shift();
    if (values.length === 0 || values[0].startsWith('-')) return undefined;
    return values;
  } finally {
    tree.delete();
  }
}

/** Replace `sh`, `-c`, `"payload"` of an exec-form argv by the payload's own words. */
function execRewrite(level: Level, words: string[], docText: string): TextEditSpan {
  const exec = level.exec!;
  const outer = (i: number): Span => {
    const m = exec.argv[i].map;
    return { start: m[0] - 1, end: m[m.length - 1] + 1 };
  };
  const between = exec.argv.length > 1 ? docText.slice(outer(0).end, outer(1).start) : '';
  const sep = /^[ \t]*,[ \t]*$/.test(between) ? between : ', ';
  return { span: { start: outer(exec.shell).start, end: outer(exec.payload).end }, newText: words.map((w) => JSON.stringify(w)).join(sep) };
}
