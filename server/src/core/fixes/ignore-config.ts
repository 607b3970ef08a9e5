// "Ignore in .knowngood.yaml": an `ignore:` entry (path relative to the config's folder, pointer, rule),
// appended in the file's style, or a new file.
import * as path from 'path';
import { isMap, isScalar, isSeq, parseDocument, type Node as YamlNode } from 'yaml';
import { stripBom } from '../analyze';
import { CONFIG_FILE_NAMES } from '../config';
import { eolAt, indentAt, lineEnd, lineStart, nextLineStart } from './text';
import { notFixable, type FileEdits, type TextEditSpan } from './types';

/** Path of `file` relative to `root`, exactly as `analyze` matches ignore entries (relative paths are already relative to the root). */
export function relativeTo(root: string, file: string): string {
  if (!path.posix.isAbsolute(file) && !path.posix.isAbsolute(root)) return path.posix.normalize(file);
  return path.posix.relative(root, file);
}

const PLAIN = /^[A-Za-z0-9_./@~-][A-Za-z0-9_./@~ -]*$/;
function scalar(value: string): string {
  return PLAIN.test(value) && !/\s$/.test(value) && !/^(true|false|null|yes|no|on|off|~)$/i.test(value) ? value : JSON.stringify(value);
}

const REASON = 'reason';

/** The entry's lines (block style) with the reason comment first; `placeholder` locates `reason` in the joined text. */
function entryLines(rel: string, pointer: string | undefined, rule: string, indent: string): string[] {
  return [
    `${indent}# ${REASON}`,
    `${indent}- path: ${scalar(rel)}`,
    ...(pointer !== undefined ? [`${indent}  pointer: ${scalar(pointer)}`] : []),
    `${indent}  rules: [${rule}]`,
  ];
}

function withPlaceholder(edit: TextEditSpan): TextEditSpan {
  const at = edit.newText.indexOf(`# ${REASON}`) + 2;
  return { ...edit, placeholder: { start: at, end: at + REASON.length } };
}

/** The FileEdits adding an ignore entry for (`file`, `pointer`, `rule`) to the config under `root`. */
export function configEntryEdits(files: ReadonlyMap<string, string>, root: string, file: string, pointer: string | undefined, rule: string): FileEdits {
  const names = CONFIG_FILE_NAMES.map((n) => (root ? path.posix.join(root, n) : n));
  const existing = names.find((n) => files.has(n));
  const configPath = existing ?? names[0];
  const rel = relativeTo(root, file);
  if (!existing) {
    const text = ['ignore:', ...entryLines(rel, pointer, rule, '  '), ''].join('\n');
    return { file: configPath, create: true, edits: [withPlaceholder({ span: { start: 0, end: 0 }, newText: text })] };
  }
  const text = stripBom(files.get(existing)!);
  return { file: configPath, edits: [withPlaceholder(appendEntry(text, rel, pointer, rule))] };
}

function appendEntry(text: string, rel: string, pointer: string | undefined, rule: string): TextEditSpan {
  const eol = eolAt(text);
  const doc = parseDocument(text);
  if (doc.errors.length) notFixable('.knowngood.yaml has errors: fix them first');
  const root = doc.contents as YamlNode | null;
  const atEnd = (lines: string[]): TextEditSpan => {
    const lead = text.length && !/[\r\n]$/.test(text) ? eol : '';
    return { span: { start: text.length, end: text.length }, newText: lead + lines.map((l) => l + eol).join('') };
  };
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) return atEnd(['ignore:', ...entryLines(rel, pointer, rule, '  ')]);
  if (!isMap(root) || root.flow) notFixable('.knowngood.yaml is not a block mapping');
  const pair = root.items.find((p) => isScalar(p.key) && p.key.value === 'ignore');
  if (!pair) return atEnd(['ignore:', ...entryLines(rel, pointer, rule, '  ')]);
  const value = pair.value as YamlNode | null;
  const key = pair.key as YamlNode;
  if (value === null || (isScalar(value) && value.value === null)) {
    const at = nextLineStart(text, key.range![0]);
    const lines = entryLines(rel, pointer, rule, `${indentAt(text, key.range![0])}  `);
    const lead = at === lineEnd(text, key.range![0]) ? eol : '';
    return { span: { start: at, end: at }, newText: lead + lines.map((l) => l + eol).join('') };
  }
  if (!isSeq(value)) notFixable('`ignore` in .knowngood.yaml is not a list');
  if (value.flow) {
    const close = value.range![1] - 1;
    const item = `{path: ${scalar(rel)}${pointer !== undefined ? `, pointer: ${scalar(pointer)}` : ''}, rules: [${rule}]}`;
    return { span: { start: close, end: close }, newText: `${value.items.length ? ', ' : ''}${item}` };
  }
  const first = value.range![0];
  const indent = text.slice(lineStart(text, first), first);
  const last = value.items[value.items.length - 1] as YamlNode;
  const at = nextLineStart(text, (last.range?.[1] ?? value.range![1]) - 1);
  const lead = at === text.length && !/[\r\n]$/.test(text) ? eol : '';
  return { span: { start: at, end: at }, newText: lead + entryLines(rel, pointer, rule, /^[ \t]*$/.test(indent) ? indent : '  ').map((l) => l + eol).join('') };
}
