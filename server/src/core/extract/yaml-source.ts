// Parses YAML (multi-document, CloudFormation short tags, anchors and merge keys) into DNode trees with exact spans.
import { isAlias, isMap, isScalar, isSeq, parseAllDocuments, visit, type Alias, type CollectionTag, type Document, type Node as YamlNode, type Scalar, type ScalarTag } from 'yaml';
import { coarseSource, exactSource, type ShellSource } from '../model';
import type { Span } from '../types';
import type { DEntry, DMap, DNode, DString } from './doc-tree';
import { trimEnd } from './doc-tree';
import { decodeQuoted, linesSource } from './sources';

export interface YamlParse {
  /** One tree per document that has content. */
  docs: DNode[];
  problems: { span: Span; message: string }[];
}

const PARSE_OPTIONS = { uniqueKeys: false, prettyErrors: false, merge: false, strict: false } as const;

/**
 * Parse every document of `text`. Never throws: syntax errors become problems and the documents keep
 * whatever parsed. Unknown tags (`!Ref`, `!Sub`, …) are kept on the nodes (`DNode.tag`).
 *
 * With `cacheKey` (the file's path), a later call for the same key reuses the parts of the file that
 * did not change since (see `parseSegmented`); the result is the same as without it.
 */
export function parseYaml(text: string, cacheKey?: string): YamlParse {
  if (cacheKey === undefined || text.length > MAX_SEGMENTED) return parseWhole(text);
  const known = fileCaches.has(cacheKey);
  const cache = remember(cacheKey);
  const last = cache.text;
  cache.text = text;
  if (cache.segments.size) {
    const parsed = parseSegmented(text, cache);
    if (parsed) return parsed;
  }
  // A file seen before with another text is being edited: its segments are taken from this parse.
  // A file parsed once, or again unchanged (an audit's two passes, an editor opening it), is not.
  return parseWhole(text, known && last !== text ? cache : undefined);
}

/**
 * The parse of `text` joined from its segments (see below), the segments of the last call for
 * `cacheKey` reused; undefined when the text cannot be cut into segments or one does not parse alone.
 */
export function parseYamlSegments(text: string, cacheKey: string): YamlParse | undefined {
  if (text.length > MAX_SEGMENTED) return undefined;
  const cache = remember(cacheKey);
  cache.text = text;
  return parseSegmented(text, cache);
}

/** The cache of `key`, made the most recent. */
function remember(key: string): FileCache {
  const cache = fileCaches.get(key) ?? { segments: new Map() };
  fileCaches.delete(key);
  fileCaches.set(key, cache);
  if (fileCaches.size > MAX_FILES) fileCaches.delete(fileCaches.keys().next().value!);
  return cache;
}

/** Parse `text` whole; with `cache`, take its segments from the trees when it can be cut. */
function parseWhole(text: string, cache?: FileCache): YamlParse {
  const out: YamlParse = { docs: [], problems: [] };
  let documents: Document.Parsed[];
  try {
    documents = parseAll(text);
  } catch (e) {
    out.problems.push({ span: { start: 0, end: 0 }, message: `YAML: ${e instanceof Error ? e.message : String(e)}` });
    return out;
  }
  if (!Array.isArray(documents)) documents = [documents];
  let linked = false;
  for (const doc of documents) {
    for (const err of doc.errors) {
      const start = Math.min(err.pos[0], text.length);
      out.problems.push({ span: { start, end: Math.max(start, Math.min(err.pos[1], text.length)) }, message: `YAML: ${err.message}` });
    }
    if (!doc.contents) continue;
    const converter = new Converter(text, doc, cache && segmentTypes);
    const converted = converter.convert(doc.contents as YamlNode, 0);
    linked ||= converter.linked;
    if (converted) out.docs.push(converted);
  }
  if (cache && !linked && !out.problems.length && documents.length === 1 && out.docs.length === 1) seed(text, cache, documents[0], out.docs[0]);
  return out;
}

function parseAll(text: string): Document.Parsed[] {
  const customTags = localTags(text);
  return parseAllDocuments(text, customTags ? { ...PARSE_OPTIONS, customTags } : PARSE_OPTIONS) as Document.Parsed[];
}

