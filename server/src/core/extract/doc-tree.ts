// A format-neutral document tree (built from JSON, YAML or HCL) with source spans, read by the extractors.
import type { ShellSource } from '../model';
import type { Span } from '../types';
import type { ImagePart } from './image-site';

interface DBase {
  /** The value as written: quotes included, a YAML tag (`!Ref`) included. */
  span: Span;
  /** A YAML local tag such as `!Ref`, `!Sub`. */
  tag?: string;
}

/** A string value. */
export interface DString extends DBase {
  kind: 'string';
  /** The decoded value (for a template string: the template as written, with escapes decoded). */
  value: string;
  /** The content without quotes. */
  inner: Span;
  /** The decoded text with its map back to the document (exact or coarse). */
  source(): ShellSource;
  /** For a template (HCL `"${x}:latest"`): literal and interpolated parts. */
  parts?: ImagePart[];
}

/** A number, boolean or null. */
export interface DScalar extends DBase {
  kind: 'scalar';
  value: number | boolean | null;
  /** The scalar as written. */
  raw: string;
}

export interface DEntry {
  key: string;
  keySpan: Span;
  value?: DNode;
  /** From the key to the end of the value. */
  span: Span;
}

export interface DMap extends DBase {
  kind: 'map';
  entries: DEntry[];
}

export interface DSeq extends DBase {
  kind: 'seq';
  items: DNode[];
}

/** An expression that is not a literal (HCL `var.x`, `local.y`, a function call). */
export interface DExpr extends DBase {
  kind: 'expr';
  text: string;
  parts: ImagePart[];
}

export type DNode = DString | DScalar | DMap | DSeq | DExpr;

/** The entry of `map` named `key`, compared case-insensitively (ECS `image` vs CloudFormation `Image`). */
export function entryOf(map: DNode | undefined, key: string): DEntry | undefined {
  if (!map || map.kind !== 'map') return undefined;
  const lower = key.toLowerCase();
  return map.entries.find((e) => e.key === key) ?? map.entries.find((e) => e.key.toLowerCase() === lower);
}

/** The value of `map[key]` (case-insensitive). */
export function valueOf(map: DNode | undefined, key: string): DNode | undefined {
  return entryOf(map, key)?.value;
}

/** The string value of `map[key]` when it is a plain string. */
export function stringOf(map: DNode | undefined, key: string): string | undefined {
  const v = valueOf(map, key);
  return v?.kind === 'string' && !v.tag && !v.parts ? v.value : undefined;
}

/** Append one reference token to a JSON pointer (RFC 6901 escaping). */
export function pointerJoin(base: string, token: string | number): string {
  return `${base}/${String(token).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/** The span of `text` between `start` and `end` with trailing whitespace removed. */
export function trimEnd(text: string, start: number, end: number): Span {
  let e = Math.min(end, text.length);
  while (e > start && /\s/.test(text[e - 1])) e--;
  return { start, end: e };
}

/** Collapse whitespace and cap the length of an expression for messages. */
export function expressionText(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > 120 ? `${t.slice(0, 117)}...` : t;
}
