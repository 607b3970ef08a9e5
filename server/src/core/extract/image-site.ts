// Builds an ImageSite from an image reference split into literal and variable parts.
import { splitReference } from '../image-ref';
import { VARIABLE_REPOSITORY, type ImageContext, type ImageSite } from '../model';
import type { Span } from '../types';

/** A piece of an image reference: literal text, or a variable with what is known about it. */
export type ImagePart =
  | { literal: string }
  | {
      /** How the variable is written, e.g. `${IMAGE}`, `var.image`, `!Ref ImageParam`. */
      expression: string;
      defaultValue?: string;
      defaultSource?: string;
      /** The variable is known to hold a repository URL without a tag (an ECR `repository_url` / `RepositoryUri`). */
      repository?: boolean;
    };

export type VariablePart = Exclude<ImagePart, { literal: string }>;

const MARK = '\u0000';
const REPO_MARK = '\u0001';

/**
 * Describe an image reference. When a variable covers only the registry/repository part (the tag or
 * digest is literal, or the variable is a known repository URL), `covers` is `registry` and the
 * reference resolves to VARIABLE_REPOSITORY plus the literal tag; otherwise `tag-or-whole`. Known
 * defaults are substituted: with every default known, `resolved` is the full substituted reference.
 */
export function makeImageSite(
  parts: ImagePart[],
  span: Span,
  text: string,
  context: ImageContext,
  pointer?: string,
): ImageSite {
  const site: ImageSite = { span, text, context };
  if (pointer !== undefined) site.pointer = pointer;
  const vars = parts.filter((p): p is VariablePart => !('literal' in p));
  if (vars.length === 0) {
    site.resolved = parts.map((p) => ('literal' in p ? p.literal : '')).join('');
    return site;
  }
  // Where do the variables sit? Mark each with one character and split the reference around them.
  const marked = (withDefaults: boolean) =>
    parts
      .map((p) => {
        if ('literal' in p) return p.literal.replace(/[\u0000\u0001]/g, '');
        if (withDefaults && p.defaultValue !== undefined) return p.defaultValue.replace(/[\u0000\u0001]/g, '');
        return p.repository ? REPO_MARK : MARK;
      })
      .join('');
  const raw = describe(marked(false));
  const covers = !raw.suffixMarked && (raw.hasSuffix || !raw.lastMarked) ? 'registry' : 'tag-or-whole';
  // The variable that decides: for tag-or-whole the first one in the tag/digest, else in the last component.
  let decider = vars[0];
  if (covers === 'tag-or-whole') {
    const positions = varPositions(parts);
    const inSuffix = vars.find((_, i) => positions[i] >= raw.nameLength);
    const inLast = vars.find((_, i) => positions[i] >= raw.lastStart);
    decider = inSuffix ?? inLast ?? vars[0];
  }
  site.variable = { expression: decider.expression, covers };
  if (decider.defaultValue !== undefined) {
    site.variable.defaultValue = decider.defaultValue;
    if (decider.defaultSource !== undefined) site.variable.defaultSource = decider.defaultSource;
  }
  if (vars.every((v) => v.defaultValue !== undefined)) {
    site.resolved = parts.map((p) => ('literal' in p ? p.literal : p.defaultValue)).join('');
    return site;
  }
  const sub = describe(marked(true));
  if (!sub.suffixMarked && (sub.hasSuffix || !sub.lastMarked)) site.resolved = VARIABLE_REPOSITORY + sub.suffix;
  return site;
}

/** Where marks sit in a marked reference. */
function describe(text: string) {
  const split = splitReference(text);
  const lastStart = split.name.lastIndexOf('/') + 1;
  const suffix = (split.tag !== undefined ? `:${split.tag}` : '') + (split.digest !== undefined ? `@${split.digest}` : '');
  return {
    nameLength: split.name.length,
    lastStart,
    hasSuffix: suffix !== '',
    suffix,
    suffixMarked: /[\u0000\u0001]/.test(suffix),
    /** An unknown variable (not a known repository URL) in the last path component. */
    lastMarked: split.name.slice(lastStart).includes(MARK),
  };
}

/** Offset of each variable part in the marked text (one character per variable). */
function varPositions(parts: ImagePart[]): number[] {
  const out: number[] = [];
  let pos = 0;
  for (const p of parts) {
    if ('literal' in p) pos += p.literal.replace(/[\u0000\u0001]/g, '').length;
    else out.push(pos++);
  }
  return out;
}

/**
 * Split a string holding template placeholders into parts: `${name}` (Terraform templates,
 * envsubst), `$NAME`, and CodePipeline's `<IMAGE1_NAME>`.
 */
export function placeholderParts(value: string): ImagePart[] {
  const parts: ImagePart[] = [];
  let literal = '';
  let i = 0;
  const push = (expression: string) => {
    if (literal) parts.push({ literal });
    literal = '';
    parts.push({ expression });
  };
  while (i < value.length) {
    const c = value[i];
    if (c === '$' && value[i + 1] === '{') {
      const end = matchBrace(value, i + 1);
      push(value.slice(i, end));
      i = end;
    } else if (c === '$' && /[A-Za-z_]/.test(value[i + 1] ?? '')) {
      const m = /^\$[A-Za-z_][A-Za-z0-9_]*/.exec(value.slice(i))!;
      push(m[0]);
      i += m[0].length;
    } else if (c === '<' && /^<[A-Za-z0-9_.-]+>/.test(value.slice(i))) {
      const m = /^<[A-Za-z0-9_.-]+>/.exec(value.slice(i))!;
      push(m[0]);
      i += m[0].length;
    } else {
      literal += c;
      i++;
    }
  }
  if (literal) parts.push({ literal });
  return parts;
}

/** Index just past the `}` matching the `{` at `open` (or the end of the text). */
export function matchBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i + 1;
  }
  return text.length;
}
