// Reading simple commands and their redirects out of a tree-sitter-bash parse.
import type { ShellSource } from '../model';
import type { BashNode } from './node';
import { wordFromNode, type Word } from './words';

/** Where a redirect sends standard output: a file, nowhere (`/dev/null`), or not a stdout redirect at all. */
export type StdoutRedirect = 'file' | 'discarded' | undefined;

/** The node a `redirected_statement`'s redirects bind to: bash binds `a && b > f` and `a | b > f` to `b`. */
export function redirectTarget(rs: BashNode): BashNode | null {
  let n = rs.childForFieldName('body');
  while (n && (n.type === 'list' || n.type === 'pipeline')) n = lastElement(n);
  return n;
}

/** The statements of a list or pipeline (operators and comments left out). */
export function elements(n: BashNode): BashNode[] {
  return n.namedChildren.filter((c): c is BashNode => !!c && c.type !== 'comment');
}

function lastElement(n: BashNode): BashNode | null {
  const els = elements(n);
  return els[els.length - 1] ?? null;
}

export function contains(outer: BashNode, inner: BashNode): boolean {
  return outer.startIndex <= inner.startIndex && inner.endIndex <= outer.endIndex;
}

/** Redirect nodes that apply to `cmd` itself (`cmd > f`, `a && cmd > f`, `a | cmd > f`), and any inside it. */
export function ownRedirects(cmd: BashNode): BashNode[] {
  const out = cmd.namedChildren.filter((c): c is BashNode => !!c && c.type.endsWith('_redirect'));
  let cur = cmd;
  for (let p = cmd.parent; p; cur = p, p = p.parent) {
    if (p.type === 'redirected_statement') {
      const t = redirectTarget(p);
      if (!t || !contains(t, cmd)) break;
      out.push(...p.childrenForFieldName('redirect').filter((r): r is BashNode => !!r));
    } else if (!((p.type === 'list' || p.type === 'pipeline') && lastElement(p)?.id === cur.id)) break;
  }
  return out;
}

/** The words of a simple command: its name and arguments, plus words the grammar put after a redirect (`cmd > f arg`). */
export function commandWords(cmd: BashNode, source: ShellSource): Word[] {
  const words: Word[] = [];
  const name = cmd.childForFieldName('name');
  const nameWord = name?.firstNamedChild ?? name;
  if (nameWord) words.push(wordFromNode(nameWord, source));
  for (const a of cmd.childrenForFieldName('argument')) if (a) words.push(wordFromNode(a, source));
  for (const r of ownRedirects(cmd)) {
    if (r.type !== 'file_redirect') continue;
    const dests = r.childrenForFieldName('destination').filter((d): d is BashNode => !!d);
    for (const d of dests.slice(1)) words.push(wordFromNode(d, source));
  }
  return words.sort((a, b) => a.start - b.start);
}

/** Whether a redirect sends standard output somewhere, and where. */
export function stdoutRedirect(r: BashNode, source: ShellSource): StdoutRedirect {
  if (r.type !== 'file_redirect') return undefined;
  const fd = r.childForFieldName('descriptor');
  if (fd && fd.text !== '1') return undefined;
  const op = r.children.find((c) => c && !c.isNamed)?.type ?? '';
  const dest = r.childForFieldName('destination');
  if (!dest) return undefined;
  const target = wordFromNode(dest, source).value;
  if (op === '>&' && (/^\d+$/.test(target) || target === '-')) return 'discarded'; // `>&2`: to another stream
  if (!['>', '>>', '>|', '&>', '&>>', '>&'].includes(op)) return undefined;
  return /^\/dev\/(null|stdout|stderr|tty|fd\/[12])$/.test(target) ? 'discarded' : 'file';
}
