// Minimal YAML edits in the file's own style: insert a mapping entry, remove an entry's lines.
import { isMap, isScalar, parseAllDocuments, type Document, type Node as YamlNode, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { atLineStart, eolAt, indentAt, lineEnd, lineStart, nextLineStart } from './text';
import { notFixable, type TextEditSpan } from './types';

/** The documents of a YAML text, or NotFixable when it has errors. */
export function parseYamlDocs(text: string): Document.Parsed[] {
  const docs = parseAllDocuments(text);
  const list = Array.isArray(docs) ? docs : [];
  if (!Array.isArray(docs) || list.some((d) => d.errors.length)) notFixable('the YAML does not parse cleanly');
  return list;
}

/** The pair `key` of map `map`. */
export function pairOf(map: unknown, key: string): Pair<Scalar, YamlNode | null> | undefined {
  if (!isMap(map)) return undefined;
  return (map as YAMLMap<Scalar, YamlNode | null>).items.find((p) => isScalar(p.key) && String(p.key.value) === key);
}

/** Write `value` quoted like `like` (a scalar of the file), or plain. */
export function quoteLike(value: string, like: unknown): string {
  const type = isScalar(like) ? like.type : undefined;
  if (type === 'QUOTE_DOUBLE') return JSON.stringify(value);
  if (type === 'QUOTE_SINGLE') return `'${value.replace(/'/g, "''")}'`;
  return value;
}

/** Insert `key: value` (already quoted) as the first entry of map `map`. */
export function insertEntry(text: string, map: YAMLMap, key: string, value: string): TextEditSpan {
  const first = map.items[0];
  const firstKey = first?.key as YamlNode | undefined;
  if (map.flow) {
    const [s, e] = map.range!;
    if (!firstKey?.range) return { span: { start: s, end: e }, newText: `{${key}: ${value}}` };
    return { span: { start: firstKey.range[0], end: firstKey.range[0] }, newText: `${key}: ${value}, ` };
  }
  if (!firstKey?.range || !atLineStart(text, firstKey.range[0])) notFixable('the mapping does not start on a line of its own');
  const at = lineStart(text, firstKey.range[0]);
  return { span: { start: at, end: at }, newText: `${indentAt(text, at)}${key}: ${value}${eolAt(text, at)}` };
}

/** Insert lines after the line holding `offset` (a key whose value is empty or new). */
export function insertAfterLine(text: string, offset: number, lines: string[]): TextEditSpan {
  const eol = eolAt(text, offset);
  const end = lineEnd(text, offset);
  const next = nextLineStart(text, offset);
  const body = lines.map((l) => l + eol).join('');
  return next === end ? { span: { start: end, end }, newText: eol + body.slice(0, -eol.length) } : { span: { start: next, end: next }, newText: body };
}

/** Remove a scalar entry of a block mapping: its whole line (the entry must be alone on it). */
export function removeEntryLine(text: string, pair: Pair): TextEditSpan {
  const key = pair.key as YamlNode | null;
  const value = pair.value as YamlNode | null;
  if (!key?.range || !value?.range || !isScalar(value)) notFixable('the entry is not a plain key and value');
  if (!atLineStart(text, key.range[0])) notFixable('the entry shares its line with a list marker or other entries');
  const after = text.slice(value.range[1], lineEnd(text, value.range[1]));
  if (after.trim() !== '' && !after.trim().startsWith('#')) notFixable('the entry shares its line with other entries');
  if (lineStart(text, value.range[1]) !== lineStart(text, key.range[0])) notFixable('the entry spans several lines');
  return { span: { start: lineStart(text, key.range[0]), end: nextLineStart(text, key.range[0]) }, newText: '' };
}