// ---------------------------------------------------------------------------------------------
// Reuse between versions of one file. An editor re-analyses a file on every keystroke; a template
// of thousands of lines costs tens of milliseconds to parse whole, of which one resource changed.
//
// A file whose root is a block mapping with its keys at column 0 is cut into segments: each root
// entry (from its key's line to the next column-0 key), and, for an entry written `Key:` whose value
// is a block mapping indented by m, each of that mapping's entries (from a line indented by m to
// the next). Each segment parses alone as it does in the file, so a version is joined from the
// segments of the last one that did not change (moved to their offsets) and the others parsed
// alone. That holds when no construct crosses a segment's bounds: the file has no document markers
// (but a `---` before the content) or directives and no tab in indentation, every segment parses
// alone without an error into one entry whose key starts its first line (a construct cut in two
// parses with an error, or not as one entry), and none has an alias or a merge key. Otherwise the
// file is parsed whole, as are files with syntax errors (their problems come from the whole parse).
// The segments of a file parsed whole (with no problem) are taken from its trees.
// ---------------------------------------------------------------------------------------------

/** A segment parsed alone: offsets relative to its first character. */
interface Segment {
  entry: DEntry;
  /** Where its key (and its mapping) starts. */
  keyStart: number;
  /**
   * Its mapping's end (`range[1]`: after the value) and its end with trailing comments (`range[2]`),
   * which the joined trees read from the last segment of a mapping; NaN when not known (a segment
   * taken from a whole parse where it was not last).
   */
  end: number;
  commentEnd: number;
  /** The value is empty (`Key:` alone: the head of a segment cut into its value's entries). */
  empty: boolean;
  /** Taken from a whole parse as the head of a cut entry: only its key is known. */
  headOnly?: boolean;
}

interface FileCache {
  /** Segment text → its parse, or null when it does not parse alone as one entry. */
  segments: Map<string, Segment | null>;
  /** The text parsed last. */
  text?: string;
}

/** How a text is cut: its root entries, each whole or (`subs`: where they start) cut into its value's entries. */
interface Part {
  from: number;
  to: number;
  subs?: number[];
  /** The indentation of the entries `subs`. */
  indent: number;
}

/** Files remembered (most recent last), the largest text cut, and the text of all files with segments. */
const MAX_FILES = 32;
const MAX_SEGMENTED = 1024 * 1024;
const MAX_CACHED_TEXT = 4 * 1024 * 1024;
const fileCaches = new Map<string, FileCache>();
/** Scalar types of the strings of cached segments (a moved string rebuilds its `source`). */
const segmentTypes = new WeakMap<DString, Scalar.Type | undefined>();

