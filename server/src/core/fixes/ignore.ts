// "Ignore this here": a `# known-good-ignore <rule> -- reason` comment above the finding's line (or at its
// end), checked to change nothing but comments; for JSON, or where no comment fits, a .knowngood.yaml entry.
import { DockerfileParser } from 'dockerfile-ast';
import { parseAllDocuments } from 'yaml';
import { stripBom } from '../analyze';
import { LineIndex } from '../line-index';
import { findSuppressions, isSuppressed } from '../suppress';
import { bashParser, terraformParser, type SyntaxNode } from '../treesitter';
import type { FileKind, Position, RawFinding } from '../types';
import { applyEdits } from './pin';
import { configEntryEdits } from './ignore-config';
import { eolAt, indentAt, lineEnd, lineStart } from './text';
import type { Fix, FixInput, TextEditSpan } from './types';

type Shape = (text: string) => string | undefined;

/** Leaf tokens without comments: equal shapes mean only comments changed. */
function leaves(root: SyntaxNode): string {
  const out: string[] = [];
  const walk = (n: SyntaxNode) => {
    if (n.type === 'comment') return;
    if (n.childCount === 0) out.push(`${n.type}:${n.text}`);
    for (const c of n.children) if (c) walk(c);
  };
  walk(root);
  return out.join('\u0000');
}

function treeShape(parser: () => { parse(t: string): { rootNode: SyntaxNode; delete(): void } | null }): Shape {
  return (text) => {
    const tree = parser().parse(text);
    if (!tree) return undefined;
    try {
      return tree.rootNode.hasError ? `error:${leaves(tree.rootNode)}` : leaves(tree.rootNode);
    } finally {
      tree.delete();
    }
  };
}

const SHAPES: Partial<Record<FileKind, Shape>> = {
  dockerfile: (text) => {
    const df = DockerfileParser.parse(text);
    const directives = df.getDirectives().map((d) => `${d.getName()}=${d.getValue()}`);
    // Comment lines inside an instruction (continuations, shell heredoc bodies) do not change what it does.
    const instructions = df.getInstructions().map((i) => `${i.getKeyword()} ${(i.getRawArgumentsContent() ?? '').replace(/^[ \t]*#[^\r\n]*(\r\n|\r|\n)/gm, '')}`);
    return JSON.stringify([directives, instructions]);
  },
  shell: treeShape(bashParser),
  terraform: treeShape(terraformParser),
  cloudformation: (text) => yamlShape(text),
  compose: (text) => yamlShape(text),
};

function yamlShape(text: string): string | undefined {
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs) || docs.some((d) => d.errors.length)) return undefined;
  return JSON.stringify(docs.map((d) => d.toJS({ maxAliasCount: -1 })));
}

/** Whether `offset` is inside the body of a Dockerfile heredoc. */
function inHeredoc(text: string, offset: number): boolean {
  const index = new LineIndex(text);
  for (const ins of DockerfileParser.parse(text).getInstructions()) {
    const heredocs = (ins as unknown as { getHeredocs?: () => { getContentRange(): { start: Position; end: Position } | null }[] }).getHeredocs?.() ?? [];
    for (const h of heredocs) {
      const r = h.getContentRange();
      if (r && index.offset(r.start) <= offset && offset <= index.offset(r.end)) return true;
    }
  }
  return false;
}

/** The file kind the comment goes into, or undefined when it takes no comments (JSON). */
function commentKind(finding: RawFinding, input: FixInput, text: string): FileKind | undefined {
  if (finding.location.file !== input.file) return 'shell';
  const kind = input.model.kind;
  if (kind === 'ecs-json' || (kind === 'cloudformation' && /^\s*[{[]/.test(text))) return undefined;
  return kind;
}

/** A pragma comment edit that changes only comments and silences the finding, or undefined. */
function inlineEdit(text: string, kind: FileKind, finding: RawFinding): TextEditSpan | undefined {
  const shape = SHAPES[kind];
  if (!shape) return undefined;
  const before = shape(text);
  if (before === undefined) return undefined;
  const start = finding.location.span.start;
  const eol = eolAt(text, start);
  const pragma = `# known-good-ignore ${finding.ruleId} -- reason`;
  const ls = lineStart(text, start);
  const candidates: TextEditSpan[] = [{ span: { start: ls, end: ls }, newText: `${indentAt(text, start)}${pragma}${eol}` }];
  if (kind !== 'dockerfile') {
    const le = lineEnd(text, start);
    candidates.push({ span: { start: le, end: le }, newText: ` ${pragma}` });
  }
  // In a heredoc body a comment line after a backslash would end the continued shell command.
  const previous = text.slice(lineStart(text, Math.max(0, ls - 1)), Math.max(0, ls - 1));
  if (kind === 'dockerfile' && /\\\r?$/.test(previous) && inHeredoc(text, ls)) return undefined;
  for (const edit of candidates) {
    const after = applyEdits(text, [edit]);
    if (shape(after) !== before) continue;
    const moved = (o: number) => (o >= edit.span.start ? o + edit.newText.length : o);
    const range = new LineIndex(after).range({ start: moved(start), end: moved(Math.max(start, finding.location.span.end)) });
    if (!isSuppressed(findSuppressions(after), finding.ruleId, range.start.line, range.end.line)) continue;
    const at = edit.newText.indexOf('-- reason') + 3;
    return { ...edit, placeholder: { start: at, end: at + 'reason'.length } };
  }
  return undefined;
}

/** The ignore fixes of a finding: inline where a comment fits, else a .knowngood.yaml entry. */
export function ignoreFixes(finding: RawFinding, input: FixInput): Fix[] {
  const file = finding.location.file;
  const raw = file === input.file ? input.text : input.files.get(file);
  if (raw === undefined) return [];
  const text = stripBom(raw);
  const kind = commentKind(finding, input, text);
  const edit = kind ? inlineEdit(text, kind, finding) : undefined;
  if (edit) {
    return [{ id: 'ignore-inline', title: `Ignore ${finding.ruleId} here (known-good-ignore comment)`, ruleId: finding.ruleId, edits: [{ file, edits: [edit] }], needsConfirmation: false }];
  }
  const where = finding.pointer !== undefined ? ` at ${finding.pointer}` : ' in this file';
  try {
    const edits = configEntryEdits(input.files, input.root ?? '', file, finding.pointer, finding.ruleId);
    return [{ id: 'ignore-config', title: `Ignore ${finding.ruleId}${where} (.knowngood.yaml)`, ruleId: finding.ruleId, edits: [edits], needsConfirmation: true }];
  } catch {
    return [];
  }
}
