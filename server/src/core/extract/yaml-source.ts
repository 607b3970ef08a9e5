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
  if (cacheKey !== undefined && text.length <= MAX_SEGMENTED) {
    const known = fileCaches.has(cacheKey);
    const cache = remember(cacheKey);
    const last = cache.text;
    cache.text = text;
    // The first parse of a file is whole, and so is a parse of the same text while nothing is cached
    // (an audit reads each file once or twice, unchanged): cutting starts with the first change.
    if (known && (cache.segments.size > 0 || last !== text)) {
      const parsed = parseSegmented(text, cache);
      if (parsed) return parsed;
    }
  }
  return parseWhole(text);
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

function parseWhole(text: string): YamlParse {
  const out: YamlParse = { docs: [], problems: [] };
  let documents: Document.Parsed[];
  try {
    documents = parseAll(text);
  } catch (e) {
    out.problems.push({ span: { start: 0, end: 0 }, message: `YAML: ${e instanceof Error ? e.message : String(e)}` });
    return out;
  }
  if (!Array.isArray(documents)) documents = [documents];
  for (const doc of documents) {
    for (const err of doc.errors) {
      const start = Math.min(err.pos[0], text.length);
      out.problems.push({ span: { start, end: Math.max(start, Math.min(err.pos[1], text.length)) }, message: `YAML: ${err.message}` });
    }
    if (!doc.contents) continue;
    const converted = new Converter(text, doc).convert(doc.contents as YamlNode, 0);
    if (converted) out.docs.push(converted);
  }
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
// the next). Each segment is parsed alone and the trees are joined, moved to their offsets. That is
// the whole parse, provided no construct crosses a segment's bounds: the file has no document
// markers (but a `---` before the content) or directives, no tab in indentation, and every segment parses alone without an error
// into one entry whose key starts its first line, with no alias or merge key (a construct cut in
// two parses with an error, or not as one entry). Otherwise the file is parsed whole, as are files
// with syntax errors (their problems come from the whole parse). Segments are cached by their text.
// ---------------------------------------------------------------------------------------------

/** A segment parsed alone: offsets relative to its first character. */
interface Segment {
  entry: DEntry;
  /** Where its key (and its mapping) starts. */
  keyStart: number;
  /** The mapping's end (`range[1]`: after the value) and its end with trailing comments (`range[2]`). */
  end: number;
  commentEnd: number;
  /** The value is empty (`Key:` alone: the head of a segment cut into its value's entries). */
  empty: boolean;
}

interface FileCache {
  /** Segment text → its parse, or null when it does not parse alone as one entry. */
  segments: Map<string, Segment | null>;
  /** The text parsed last. */
  text?: string;
}

/** Files remembered (most recent last) and the largest text cut into segments. */
const MAX_FILES = 32;
const MAX_SEGMENTED = 1024 * 1024;
const fileCaches = new Map<string, FileCache>();
/** Scalar types of the strings of cached segments (a moved string rebuilds its `source`). */
const segmentTypes = new WeakMap<DString, Scalar.Type | undefined>();

/** `Key:` alone on its line (a trailing comment allowed): a plain key whose value starts below. */
const HEAD_LINE = /^[A-Za-z0-9_$][\w$./-]*:(?: +(?:#.*)?)?$/;

/** The parse of `text` from its segments, or undefined when `text` cannot be cut (see above). */
function parseSegmented(text: string, cache: FileCache): YamlParse | undefined {
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
  const used = new Map<string, Segment | null>();
  const segment = (from: number, to: number): Segment | null => {
    const t = text.slice(from, to);
    if (used.has(t)) return used.get(t) as Segment | null;
    let s = cache.segments.get(t);
    if (s === undefined) s = parseSegment(t);
    used.set(t, s);
    return s;
  };
  const entries: DEntry[] = [];
  let rootEnd = 0;
  let ok = true;
  for (let k = 0; k < starts.length && ok; ) {
    const from = starts[k];
    let next = k + 1;
    while (next < starts.length && indents[next] > 0) next++;
    const to = next < starts.length ? starts[next] : text.length;
    const cut = next > k + 1 ? cutSegment(text, starts, indents, k, next, to, segment) : undefined;
    if (cut) {
      entries.push(cut.entry);
      rootEnd = cut.commentEnd;
    } else {
      const s = segment(from, to);
      if (s && s.keyStart === 0) {
        entries.push(moveEntry(s.entry, from, text));
        rootEnd = from + s.end;
      } else ok = false;
    }
    k = next;
  }
  if (ok) cache.segments = used;
  else {
    for (const [t, s] of used) cache.segments.set(t, s);
    if (cache.segments.size > 4 * used.size + 64) cache.segments = used;
    return undefined;
  }
  return { docs: [{ kind: 'map', entries, span: trimEnd(text, starts[0], rootEnd) }], problems: [] };
}

/**
 * The root entry written on content lines `k` to `next` (exclusive; the segment ends at `to`) when it
 * is `Key:` over a block mapping, joined from its entries parsed one by one.
 */
function cutSegment(
  text: string,
  starts: number[],
  indents: number[],
  k: number,
  next: number,
  to: number,
  segment: (from: number, to: number) => Segment | null,
): { entry: DEntry; commentEnd: number } | undefined {
  const from = starts[k];
  let lineEnd = text.indexOf('\n', from);
  if (lineEnd < 0) lineEnd = text.length;
  if (!HEAD_LINE.test(text.slice(from, text[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd))) return undefined;
  const m = indents[k + 1];
  const subs: number[] = [];
  for (let i = k + 1; i < next; i++) {
    if (indents[i] < m) return undefined;
    if (indents[i] === m) subs.push(starts[i]);
  }
  const head = segment(from, subs[0]);
  if (!head || head.keyStart !== 0 || !head.empty) return undefined;
  const items: DEntry[] = [];
  let last: Segment | undefined;
  let lastFrom = 0;
  for (let i = 0; i < subs.length; i++) {
    const s = segment(subs[i], i + 1 < subs.length ? subs[i + 1] : to);
    if (!s || s.keyStart !== m) return undefined;
    items.push(moveEntry(s.entry, subs[i], text));
    last = s;
    lastFrom = subs[i];
  }
  const value: DMap = { kind: 'map', entries: items, span: trimEnd(text, subs[0] + m, lastFrom + last!.end) };
  const keySpan = moveSpan(head.entry.keySpan, from);
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
  const v = entry.value;
  return {
    entry,
    keyStart: key.range[0],
    end: root.range[1],
    commentEnd: root.range[2],
    empty: v?.kind === 'scalar' && v.value === null && v.raw === '' && !v.tag,
  };
}

function moveSpan(s: Span, by: number): Span {
  return { start: s.start + by, end: s.end + by };
}

function moveEntry(e: DEntry, by: number, text: string): DEntry {
  return { key: e.key, keySpan: moveSpan(e.keySpan, by), value: e.value && moveNode(e.value, by, text), span: moveSpan(e.span, by) };
}

/** A copy of a cached tree at offset `by` in `text` (the same shapes `Converter` builds). */
function moveNode(n: DNode, by: number, text: string): DNode {
  switch (n.kind) {
    case 'string':
      return makeString(n.value, moveSpan(n.inner, by), moveSpan(n.span, by), n.tag, segmentTypes.get(n), text);
    case 'scalar':
      return { kind: 'scalar', value: n.value, raw: n.raw, span: moveSpan(n.span, by), ...(n.tag ? { tag: n.tag } : {}) };
    case 'seq':
      return { kind: 'seq', items: n.items.map((i) => moveNode(i, by, text)), span: moveSpan(n.span, by), ...(n.tag ? { tag: n.tag } : {}) };
    case 'map':
      return { kind: 'map', entries: n.entries.map((e) => moveEntry(e, by, text)), span: moveSpan(n.span, by), ...(n.tag ? { tag: n.tag } : {}) };
    default:
      return n;
  }
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
  return {
    kind: 'string',
    value,
    inner,
    span,
    ...(tag ? { tag } : {}),
    source: () => scalarSource(type, value, text, inner),
  };
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
