// Input limits: files too large, binary, not UTF-8 or nested too deeply are not analysed; one
// informational `skipped-file` diagnostic says why instead (and how to change the size limit).
import { LineIndex } from './line-index';
import type { Finding } from './types';

/** Code of the diagnostic that reports a file Known Good did not analyse. Not a rule. */
export const SKIPPED_FILE = 'skipped-file';
/** Default of `Settings.maxFileSize` (bytes of UTF-8): the `knownGood.maxFileSizeKB` setting's 1024. */
export const DEFAULT_MAX_FILE_SIZE = 1024 * 1024;
/** Brackets (`[`, `{`, `(`) nested deeper than this: no real file does, and parsers recurse on them. */
export const MAX_NESTING = 200;
/** Share of U+FFFD replacement characters above which text is taken as not UTF-8 at all. */
const MAX_REPLACEMENT_SHARE = 0.1;
/** Fewer replacement characters than this never make a file "not UTF-8" (a stray byte in a comment). */
const MIN_REPLACEMENTS = 8;

export type SkipKind = 'too-large' | 'binary' | 'not-utf8' | 'too-deep';

/** Why a file is not analysed. */
export interface SkipReason {
  kind: SkipKind;
  /** The diagnostic's message: what was found and what to do about it. */
  message: string;
}

/** UTF-8 byte length of `text` (lone surrogates count as the 3 bytes of U+FFFD, as encoders write them). */
export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** The deepest bracket nesting in `text`, counting stops once `stopAt` is exceeded; with the offset where it was reached. */
export function nestingDepth(text: string, stopAt = MAX_NESTING): { depth: number; offset: number } {
  let depth = 0;
  let max = 0;
  let offset = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b || c === 0x28) {
      if (++depth > max) {
        max = depth;
        offset = i;
        if (max > stopAt) break;
      }
    } else if ((c === 0x5d || c === 0x7d || c === 0x29) && depth > 0) depth--;
  }
  return { depth: max, offset };
}

function size(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/** The reason for a file over the size limit (also used by callers that do not read such files whole). */
export function tooLarge(bytes: number, maxFileSize: number): SkipReason {
  return {
    kind: 'too-large',
    message:
      `Known Good did not analyse this file: it is ${size(bytes)}, over the ${Math.round(maxFileSize / 1024)} KB limit. ` +
      'Raise the limit with the setting knownGood.maxFileSizeKB if the file really is this large.',
  };
}

/**
 * Why `text` must not be analysed, or undefined when it can be. Cheap (one pass at most): the size
 * first, then NUL bytes (binary, UTF-16), replacement characters (not UTF-8), bracket nesting.
 */
export function skipReason(text: string, maxFileSize: number = DEFAULT_MAX_FILE_SIZE): SkipReason | undefined {
  // Every character is at least one byte, at most three per UTF-16 unit: only count when it matters.
  if (text.length > maxFileSize || (text.length * 3 > maxFileSize && utf8Length(text) > maxFileSize)) return tooLarge(utf8Length(text), maxFileSize);
  if (text.includes('\0')) {
    return { kind: 'binary', message: 'Known Good did not analyse this file: it contains NUL bytes, so it is binary or not UTF-8 (UTF-16?). Save it as UTF-8 text to have it analysed.' };
  }
  let replacements = 0;
  for (let i = text.indexOf('\ufffd'); i >= 0; i = text.indexOf('\ufffd', i + 1)) replacements++;
  if (replacements >= MIN_REPLACEMENTS && replacements > text.length * MAX_REPLACEMENT_SHARE) {
    return {
      kind: 'not-utf8',
      message: `Known Good did not analyse this file: it is not UTF-8 text (${replacements} of its ${text.length} characters could not be decoded). Save it as UTF-8 to have it analysed.`,
    };
  }
  const nesting = nestingDepth(text);
  if (nesting.depth > MAX_NESTING) {
    return {
      kind: 'too-deep',
      message: `Known Good did not analyse this file: its brackets nest more than ${MAX_NESTING} levels deep (line ${lineOf(text, nesting.offset)}), deeper than any real file; it is probably generated or damaged.`,
    };
  }
  return undefined;
}

function lineOf(text: string, offset: number): number {
  return new LineIndex(text).position(offset).line + 1;
}

/** The one diagnostic of a skipped file: information at its first character. */
export function skippedFinding(file: string, reason: SkipReason): Finding {
  return {
    ruleId: SKIPPED_FILE,
    message: reason.message,
    severity: 'info',
    location: { file, span: { start: 0, end: 0 } },
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    data: { reason: reason.kind },
  };
}

/** Whether an exception is a JavaScript stack overflow (deep recursion in a parser). */
export function isStackOverflow(e: unknown): boolean {
  return e instanceof RangeError && /call stack/i.test(e.message);
}
