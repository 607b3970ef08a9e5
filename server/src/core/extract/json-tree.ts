// Parses JSON (comments and trailing commas tolerated, template placeholders masked) into a DNode tree.
import { parseTree, printParseErrorCode, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import { coarseSource } from '../model';
import { jsonStringSource } from '../json-source';
import type { Span } from '../types';
import type { DNode } from './doc-tree';
import { matchBrace } from './image-site';

export interface JsonParse {
  root?: DNode;
  problems: { span: Span; message: string }[];
  /** Whether template syntax (`${…}`, `%{…}`) outside strings was masked before parsing. */
  templated: boolean;
}

/**
 * Parse `text` (which sits at offset `base` of the document `doc`) as JSON. Terraform template
 * syntax outside strings (`"cpu": ${cpu}`, `%{ for … }`) is masked with same-length filler first, so
 * offsets stay exact and the rest still parses.
 */
export function parseJson(doc: string, start = 0, end = doc.length): JsonParse {
  const { text, templated } = maskTemplates(doc.slice(start, end));
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
  const problems = errors.map((e) => {
    const s = Math.min(start + e.offset, doc.length);
    return { span: { start: s, end: Math.min(s + Math.max(e.length, 1), end) }, message: `JSON: ${printParseErrorCode(e.error)}` };
  });
  return { root: tree ? convert(tree, doc, start, 0) : undefined, problems, templated };
}

function convert(node: JsonNode, doc: string, base: number, depth: number): DNode {
  const span = { start: base + node.offset, end: base + node.offset + node.length };
  if (depth > 200) return { kind: 'scalar', value: null, raw: doc.slice(span.start, span.end), span };
  switch (node.type) {
    case 'object': {
      const entries = [];
      for (const prop of node.children ?? []) {
        const [k, v] = prop.children ?? [];
        if (!k || typeof k.value !== 'string') continue;
        const keySpan = { start: base + k.offset, end: base + k.offset + k.length };
        const value = v ? convert(v, doc, base, depth + 1) : undefined;
        entries.push({ key: k.value, keySpan, value, span: { start: keySpan.start, end: value ? value.span.end : keySpan.end } });
      }
      return { kind: 'map', entries, span };
    }
    case 'array':
      return { kind: 'seq', items: (node.children ?? []).map((c) => convert(c, doc, base, depth + 1)), span };
    case 'string': {
      const raw = doc.slice(span.start, span.end);
      const closed = raw.length >= 2 && raw.endsWith('"');
      const inner = { start: span.start + 1, end: closed ? span.end - 1 : span.end };
      const value = String(node.value ?? '');
      return {
        kind: 'string',
        value,
        inner,
        span,
        source: () => jsonStringSource(raw, span.start) ?? coarseSource(value, inner),
      };
    }
    default:
      return { kind: 'scalar', value: node.value ?? null, raw: doc.slice(span.start, span.end), span };
  }
}

/**
 * Replace `${…}` and `%{…}` outside JSON strings by filler of the same length (`0` then spaces for
 * an interpolation, spaces for a directive). Inside strings they are left as they are.
 */
export function maskTemplates(text: string): { text: string; templated: boolean } {
  if (!text.includes('${') && !text.includes('%{')) return { text, templated: false };
  let out = '';
  let templated = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"' && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if ((c === '$' || c === '%') && text[i + 1] === '{') {
      const end = matchBrace(text, i + 1);
      const len = end - i;
      out += (c === '$' ? '0' : ' ') + text.slice(i + 1, end).replace(/[^\r\n]/g, ' ');
      templated = true;
      i += len;
    } else {
      out += c;
      i++;
    }
  }
  return { text: out.slice(0, text.length), templated };
}
