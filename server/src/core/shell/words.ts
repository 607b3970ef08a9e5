// Shell words after quote removal, each character traced back to the text it was read from.
import type { ShellSource } from '../model';
import { mapSpan } from '../model';
import type { BashNode } from './node';
import type { Span } from '../types';

/** One shell word after quote removal. Expansions (`$X`, `$(…)`) are kept as written. */
export interface Word {
  value: string;
  /** The word contains an expansion or substitution, so its run-time value is unknown. */
  dynamic: boolean;
  /** The text the word was read from. */
  source: ShellSource;
  /** Range in `source.text` of the word as written (quotes included). */
  start: number;
  end: number;
  /** `chars[i]` is the index in `source.text` of `value[i]`; `chars[value.length]` is where the value ends. */
  chars: number[];
}

const DYNAMIC = new Set([
  'simple_expansion',
  'expansion',
  'command_substitution',
  'process_substitution',
  'arithmetic_expansion',
]);

/** Read a word (`word`, `string`, `raw_string`, `concatenation`, …) from a parse of `source.text`. */
export function wordFromNode(node: BashNode, source: ShellSource): Word {
  const text = source.text;
  const type = node.type;
  if (type === 'word' || type === 'number') {
    // Unquoted text without a backslash (most words) is its own value.
    const s = node.startIndex;
    const e = node.endIndex;
    let plain = true;
    for (let i = s; i < e && plain; i++) plain = text.charCodeAt(i) !== 92; // backslash
    if (plain) {
      const chars = new Array<number>(e - s + 1);
      for (let i = s; i <= e; i++) chars[i - s] = i;
      return { value: text.slice(s, e), dynamic: false, source, start: s, end: e, chars };
    }
  }
  const out: string[] = [];
  const chars: number[] = [];
  let pos = node.startIndex;
  let dynamic = false;

  const push = (c: string, at: number, next: number) => {
    out.push(c);
    chars.push(at);
    pos = next;
  };
  const raw = (s: number, e: number) => {
    for (let i = s; i < e; i++) push(text[i], i, i + 1);
  };
  // Unquoted text: `\x` is `x`, backslash-newline disappears.
  const unquoted = (s: number, e: number) => {
    for (let i = s; i < e; i++) {
      if (text[i] === '\\' && i + 1 < e) {
        const nl = text[i + 1] === '\n' ? 2 : text[i + 1] === '\r' && text[i + 2] === '\n' ? 3 : 0;
        if (nl) pos = i + nl;
        else push(text[i + 1], i, i + 2);
        i += nl ? nl - 1 : 1;
      } else push(text[i], i, i + 1);
    }
  };
  // Inside double quotes only `\$ \` \" \\` and backslash-newline are escapes.
  const doubleQuoted = (s: number, e: number) => {
    for (let i = s; i < e; i++) {
      const n = text[i + 1];
      if (text[i] === '\\' && i + 1 < e && (n === '$' || n === '`' || n === '"' || n === '\\' || n === '\n')) {
        if (n === '\n') pos = i + 2;
        else push(n, i, i + 2);
        i++;
      } else push(text[i], i, i + 1);
    }
  };
  const ansiC = (s: number, e: number) => {
    const esc: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', e: '\x1b', a: '\x07' };
    for (let i = s; i < e; i++) {
      if (text[i] === '\\' && i + 1 < e) {
        push(esc[text[i + 1]] ?? text[i + 1], i, i + 2);
        i++;
      } else push(text[i], i, i + 1);
    }
  };
  const closes = (n: BashNode, q: string, open: number) =>
    n.endIndex - n.startIndex >= open + 1 && text[n.endIndex - 1] === q ? n.endIndex - 1 : n.endIndex;

  const build = (n: BashNode): void => {
    const s = n.startIndex;
    const e = n.endIndex;
    if (DYNAMIC.has(n.type)) {
      dynamic = true;
      raw(s, e);
      return;
    }
    switch (n.type) {
      case 'raw_string':
        pos = s + 1;
        raw(s + 1, closes(n, "'", 1));
        return;
      case 'ansi_c_string':
        pos = s + 2;
        ansiC(s + 2, closes(n, "'", 2));
        return;
      case 'string':
      case 'translated_string': {
        const open = n.type === 'string' ? 1 : 2;
        const end = closes(n, '"', open);
        let at = s + open;
        pos = at;
        for (const c of n.namedChildren) {
          if (!c || !DYNAMIC.has(c.type) || c.startIndex < at) continue;
          doubleQuoted(at, c.startIndex);
          build(c);
          at = c.endIndex;
        }
        doubleQuoted(at, end);
        return;
      }
      case 'concatenation': {
        let at = s;
        for (const c of n.children) {
          if (!c || c.startIndex < at) continue;
          unquoted(at, c.startIndex);
          build(c);
          at = c.endIndex;
        }
        unquoted(at, e);
        return;
      }
      case 'word':
      case 'number':
        unquoted(s, e);
        return;
      default:
        if (/[$`]/.test(text.slice(s, e))) dynamic = true;
        raw(s, e);
    }
  };
  build(node);
  chars.push(pos);
  return { value: out.join(''), dynamic, source, start: node.startIndex, end: node.endIndex, chars };
}

/** An exec-form argument: the whole source is one literal word. */
export function wordFromSource(source: ShellSource): Word {
  const chars = new Array<number>(source.text.length + 1);
  for (let i = 0; i < chars.length; i++) chars[i] = i;
  return { value: source.text, dynamic: false, source, start: 0, end: source.text.length, chars };
}

/** Document span of the word as written (quotes included). */
export function wordSpan(w: Word): Span {
  return mapSpan(w.source, w.start, w.end);
}

/** Document span of the word's value (inside its quotes). */
export function valueSpan(w: Word): Span {
  if (w.value.length === 0) return wordSpan(w);
  return mapSpan(w.source, w.chars[0], w.chars[w.value.length]);
}

/**
 * The value of one or more words as a script of its own (`sh -c "…"`, `eval a b`), with a map that
 * composes with the words' source. Words are joined by a space, as `eval` joins its arguments.
 */
export function payloadSource(words: Word[]): ShellSource {
  const parent = words[0].source;
  let text = '';
  const idx: number[] = [];
  words.forEach((w, k) => {
    if (k > 0) {
      text += ' ';
      idx.push(w.chars[0]);
    }
    text += w.value;
    idx.push(...w.chars.slice(0, w.value.length));
  });
  // One word: its closing quote belongs to the outer command. Several (`eval a "b"`): to the payload.
  const last = words[words.length - 1];
  idx.push(words.length > 1 ? last.end : last.chars[last.value.length]);
  if (parent.coarse) return { text, map: [], coarse: { ...parent.coarse } };
  return { text, map: idx.map((i) => parent.map[i]) };
}

/** The program name of a path: `/opt/venv/bin/pip` → `pip`. */
export function basename(value: string): string {
  return value.slice(value.lastIndexOf('/') + 1) || value;
}
