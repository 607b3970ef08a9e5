// Parses YAML (multi-document, CloudFormation short tags, anchors and merge keys) into DNode trees with exact spans.
import { isAlias, isMap, isScalar, isSeq, parseAllDocuments, visit, type Alias, type Document, type Node as YamlNode, type Scalar } from 'yaml';
import { coarseSource, exactSource, type ShellSource } from '../model';
import type { Span } from '../types';
import type { DEntry, DMap, DNode } from './doc-tree';
import { trimEnd } from './doc-tree';
import { decodeQuoted, linesSource } from './sources';

export interface YamlParse {
  /** One tree per document that has content. */
  docs: DNode[];
  problems: { span: Span; message: string }[];
}

/**
 * Parse every document of `text`. Never throws: syntax errors become problems and the documents keep
 * whatever parsed. Unknown tags (`!Ref`, `!Sub`, …) are kept on the nodes (`DNode.tag`).
 */
export function parseYaml(text: string): YamlParse {
  const out: YamlParse = { docs: [], problems: [] };
  let documents: Document.Parsed[];
  try {
    documents = parseAllDocuments(text, { uniqueKeys: false, prettyErrors: false, merge: false, strict: false }) as Document.Parsed[];
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

class Converter {
  private readonly memo = new Map<YamlNode, DNode>();
  private targets?: Map<Alias, YamlNode | undefined>;

  constructor(
    private readonly text: string,
    private readonly doc: Document.Parsed,
  ) {}

  convert(node: YamlNode | null | undefined, depth: number): DNode | undefined {
    if (!node || depth > 100) return undefined;
    if (isAlias(node)) {
      const target = this.aliasTarget(node);
      return target && target !== node ? this.convert(target, depth + 1) : undefined;
    }
    const known = this.memo.get(node);
    if (known) return known;
    const range = node.range ?? [0, 0, 0];
    const tag = localTag(node.tag);
    const start = tag ? this.tagStart(range[0], tag) : range[0];
    if (isScalar(node)) {
      const d = this.scalar(node, start, tag);
      this.memo.set(node, d);
      return d;
    }
    const span = trimEnd(this.text, start, range[1]);
    if (isSeq(node)) {
      const d: DNode = { kind: 'seq', items: [], span, ...(tag ? { tag } : {}) };
      this.memo.set(node, d);
      for (const item of node.items) {
        const c = this.convert(item as YamlNode, depth + 1);
        if (c) d.items.push(c);
      }
      return d;
    }
    if (isMap(node)) {
      const d: DMap = { kind: 'map', entries: [], span, ...(tag ? { tag } : {}) };
      this.memo.set(node, d);
      const merged: DEntry[] = [];
      for (const pair of node.items) {
        const key = pair.key as YamlNode | null;
        if (!isScalar(key) || key.value === null || typeof key.value === 'object') continue;
        const value = this.convert(pair.value as YamlNode | null, depth + 1);
        if (key.value === '<<' && key.type === 'PLAIN') {
          // Merge keys: entries of the merged maps that the map does not set itself.
          for (const m of value?.kind === 'seq' ? value.items : value ? [value] : []) if (m.kind === 'map') merged.push(...m.entries);
          continue;
        }
        const keySpan = { start: key.range?.[0] ?? 0, end: key.range?.[1] ?? 0 };
        const end = value ? value.span.end : keySpan.end;
        d.entries.push({ key: String(key.value), keySpan, value, span: { start: keySpan.start, end: Math.max(end, keySpan.end) } });
      }
      for (const e of merged) if (!d.entries.some((x) => x.key === e.key)) d.entries.push(e);
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
    const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
    const inner = quoted ? { start: range[0] + 1, end: Math.max(range[0] + 1, range[1] - 1) } : trimEnd(this.text, range[0], range[1]);
    const text = this.text;
    return {
      kind: 'string',
      value: str,
      inner,
      span,
      ...(tag ? { tag } : {}),
      source: () => scalarSource(node, str, text, inner),
    };
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

/** The tag when it is a local one (`!Ref`), not a core-schema tag. */
function localTag(tag: string | undefined): string | undefined {
  return tag && tag.startsWith('!') && !tag.startsWith('!!') ? tag : undefined;
}

/** The decoded scalar with its map: exact where the document holds it verbatim or with simple escapes. */
function scalarSource(node: Scalar, value: string, text: string, inner: Span): ShellSource {
  const raw = text.slice(inner.start, inner.end);
  switch (node.type) {
    case 'PLAIN':
      return raw === value ? exactSource(value, inner.start) : coarseSource(value, inner);
    case 'QUOTE_SINGLE':
    case 'QUOTE_DOUBLE': {
      const s = decodeQuoted(raw, inner.start, node.type === 'QUOTE_SINGLE' ? 'yaml-single' : 'yaml-double');
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
