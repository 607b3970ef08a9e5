// Converts tree-sitter HCL expressions (objects, tuples, strings, templates, heredocs) into DNode trees.
import { coarseSource, exactSource, type ShellSource } from '../model';
import type { SyntaxNode } from '../treesitter';
import type { Span } from '../types';
import { expressionText, type DEntry, type DNode } from './doc-tree';
import { hclNode, type HclNode } from './hcl-node';
import type { ImagePart, VariablePart } from './image-site';
import { decodeQuoted, joinSources, linesSource } from './sources';

/** What the Terraform file declares that expressions refer to: `variable "x" { default = … }`. */
export interface HclScope {
  text: string;
  defaults: Map<string, string>;
}

/** The named children of a tree-sitter node (the extractor reads them through {@link HclNode}). */
export function named(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let i = 0; i < node.namedChildCount; i++) {
    const c = node.namedChild(i);
    if (c) out.push(c);
  }
  return out;
}

/** Strip `expression` wrappers that hold a single term. */
export function unwrap(node: HclNode): HclNode {
  let n = node;
  while (n.type === 'expression' || n.type === 'literal_value' || n.type === 'collection_value') {
    if (n.namedCount !== 1) break;
    n = n.firstNamed!;
  }
  return n;
}

/** A variable part for an HCL expression: `var.x` brings its default, `….repository_url` is a repository URL. */
export function hclVariablePart(expression: string, inner: string, scope: HclScope): VariablePart {
  const e = inner.trim();
  const v = /^var\.([A-Za-z_][\w-]*)$/.exec(e);
  const part: VariablePart = { expression };
  if (v && scope.defaults.has(v[1])) {
    part.defaultValue = scope.defaults.get(v[1]);
    part.defaultSource = `variable "${v[1]}" default`;
  }
  if (/\.repository_url$/.test(e)) part.repository = true;
  return part;
}

/** Convert an HCL expression node into a DNode. */
export function hclToDNode(node: HclNode | SyntaxNode, scope: HclScope, depth = 0): DNode {
  const n = unwrap(hclNode(node));
  const span = { start: n.startIndex, end: n.endIndex };
  const text = scope.text.slice(span.start, span.end);
  if (depth > 100) return expr(text, span, scope);
  switch (n.type) {
    case 'string_lit':
      return quoted(n, scope);
    case 'template_expr': {
      const t = n.firstNamed;
      if (t?.type === 'quoted_template') return quoted(t, scope);
      if (t?.type === 'heredoc_template') return heredoc(t, scope) ?? expr(text, span, scope);
      return expr(text, span, scope);
    }
    case 'numeric_lit':
      return { kind: 'scalar', value: Number(text), raw: text, span };
    case 'bool_lit':
      return { kind: 'scalar', value: text === 'true', raw: text, span };
    case 'null_lit':
      return { kind: 'scalar', value: null, raw: text, span };
    case 'tuple':
      return { kind: 'seq', items: n.named.filter((c) => c.type === 'expression').map((c) => hclToDNode(c, scope, depth + 1)), span };
    case 'object': {
      const entries: DEntry[] = [];
      for (const elem of n.named) {
        if (elem.type !== 'object_elem') continue;
        const k = elem.field('key');
        const v = elem.field('val');
        if (!k || !v) continue;
        const key = objectKey(k, scope);
        if (key === undefined) continue;
        entries.push({ key, keySpan: { start: k.startIndex, end: k.endIndex }, value: hclToDNode(v, scope, depth + 1), span: { start: elem.startIndex, end: elem.endIndex } });
      }
      return { kind: 'map', entries, span };
    }
    default:
      return expr(text, span, scope);
  }
}

function expr(text: string, span: Span, scope: HclScope): DNode {
  const expression = expressionText(text);
  return { kind: 'expr', text, span, parts: [hclVariablePart(expression, text, scope)] };
}

/** An object key: a bare identifier or a literal string. */
function objectKey(k: HclNode, scope: HclScope): string | undefined {
  const n = unwrap(k);
  if (n.type === 'variable_expr' && n.namedCount === 1) return scope.text.slice(n.startIndex, n.endIndex);
  const d = hclToDNode(n, scope);
  return d.kind === 'string' && !d.parts ? d.value : undefined;
}