/** `Key:` alone on its line (a trailing comment allowed): a plain key whose value starts below. */
const HEAD_LINE = /^[A-Za-z0-9_$][\w$./-]*:(?: +(?:#.*)?)?$/;

/** Where `text` is cut (see above), or undefined when it cannot be. */
function planCuts(text: string): Part[] | undefined {
  if (text.includes('\uFEFF') || /\r(?!\n)/.test(text)) return undefined;
  // Content lines (not blank, not comments): their starts and indentations.
  const starts: number[] = [];
  const indents: number[] = [];
  let marker = false;
  for (let pos = 0; pos < text.length; ) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = text.length;
    let i = pos;
    while (i < nl && text.charCodeAt(i) === 32) i++;
    const c = text[i];
    if (c === '\t') return undefined;
    if (i < nl && c !== '#' && !(c === '\r' && i === nl - 1)) {
      if (i === pos && (c === '%' || /^(?:---|\.\.\.)(?:[ \t\r]|$)/.test(text.slice(pos, Math.min(nl, pos + 4))))) {
        // One document start marker before the content (`---` alone, or with a comment) is no cut.
        if (starts.length || marker || !/^---(?: +(?:#.*)?)?\r?$/.test(text.slice(pos, nl))) return undefined;
        marker = true;
        pos = nl + 1;
        continue;
      }
      starts.push(pos);
      indents.push(i - pos);
    }
    pos = nl + 1;
  }
  if (!starts.length || indents[0] !== 0) return undefined;
  const parts: Part[] = [];
  for (let k = 0; k < starts.length; ) {
    let next = k + 1;
    while (next < starts.length && indents[next] > 0) next++;
    const part: Part = { from: starts[k], to: next < starts.length ? starts[next] : text.length, indent: 0 };
    if (next > k + 1) {
      let lineEnd = text.indexOf('\n', part.from);
      if (lineEnd < 0) lineEnd = text.length;
      const m = indents[k + 1];
      if (HEAD_LINE.test(text.slice(part.from, text[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd)) && indents.slice(k + 1, next).every((n) => n >= m)) {
        part.subs = [];
        part.indent = m;
        for (let i = k + 1; i < next; i++) if (indents[i] === m) part.subs.push(starts[i]);
      }
    }
    parts.push(part);
    k = next;
  }
  return parts;
}

/** The parse of `text` from its segments, or undefined when `text` cannot be cut (see above). */
function parseSegmented(text: string, cache: FileCache): YamlParse | undefined {
  const parts = planCuts(text);
  if (!parts) return undefined;
  const used = new Map<string, Segment | null>();
  /** The segment of `text` from `from` to `to`, cached or parsed; `ends`: its ends are read. */
  const segment = (from: number, to: number, head: boolean, ends: boolean): Segment | null => {
    const t = text.slice(from, to);
    let s = used.has(t) ? used.get(t) : cache.segments.get(t);
    if (s === undefined || (s && ((s.headOnly && !head) || (ends && Number.isNaN(s.end))))) s = parseSegment(t);
    used.set(t, s);
    return s;
  };
  const entries: DEntry[] = [];
  let rootEnd = 0;
  let ok = true;
  for (let i = 0; i < parts.length && ok; i++) {
    const part = parts[i];
    const last = i === parts.length - 1;
    const cut = part.subs && cutPart(text, part, segment);
    if (cut) {
      entries.push(cut.entry);
      rootEnd = cut.commentEnd;
      continue;
    }
    const s = segment(part.from, part.to, false, last);
    if (s && s.keyStart === 0) {
      entries.push(moveEntry(s.entry, part.from, text));
      rootEnd = part.from + s.end;
    } else ok = false;
  }
  if (!ok) {
    for (const [t, s] of used) cache.segments.set(t, s);
    if (cache.segments.size > 4 * used.size + 64) cache.segments = used;
    return undefined;
  }
  cache.segments = used;
  budget();
  return { docs: [{ kind: 'map', entries, span: trimEnd(text, parts[0].from, rootEnd) }], problems: [] };
}

/** A root entry `Key:` over a block mapping, joined from the entries of the mapping parsed one by one. */
function cutPart(
  text: string,
  part: Part,
  segment: (from: number, to: number, head: boolean, ends: boolean) => Segment | null,
): { entry: DEntry; commentEnd: number } | undefined {
  const subs = part.subs!;
  const head = segment(part.from, subs[0], true, false);
  if (!head || head.keyStart !== 0 || !head.empty) return undefined;
  const items: DEntry[] = [];
  let last: Segment | null = null;
  for (let i = 0; i < subs.length; i++) {
    last = segment(subs[i], i + 1 < subs.length ? subs[i + 1] : part.to, false, i === subs.length - 1);
    if (!last || last.keyStart !== part.indent) return undefined;
    items.push(moveEntry(last.entry, subs[i], text));
  }
  const lastFrom = subs[subs.length - 1];
  const value: DMap = { kind: 'map', entries: items, span: trimEnd(text, subs[0] + part.indent, lastFrom + last!.end) };
  const keySpan = moveSpan(head.entry.keySpan, part.from);
  const entry: DEntry = { key: head.entry.key, keySpan, value, span: { start: keySpan.start, end: Math.max(value.span.end, keySpan.end) } };
  return { entry, commentEnd: lastFrom + last!.commentEnd };
}

/** Parse one segment alone: one document, no error, a block mapping of one entry. */
function parseSegment(text: string): Segment | null {
  let documents: Document.Parsed[];
  try {
    documents = parseAll(text);
  } catch {
    return null;
  }
  if (!Array.isArray(documents) || documents.length !== 1) return null;
  const doc = documents[0];
  const root = doc.contents;
  if (doc.errors.length || !isMap(root) || root.items.length !== 1 || root.tag || root.anchor || !root.range) return null;
  const key = root.items[0].key;
  if (!isScalar(key) || !key.range || key.range[0] !== root.range[0]) return null;
  // A segment indented under a root key sits one level deeper in the whole tree.
  const converter = new Converter(text, doc, segmentTypes);
  const converted = converter.convert(root, text[0] === ' ' ? 1 : 0);
  // An alias may name an anchor of another segment; a merge key adds entries where the map ends.
  if (converter.linked || converted?.kind !== 'map' || converted.entries.length !== 1) return null;
  const entry = converted.entries[0];
  return { entry, keyStart: key.range[0], end: root.range[1], commentEnd: root.range[2], empty: isEmpty(entry.value) };
}

/** An empty value (`Key:` and nothing). */
function isEmpty(v: DNode | undefined): boolean {
  return v?.kind === 'scalar' && v.value === null && v.raw === '' && !v.tag;
}

/**
 * Take the segments of `text` from its whole parse (`doc`, converted to `root`; no problem, no alias
 * or merge key), when it can be cut and its entries start where the cuts do.
 */
function seed(text: string, cache: FileCache, doc: Document.Parsed, root: DNode): void {
  const parts = planCuts(text);
  const map = doc.contents;
  if (!parts || root.kind !== 'map' || !isMap(map) || root.entries.length !== parts.length || map.items.length !== parts.length || !map.range) return;
  const starts = (entries: DEntry[], items: typeof map.items, at: number[], indent: number) =>
    at.every((s, i) => entries[i].keySpan.start === s + indent && (items[i].key as YamlNode | null)?.range?.[0] === s + indent);
  if (!starts(root.entries, map.items, parts.map((p) => p.from), 0)) return;
  const segments = new Map<string, Segment | null>();
  const add = (from: number, to: number, s: Segment) => {
    const t = text.slice(from, to);
    const known = segments.get(t);
    // The same text twice: keep the one whose ends are known.
    if (!known || Number.isNaN(known.end)) segments.set(t, s);
  };
  parts.forEach((part, i) => {
    const e = root.entries[i];
    const m = e.value;
    const ym = map.items[i].value;
    const subs = part.subs;
    if (subs && m?.kind === 'map' && !m.tag && isMap(ym) && ym.range && m.entries.length === subs.length && ym.items.length === subs.length && starts(m.entries, ym.items, subs, part.indent)) {
      add(part.from, subs[0], { entry: { key: e.key, keySpan: moveSpan(e.keySpan, -part.from), value: undefined, span: moveSpan(e.keySpan, -part.from) }, keyStart: 0, end: NaN, commentEnd: NaN, empty: true, headOnly: true });
      subs.forEach((from, j) => {
        const last = j === subs.length - 1;
        const sub = m.entries[j];
        const to = last ? part.to : subs[j + 1];
        add(from, to, { entry: moveEntry(sub, -from, text, true), keyStart: part.indent, end: last ? ym.range![1] - from : NaN, commentEnd: last ? ym.range![2] - from : NaN, empty: isEmpty(sub.value) });
      });
    } else {
      const last = i === parts.length - 1;
      add(part.from, part.to, { entry: moveEntry(e, -part.from, text, true), keyStart: 0, end: last ? map.range![1] - part.from : NaN, commentEnd: NaN, empty: isEmpty(e.value) });
    }
  });
  cache.segments = segments;
  budget();
}

/** Drop the segments of the files used least recently while the files with segments hold too much text. */
function budget(): void {
  let total = 0;
  for (const c of fileCaches.values()) if (c.segments.size) total += c.text?.length ?? 0;
  for (const c of fileCaches.values()) {
    if (total <= MAX_CACHED_TEXT) break;
    if (!c.segments.size) continue;
    total -= c.text?.length ?? 0;
    c.segments = new Map();
  }
}

function moveSpan(s: Span, by: number): Span {
  return { start: s.start + by, end: s.end + by };
}

/** A copy of `e` at offset `by` in `text`; a `template` (for the cache) keeps its strings' scalar types. */
function moveEntry(e: DEntry, by: number, text: string, template = false): DEntry {
  return { key: e.key, keySpan: moveSpan(e.keySpan, by), value: e.value && moveNode(e.value, by, text, template), span: moveSpan(e.span, by) };
}

/** A copy of a tree at offset `by` in `text` (the same shapes, properties in the same order, as `Converter` builds). */
function moveNode(n: DNode, by: number, text: string, template: boolean): DNode {
  let d: DNode;
  switch (n.kind) {
    case 'string': {
      const type = segmentTypes.get(n);
      const s = makeString(n.value, moveSpan(n.inner, by), moveSpan(n.span, by), n.tag, type, text);
      if (template) segmentTypes.set(s, type);
      return s;
    }
    case 'scalar':
      d = { kind: 'scalar', value: n.value, raw: n.raw, span: moveSpan(n.span, by) };
      break;
    case 'seq':
      d = { kind: 'seq', items: n.items.map((i) => moveNode(i, by, text, template)), span: moveSpan(n.span, by) };
      break;
    case 'map':
      d = { kind: 'map', entries: n.entries.map((e) => moveEntry(e, by, text, template)), span: moveSpan(n.span, by) };
      break;
    default:
      return n;
  }
  if (n.tag) d.tag = n.tag;
  return d;
}

/** Characters of a tag's suffix, as the `yaml` lexer reads them (`%xx` escapes aside). */
const TAG_CHARS = /[0-9A-Za-z\-#;/?:@&=+$_.~*'()]/;
/** Characters a tag follows: it starts a token. */
const TAG_BEFORE = ' \t\n\r[{,';
/** At most this many names are registered (each costs the schema a lookup); others warn as before. */
const MAX_LOCAL_TAGS = 64;
const tagCache = new Map<string, (ScalarTag | CollectionTag)[]>();
const keepString = (s: string) => s;

/**
 * Tags for the local tags (`!Ref`, `!Sub`, `!GetAtt`, compose's `!reset`, …) written in `text`, as a
 * scalar, a sequence and a mapping each. Unregistered, every such tag makes the parser build a
 * warning (an Error with its stack) that nothing reads; registered, it resolves as it did unknown: a
 * scalar keeps its string, a collection stays a plain map or sequence, and the node keeps its tag.
 */
function localTags(text: string): (ScalarTag | CollectionTag)[] | undefined {
  let out: (ScalarTag | CollectionTag)[] | undefined;
  let seen: Set<string> | undefined;
  for (let i = text.indexOf('!'); i >= 0; i = text.indexOf('!', i + 1)) {
    if (i > 0 && !TAG_BEFORE.includes(text[i - 1])) continue;
    let j = i + 1;
    while (j < text.length && TAG_CHARS.test(text[j])) j++;
    // `!!str`, `!e!tag` (handles), `!a%20b` (escapes), a lone `!`: left to the parser as they were.
    if (j === i + 1 || text[j] === '!' || text[j] === '%') continue;
    const name = text.slice(i, j);
    if (seen?.has(name)) continue;
    (seen ??= new Set()).add(name);
    if (seen.size > MAX_LOCAL_TAGS) break;
    let tags = tagCache.get(name);
    if (!tags) {
      tags = [
        { tag: name, resolve: keepString },
        { tag: name, collection: 'seq' },
        { tag: name, collection: 'map' },
      ];
      if (tagCache.size < 1000) tagCache.set(name, tags);
    }
    (out ??= []).push(...tags);
  }
  return out;
}

class Converter {
  /** Converted anchored nodes: an alias (or a merge) reaches them again. */
  private readonly memo = new Map<YamlNode, DNode>();
  private targets?: Map<Alias, YamlNode | undefined>;
  /** An alias or a merge key was met. */
  linked = false;

  constructor(
    private readonly text: string,
    private readonly doc: Document.Parsed,
    /** Scalar types of converted strings, for trees that are moved to another offset later. */
    private readonly types?: WeakMap<DString, Scalar.Type | undefined>,
  ) {}

  convert(node: YamlNode | null | undefined, depth: number): DNode | undefined {
    if (!node || depth > 100) return undefined;
    if (isAlias(node)) {
      this.linked = true;
      const target = this.aliasTarget(node);
      return target && target !== node ? this.convert(target, depth + 1) : undefined;
    }
    // Only an anchored node can be reached twice.
    const anchored = node.anchor !== undefined;
    if (anchored) {
      const known = this.memo.get(node);
      if (known) return known;
    }
    const range = node.range ?? [0, 0, 0];
    const tag = localTag(node.tag);
    const start = tag ? this.tagStart(range[0], tag) : range[0];
    if (isScalar(node)) {
      const d = this.scalar(node, start, tag);
      if (anchored) this.memo.set(node, d);
      return d;
    }
    const span = trimEnd(this.text, start, range[1]);
    if (isSeq(node)) {
      const d: DNode = { kind: 'seq', items: [], span, ...(tag ? { tag } : {}) };
      if (anchored) this.memo.set(node, d);
      for (const item of node.items) {
        const c = this.convert(item as YamlNode, depth + 1);
        if (c) d.items.push(c);
      }
      return d;
    }
    if (isMap(node)) {
      const d: DMap = { kind: 'map', entries: [], span, ...(tag ? { tag } : {}) };
      if (anchored) this.memo.set(node, d);
      let merged: DEntry[] | undefined;
      for (const pair of node.items) {
        const key = pair.key as YamlNode | null;
        if (!isScalar(key) || key.value === null || typeof key.value === 'object') continue;
        const value = this.convert(pair.value as YamlNode | null, depth + 1);
        if (key.value === '<<' && key.type === 'PLAIN') {
          this.linked = true;
          // Merge keys: entries of the merged maps that the map does not set itself.
          for (const m of value?.kind === 'seq' ? value.items : value ? [value] : []) if (m.kind === 'map') (merged ??= []).push(...m.entries);
          continue;
        }
        const keySpan = { start: key.range?.[0] ?? 0, end: key.range?.[1] ?? 0 };
        const end = value ? value.span.end : keySpan.end;
        d.entries.push({ key: String(key.value), keySpan, value, span: { start: keySpan.start, end: Math.max(end, keySpan.end) } });
      }
      if (merged) for (const e of merged) if (!d.entries.some((x) => x.key === e.key)) d.entries.push(e);
      return d;
    }
    return undefined;
  }

  private scalar(node: Scalar, start: number, tag: string | undefined): DNode {
    const range = node.range ?? [0, 0, 0];
    const span = { start, end: range[1] };
    const raw = this.text.slice(range[0], range[1]);
    const value = node.value;
    const isString = typeof value === 'string' || (tag !== undefined && value !== null && typeof value !== 'object');
    if (!isString && (value === null || typeof value === 'number' || typeof value === 'boolean')) {
      return { kind: 'scalar', value, raw, span, ...(tag ? { tag } : {}) };
    }
    const str = typeof value === 'string' ? value : String(value);
    const type = node.type;
    const quoted = type === 'QUOTE_DOUBLE' || type === 'QUOTE_SINGLE';
    const inner = quoted ? { start: range[0] + 1, end: Math.max(range[0] + 1, range[1] - 1) } : trimEnd(this.text, range[0], range[1]);
    const d = makeString(str, inner, span, tag, type, this.text);
    this.types?.set(d, type);
    return d;
  }

  /**
   * The node an alias refers to: the last node anchored with its name before it, as `Alias.resolve`
   * decides, but with one walk of the document for all aliases (`resolve` walks it per alias, which
   * is quadratic in a file of many aliases).
   */
  private aliasTarget(alias: Alias): YamlNode | undefined {
    if (!this.targets) {
      const targets = new Map<Alias, YamlNode | undefined>();
      const anchored = new Map<string, YamlNode>();
      visit(this.doc, {
        Node: (_key, n) => {
          if (isAlias(n)) targets.set(n, anchored.get(n.source));
          else if ((isScalar(n) || isMap(n) || isSeq(n)) && n.anchor) anchored.set(n.anchor, n);
        },
      });
      this.targets = targets;
    }
    return this.targets.get(alias);
  }

  /** Offset of the tag written before a node (`!Ref Foo`: the `!`). */
  private tagStart(valueStart: number, tag: string): number {
    const before = this.text.slice(Math.max(0, valueStart - 200), valueStart);
    const i = before.lastIndexOf(tag);
    if (i < 0 || /\S/.test(before.slice(i + tag.length))) return valueStart;
    return valueStart - (before.length - i);
  }
}

/** A string node (the shape `Converter` builds, also for trees moved to another offset). */
function makeString(value: string, inner: Span, span: Span, tag: string | undefined, type: Scalar.Type | undefined, text: string): DString {
  const d = { kind: 'string', value, inner, span } as DString;
  if (tag) d.tag = tag;
  d.source = () => scalarSource(type, value, text, inner);
  return d;
}

/** The tag when it is a local one (`!Ref`), not a core-schema tag. */
function localTag(tag: string | undefined): string | undefined {
  return tag && tag.startsWith('!') && !tag.startsWith('!!') ? tag : undefined;
}

/** The decoded scalar with its map: exact where the document holds it verbatim or with simple escapes. */
function scalarSource(type: Scalar.Type | undefined, value: string, text: string, inner: Span): ShellSource {
  const raw = text.slice(inner.start, inner.end);
  switch (type) {
    case 'PLAIN':
      return raw === value ? exactSource(value, inner.start) : coarseSource(value, inner);
    case 'QUOTE_SINGLE':
    case 'QUOTE_DOUBLE': {
      const s = decodeQuoted(raw, inner.start, type === 'QUOTE_SINGLE' ? 'yaml-single' : 'yaml-double');
      return s && s.text === value ? s : coarseSource(value, inner);
    }
    case 'BLOCK_LITERAL': {
      const nl = text.indexOf('\n', inner.start);
      if (nl < 0 || nl >= inner.end) return coarseSource(value, inner);
      return linesSource(value, text, nl + 1, inner);
    }
    default:
      return coarseSource(value, inner);
  }
}
