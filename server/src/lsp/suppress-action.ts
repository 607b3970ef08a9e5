// "Disable <rule> for this line": where a `# known-good-ignore <rule> -- ` line can be inserted above
// a finding without changing what the file means, and the edit that does it (or extends a pragma).
import { isScalar, parseDocument, visit } from 'yaml';
import type { FileKind } from '../core/types';

/** An insertion at a line and character. */
export interface Insertion {
  line: number;
  character: number;
  newText: string;
}

type Syntax = 'dockerfile' | 'shell' | 'yaml' | 'hcl';

/** How comments are written in a file of `kind`; undefined for JSON (no comments). */
export function commentSyntax(kind: FileKind | undefined, text: string, file: string): Syntax | undefined {
  const jsonText = /^\s*[[{]/.test(text);
  switch (kind) {
    case 'dockerfile':
      return 'dockerfile';
    case 'shell':
      return 'shell';
    case 'compose':
      return 'yaml';
    case 'cloudformation':
      return jsonText ? undefined : 'yaml';
    case 'terraform':
      return jsonText ? undefined : 'hcl';
    case 'ecs-json':
    case 'knowngood-config':
      return undefined;
    default:
      // Findings reach files the core does not classify only through the Dockerfiles that run them: scripts.
      return /\.json$/i.test(file) ? undefined : 'shell';
  }
}

const PRAGMA_LINE = /^(\s*)(?:#|\/\/)\s*known-good-ignore[ \t]+([a-z0-9*][a-z0-9*,\s-]*?)(?=[ \t]+--|[ \t]*$)/;
const HEREDOC = /(?<!<)<<(?!<)-?[ \t]*(["']?)([A-Za-z_][\w.-]*)\1/g;

/** Lines (0-based) that are the bodies of heredocs (`<<EOF … EOF`, `<<-EOF`), where a comment would become content. */
export function heredocBodies(lines: readonly string[]): Set<number> {
  const body = new Set<number>();
  const pending: { word: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (pending.length) {
      body.add(i);
      // Lenient on indentation (HCL's `<<-EOT` allows any): ending early only offers fewer actions.
      if (line.trim() === pending[0].word) {
        body.delete(i);
        pending.shift();
      }
      continue;
    }
    if (/^\s*#/.test(line)) continue;
    for (const m of line.matchAll(HEREDOC)) pending.push({ word: m[2] });
  }
  return body;
}

/** Dockerfile parser directives at the top (`# syntax=…`, `# escape=…`): a comment above one ends them. */
function directiveLines(lines: readonly string[]): Set<number> {
  const out = new Set<number>();
  for (let i = 0; i < lines.length; i++) {
    if (/^\s*#\s*[A-Za-z][\w-]*\s*=/.test(lines[i])) out.add(i);
    else break;
  }
  return out;
}

/** Whether the start of `line` lies inside a YAML scalar (block scalar, multi-line plain or quoted). */
function insideYamlScalar(text: string, lineStart: number): boolean {
  let inside = false;
  try {
    const doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false });
    visit(doc, {
      Scalar(_key, node) {
        if (isScalar(node) && node.range && node.range[0] < lineStart && lineStart < node.range[1]) {
          inside = true;
          return visit.BREAK;
        }
        return undefined;
      },
    });
  } catch {
    return true;
  }
  return inside;
}

/**
 * The edit that silences `rule` on `line` with a pragma on the line above (same indentation), or
 * that adds `rule` to a pragma already there. Undefined where a comment cannot go: JSON, a
 * Dockerfile parser directive, a heredoc body, a shell continuation, inside a YAML scalar.
 */
export function disableLineEdit(text: string, kind: FileKind | undefined, file: string, line: number, rule: string): Insertion | undefined {
  const syntax = commentSyntax(kind, text, file);
  if (!syntax) return undefined;
  const lines = text.split(/\r\n|\r|\n/);
  if (line < 0 || line >= lines.length) return undefined;
  const eol = /\r\n/.test(text) ? '\r\n' : '\n';
  const previous = line > 0 ? lines[line - 1] : undefined;
  const existing = previous === undefined ? null : PRAGMA_LINE.exec(previous);
  if (existing) {
    const ids = existing[2].split(/[\s,]+/).filter(Boolean);
    if (ids.includes(rule) || ids.includes('*')) return undefined;
    return { line: line - 1, character: existing[0].length, newText: `,${rule}` };
  }
  if (syntax === 'dockerfile' && directiveLines(lines).has(line)) return undefined;
  if (syntax !== 'yaml' && heredocBodies(lines).has(line)) return undefined;
  if (syntax === 'shell' && previous !== undefined && /(^|[^\\])(\\\\)*\\$/.test(previous)) return undefined;
  if (syntax === 'yaml') {
    let offset = 0;
    for (let i = 0; i < line; i++) offset = text.indexOf('\n', offset) + 1;
    if (insideYamlScalar(text, offset)) return undefined;
  }
  const indent = /^[ \t]*/.exec(lines[line])![0];
  return { line, character: 0, newText: `${indent}# known-good-ignore ${rule} -- ${eol}` };
}
