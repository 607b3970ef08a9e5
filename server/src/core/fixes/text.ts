// Line-level helpers the fixes share: line ends, line bounds, indentation, and applying FileEdits.
import { applyEdits } from './pin';
import type { FileEdits, TextEditSpan } from './types';

/** The line end to write next to `offset`: the one ending that line, else the file's first, else `\n`. */
export function eolAt(text: string, offset = 0): string {
  const rest = /\r\n|\r|\n/.exec(text.slice(offset));
  if (rest) return rest[0];
  const any = /\r\n|\r|\n/.exec(text);
  return any ? any[0] : '\n';
}

/** Offset of the start of the line holding `offset`. */
export function lineStart(text: string, offset: number): number {
  let i = Math.min(offset, text.length);
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

/** Offset of the end of the line holding `offset` (before its line end). */
export function lineEnd(text: string, offset: number): number {
  let i = Math.max(0, offset);
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}

/** Offset just after the line end of the line holding `offset` (the text's length on the last line). */
export function nextLineStart(text: string, offset: number): number {
  const e = lineEnd(text, offset);
  if (text[e] === '\r' && text[e + 1] === '\n') return e + 2;
  return e < text.length ? e + 1 : e;
}

/** The leading blanks of the line holding `offset`. */
export function indentAt(text: string, offset: number): string {
  const s = lineStart(text, offset);
  return /^[ \t]*/.exec(text.slice(s))![0];
}

/** Whether only blanks precede `offset` on its line. */
export function atLineStart(text: string, offset: number): boolean {
  return text.slice(lineStart(text, offset), offset).trim() === '';
}

/** Insert `lines` (each ended by `eol`) before the line starting at `at`. */
export function insertLines(at: number, lines: string[], eol: string): TextEditSpan {
  return { span: { start: at, end: at }, newText: lines.map((l) => l + eol).join('') };
}

/** Apply the edits of one file to its text (new files start empty). */
export function applyFileEdits(text: string, fe: FileEdits): string {
  return applyEdits(fe.create ? '' : text, fe.edits);
}

/** Quote a Dockerfile/shell word only when it needs it (single quotes, POSIX style). */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