/** A quoted string or template: literal pieces decoded, `${…}` and `%{…}` kept as variable parts. */
function quoted(n: HclNode, scope: HclScope): DNode {
  const span = { start: n.startIndex, end: n.endIndex };
  const closed = scope.text[span.end - 1] === '"' && span.end - span.start >= 2;
  const inner = { start: span.start + 1, end: closed ? span.end - 1 : span.end };
  const pieces: { source: ShellSource; part: ImagePart }[] = [];
  let pos = inner.start;
  const literal = (end: number) => {
    if (end <= pos) return;
    const raw = scope.text.slice(pos, end);
    const s = decodeQuoted(raw, pos, 'hcl') ?? coarseSource(raw, { start: pos, end });
    pieces.push({ source: s, part: { literal: s.text } });
  };
  // Without `${` or `%{` in its text, a string has no interpolation or directive: its children need not be read.
  const interpolated = /[$%]\{/.test(scope.text.slice(span.start, span.end));
  for (const c of interpolated ? n.named : []) {
    if (c.type !== 'template_interpolation' && c.type !== 'template_directive') continue;
    literal(c.startIndex);
    const raw = scope.text.slice(c.startIndex, c.endIndex);
    const innerExpr = c.type === 'template_interpolation' ? raw.replace(/^\$\{~?/, '').replace(/~?\}$/, '') : raw;
    pieces.push({ source: exactSource(raw, c.startIndex), part: c.type === 'template_interpolation' ? hclVariablePart(raw, innerExpr, scope) : { expression: raw } });
    pos = c.endIndex;
  }
  literal(inner.end);
  const value = pieces.map((p) => p.source.text).join('');
  const templated = pieces.some((p) => !('literal' in p.part));
  const source = pieces.length ? joinSources(pieces.map((p) => p.source), '') : exactSource('', inner.start);
  return {
    kind: 'string',
    value,
    inner,
    span,
    source: () => source,
    ...(templated ? { parts: pieces.map((p) => p.part) } : {}),
  };
}

/** A heredoc (`<<EOF` / `<<-EOF`): the content lines, indentation stripped for `<<-`. */
function heredoc(n: HclNode, scope: HclScope): DNode | undefined {
  const span = { start: n.startIndex, end: n.endIndex };
  const ids = n.named.filter((c) => c.type === 'heredoc_identifier');
  if (ids.length < 2) return undefined;
  const headerEnd = scope.text.indexOf('\n', ids[0].endIndex);
  if (headerEnd < 0) return undefined;
  const contentStart = headerEnd + 1;
  const closeLine = scope.text.lastIndexOf('\n', ids[ids.length - 1].startIndex - 1) + 1;
  if (closeLine < contentStart) return { kind: 'string', value: '', inner: { start: contentStart, end: contentStart }, span, source: () => exactSource('', contentStart) };
  const raw = scope.text.slice(contentStart, closeLine).replace(/\r\n/g, '\n');
  let value = raw;
  if (/^<<-/.test(scope.text.slice(n.startIndex, ids[0].startIndex))) {
    const lines = raw.split('\n');
    const indents = lines.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)![0].length);
    const cut = indents.length ? Math.min(...indents) : 0;
    value = lines.map((l) => l.slice(Math.min(cut, /^[ \t]*/.exec(l)![0].length))).join('\n');
  }
  const inner = { start: contentStart, end: closeLine };
  return { kind: 'string', value, inner, span, source: () => linesSource(value, scope.text, contentStart, inner) };
}

/** The heredoc content span of a `container_definitions = <<EOF … EOF` value, for JSON parsing. */
export function heredocContent(node: HclNode | SyntaxNode, scope: HclScope): Span | undefined {
  const n = unwrap(hclNode(node));
  const t = n.type === 'template_expr' ? n.firstNamed : undefined;
  if (t?.type !== 'heredoc_template') return undefined;
  const d = heredoc(t, scope);
  return d?.kind === 'string' ? d.inner : undefined;
}
