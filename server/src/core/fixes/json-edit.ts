// Minimal JSON edits in the file's own style: insert an object member, remove one (commas kept right).
import { findNodeAtLocation, parseTree, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import { indentAt, lineStart } from './text';
import { notFixable, type TextEditSpan } from './types';

/** Parse strictly (no comments, no trailing commas expected) and return the root, or NotFixable. */
export function parseJsonStrict(text: string): JsonNode {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: false });
  if (!root || errors.length) notFixable('the JSON does not parse cleanly');
  return root;
}

/** The node at `path` (keys and indices), or undefined. */
export function nodeAt(root: JsonNode, path: (string | number)[]): JsonNode | undefined {
  return findNodeAtLocation(root, path);
}

/** JSON pointer → path segments. */
export function pointerPath(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((t) => (/^(0|[1-9]\d*)$/.test(t) ? Number(t) : t));
}

/** How members are written in this file: the text between a key and its value (`": "`), and the indent step. */
function style(text: string, obj: JsonNode): { colon: string; step: string; eol: string; multiline: boolean } {
  const first = obj.children?.[0];
  const pair = first ?? (obj.parent?.type === 'property' ? obj.parent : undefined);
  const colon = pair?.children?.[1] ? text.slice(pair.children[0].offset + pair.children[0].length, pair.children[1].offset) : ': ';
  const keyLine = indentAt(text, obj.parent?.offset ?? obj.offset);
  const memberLine = first ? indentAt(text, first.offset) : keyLine;
  const step = memberLine.length > keyLine.length && memberLine.startsWith(keyLine) ? memberLine.slice(keyLine.length) : '  ';
  const eol = /\r\n/.test(text) ? '\r\n' : '\n';
  return { colon: /^\s*:\s*$/.test(colon) ? colon : ': ', step, eol, multiline: /[\r\n]/.test(text.slice(obj.offset, obj.offset + obj.length)) || /[\r\n]/.test(text) };
}

/** Render a member `"key": value` where value is a string or a nested one-member object. */
function render(key: string, value: string | { key: string; value: string }, s: ReturnType<typeof style>, indent: string): string {
  if (typeof value === 'string') return `${JSON.stringify(key)}${s.colon}${JSON.stringify(value)}`;
  const inner = render(value.key, value.value, s, indent + s.step);
  return s.multiline
    ? `${JSON.stringify(key)}${s.colon}{${s.eol}${indent}${s.step}${inner}${s.eol}${indent}}`
    : `${JSON.stringify(key)}${s.colon}{${inner}}`;
}

/** Insert `key: value` as the first member of object `obj`. */
export function insertMember(text: string, obj: JsonNode, key: string, value: string | { key: string; value: string }): TextEditSpan {
  if (obj.type !== 'object') notFixable('the value is not a JSON object');
  const s = style(text, obj);
  const first = obj.children?.[0];
  if (first) {
    const between = text.slice(obj.offset + 1, first.offset);
    const indent = /[\r\n]/.test(between) ? indentAt(text, first.offset) : '';
    return { span: { start: first.offset, end: first.offset }, newText: `${render(key, value, s, indent)},${between}` };
  }
  const close = indentAt(text, obj.offset);
  const member = render(key, value, s, close + s.step);
  const newText = s.multiline ? `{${s.eol}${close}${s.step}${member}${s.eol}${close}}` : `{${member}}`;
  return { span: { start: obj.offset, end: obj.offset + obj.length }, newText };
}

/** Insert `key: value` right after property `prop` of its object (in the separator style of the object). */
export function insertMemberAfter(text: string, prop: JsonNode, key: string, value: string | { key: string; value: string }): TextEditSpan {
  const obj = prop.parent;
  const first = obj?.children?.[0];
  if (!obj || !first) notFixable('the member was not found');
  const s = style(text, obj);
  const between = text.slice(obj.offset + 1, first.offset);
  const indent = /[\r\n]/.test(between) ? indentAt(text, first.offset) : '';
  const end = prop.offset + prop.length;
  return { span: { start: end, end }, newText: `,${between}${render(key, value, s, indent)}` };
}

/** Remove property node `prop` (key and value) with the right comma. */
export function removeMember(text: string, prop: JsonNode): TextEditSpan {
  const obj = prop.parent;
  const siblings = obj?.children ?? [];
  const i = siblings.indexOf(prop);
  const end = prop.offset + prop.length;
  if (i >= 0 && i < siblings.length - 1) {
    const next = siblings[i + 1];
    // Alone on its line: take the line, so the next member keeps its own indentation.
    const own = lineStart(text, prop.offset);
    const alone = lineStart(text, next.offset) !== own && text.slice(own, prop.offset).trim() === '';
    return { span: alone ? { start: own, end: lineStart(text, next.offset) } : { start: prop.offset, end: next.offset }, newText: '' };
  }
  if (i > 0) {
    const prev = siblings[i - 1];
    return { span: { start: prev.offset + prev.length, end }, newText: '' };
  }
  return { span: { start: prop.offset, end }, newText: '' };
}
