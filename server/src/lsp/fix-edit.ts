// Turns a core Fix (offsets into file texts) into an LSP WorkspaceEdit: versioned TextDocumentEdits,
// CreateFile for new files, and a needs-confirmation change annotation so the editor previews it.
import type { AnnotatedTextEdit, ChangeAnnotation, CreateFile, Range, TextDocumentEdit, TextEdit, WorkspaceEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { stripBom } from '../core/analyze';
import { applyFileEdits, type Fix } from '../core/fixes';
import type { FileSource, FixFiles } from './fix-files';
import type { ClientCaps } from './pin-feedback';
import { pathToUri } from './uri';

/** Annotation id of a fix's edits. */
export const FIX_ANNOTATION = 'knownGood.fix';

/**
 * The text positions are computed on: an open document's text as the editor holds it (a byte-order
 * mark, if the client keeps one, shifts the core's offsets by one); a file from disk without its BOM
 * (editors drop it when they load the file, and so does the core).
 */
function shownText(src: FileSource): { doc: TextDocument; shift: number } {
  const text = src.version === null ? stripBom(src.text) : src.text;
  return { doc: TextDocument.create(src.uri, 'plaintext', 0, text), shift: text.charCodeAt(0) === 0xfeff ? 1 : 0 };
}

/** The LSP range of core offsets in `src`. */
export function sourceRange(src: FileSource, start: number, end: number): Range {
  const { doc, shift } = shownText(src);
  return { start: doc.positionAt(start + shift), end: doc.positionAt(end + shift) };
}

/** The range covering all of `src` (BOM excluded for disk files, as editors load them). */
export function wholeRange(src: FileSource): Range {
  const { doc } = shownText(src);
  return { start: { line: 0, character: 0 }, end: doc.positionAt(doc.getText().length) };
}

/** Collects document changes and plain changes, for clients with and without `documentChanges`. */
export class EditCollector {
  readonly documentChanges: (TextDocumentEdit | CreateFile)[] = [];
  readonly changes: Record<string, TextEdit[]> = {};
  readonly annotations: Record<string, ChangeAnnotation> = {};

  constructor(private readonly caps: ClientCaps) {}

  /** Register an annotation (only when the client supports them); returns its id or undefined. */
  annotate(id: string, annotation: ChangeAnnotation): string | undefined {
    if (!this.caps.changeAnnotations) return undefined;
    this.annotations[id] = annotation;
    return id;
  }

  /** Text edits to an existing file. */
  edit(uri: string, version: number | null, edits: TextEdit[], annotationId?: string): void {
    const annotated: (TextEdit | AnnotatedTextEdit)[] = edits.map((e) => (annotationId ? { ...e, annotationId } : e));
    const known = this.documentChanges.find((c): c is TextDocumentEdit => 'textDocument' in c && c.textDocument.uri === uri);
    if (known) known.edits.push(...annotated);
    else this.documentChanges.push({ textDocument: { uri, version }, edits: annotated });
    (this.changes[uri] ??= []).push(...edits);
  }

  /** A new file holding `text`; false when the client cannot create files. */
  create(uri: string, text: string, annotationId?: string): boolean {
    if (!this.caps.documentChanges) return false;
    this.documentChanges.push({ kind: 'create', uri, options: { overwrite: false, ignoreIfExists: false }, ...(annotationId ? { annotationId } : {}) });
    this.edit(uri, null, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: text }], annotationId);
    return true;
  }

  get empty(): boolean {
    return this.documentChanges.length === 0;
  }

  /** The WorkspaceEdit in the richest form the client supports. */
  build(): WorkspaceEdit {
    if (!this.caps.documentChanges) return { changes: this.changes };
    const edit: WorkspaceEdit = { documentChanges: this.documentChanges };
    if (Object.keys(this.annotations).length) edit.changeAnnotations = this.annotations;
    return edit;
  }
}

/**
 * The WorkspaceEdit of `fix` (which has no `needs`), positions computed against the texts `files`
 * served the core; or why it cannot be expressed.
 */
export function fixWorkspaceEdit(fix: Fix, files: FixFiles, caps: ClientCaps): { edit: WorkspaceEdit } | { error: string } {
  const out = new EditCollector(caps);
  const annotationId = fix.needsConfirmation ? out.annotate(FIX_ANNOTATION, { label: fix.title, needsConfirmation: true }) : undefined;
  for (const fe of fix.edits) {
    if (fe.create) {
      if (files.has(fe.file)) return { error: `${fe.file} exists now; ask for the fix again` };
      if (!files.mayCreate(fe.file)) return { error: `${fe.file} is outside the workspace folders` };
      if (!out.create(pathToUri(fe.file), applyFileEdits('', fe), annotationId)) return { error: 'this editor cannot create files through a quick fix' };
      continue;
    }
    const src = files.source(fe.file);
    if (!src) return { error: `${fe.file} could not be read` };
    const edits = [...fe.edits].sort((a, b) => a.span.start - b.span.start).map((e) => ({ range: sourceRange(src, e.span.start, e.span.end), newText: e.newText }));
    out.edit(src.uri, src.version, edits, annotationId);
  }
  if (out.empty) return { error: 'the fix has no edits' };
  return { edit: out.build() };
}
