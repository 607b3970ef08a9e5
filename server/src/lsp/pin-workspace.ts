// `knownGood/pinWorkspace`: scan the workspace folders, resolve every distinct `name:tag` once
// (bounded concurrency), answer one WorkspaceEdit whose edits need confirmation (VS Code previews
// it) and the references that could not be pinned.
import * as path from 'path';
import {
  LSPErrorCodes,
  ResponseError,
  type AnnotatedTextEdit,
  type CancellationToken,
  type ChangeAnnotation,
  type Connection,
  type TextDocumentEdit,
  type TextDocuments,
  type TextEdit,
  type WorkDoneProgressReporter,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { scanWorkspace } from '../audit';
import { analyze, stripBom } from '../core/analyze';
import { mergeSettings } from '../core/config';
import { pinEdit, type PinCandidate } from '../core/fixes/pin';
import type { PinStyle } from '../core/fixes/pin';
import type { Resolution } from '../registry';
import { pinTargets } from './doc-model';
import type { ClientCaps } from './pin-feedback';
import type { PinManager } from './pin-manager';
import type { PinWorkspaceFailure, PinWorkspaceParams, PinWorkspaceResult } from './protocol';
import { isIncluded, type SettingsManager } from './settings';
import { pathToUri } from './uri';

export interface PinWorkspaceDeps {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  settings: SettingsManager;
  pins: PinManager;
  readText: (file: string) => Promise<string | undefined>;
  /** URI of a file (open documents keep theirs). */
  uriOf: (file: string) => string | undefined;
  caps: () => ClientCaps;
  log: (message: string) => void;
}

/** Resolutions at once (the registry client's default too). */
const CONCURRENCY = 6;

interface FileTargets {
  uri: string;
  /** For positions: the open document, or the file's text as a document. */
  doc: TextDocument;
  version: number | null;
  targets: PinCandidate[];
  style: PinStyle;
}

async function reporterFor(deps: PinWorkspaceDeps, params: PinWorkspaceParams): Promise<WorkDoneProgressReporter | undefined> {
  if (params.workDoneToken !== undefined) return deps.connection.window.attachWorkDoneProgress(params.workDoneToken);
  if (deps.caps().serverProgress) return deps.connection.window.createWorkDoneProgress();
  return undefined;
}

/** Run the request (cancelling it rejects with RequestCancelled). */
export async function pinWorkspaceRequest(deps: PinWorkspaceDeps, params: PinWorkspaceParams | null, token: CancellationToken): Promise<PinWorkspaceResult> {
  const p = params ?? {};
  const result: PinWorkspaceResult = { files: 0, references: 0, pinned: 0, queries: 0, failures: [] };
  const folders = deps.settings.folders.filter((f) => !p.folders || p.folders.includes(f.uri));
  const abort = new AbortController();
  token.onCancellationRequested(() => abort.abort());
  const progress = await reporterFor(deps, p);
  (progress as { token?: CancellationToken } | undefined)?.token?.onCancellationRequested(() => abort.abort());
  progress?.begin('Known Good: pinning images', 0, 'scanning…', true);
  try {
    const found: FileTargets[] = [];
    let service;
    for (const folder of folders) {
      const access = await deps.pins.forResource(folder.uri);
      if (access.offline) {
        result.networkOff = access.offline;
        return result;
      }
      service = access.service;
      const editor = await deps.settings.editorSettings(folder.uri);
      const settings = mergeSettings(await deps.settings.folderConfig(folder.path), editor.rules, folder.path);
      const files = (await scanWorkspace(folder.path, undefined, { signal: abort.signal })).filter((f) => isIncluded(editor, f.file));
      for (const f of files) {
        await breathe();
        if (abort.signal.aborted) break;
        const abs = path.posix.join(folder.path, f.file);
        const raw = await deps.readText(abs);
        if (raw === undefined) continue;
        result.files++;
        const uri = deps.uriOf(abs) ?? pathToUri(abs);
        const open = deps.documents.get(uri);
        const text = stripBom(open ? open.getText() : raw);
        const analysed = analyze({ file: abs, text, languageId: open?.languageId, settings });
        const targets = pinTargets(analysed.model, analysed.findings);
        if (!targets.length) continue;
        result.references += targets.length;
        found.push({ uri, doc: TextDocument.create(uri, 'plaintext', 0, text), version: open ? open.version : null, targets, style: access.style });
      }
    }
    const queries = [...new Set(found.flatMap((f) => f.targets.map((t) => t.query)))];
    result.queries = queries.length;
    if (!service || !queries.length || abort.signal.aborted) return finish(result, token);
    const resolved = await resolveAll(service.cache, queries, abort.signal, (done) =>
      progress?.report(Math.floor((done / queries.length) * 100), `${done}/${queries.length} image tags resolved`),
    );
    buildEdit(deps, found, resolved, result);
    return finish(result, token);
  } finally {
    progress?.done();
  }
}

let lastBreath = performance.now();
/** Analysis is synchronous: give the event loop a turn every ~20 ms so requests and cancellation get through. */
async function breathe(): Promise<void> {
  if (performance.now() - lastBreath < 20) return;
  await new Promise<void>((resolve) => setImmediate(resolve));
  lastBreath = performance.now();
}

function finish(result: PinWorkspaceResult, token: CancellationToken): PinWorkspaceResult {
  if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'Pinning cancelled');
  return result;
}

/** Resolve each query once, fresh (an explicit pin), at most {@link CONCURRENCY} at a time. */
async function resolveAll(
  cache: { invalidate(q: string): void; get(q: string): Promise<Resolution> },
  queries: string[],
  signal: AbortSignal,
  onDone: (done: number) => void,
): Promise<Map<string, Resolution>> {
  const out = new Map<string, Resolution>();
  let next = 0;
  const worker = async () => {
    while (next < queries.length && !signal.aborted) {
      const q = queries[next++];
      cache.invalidate(q);
      out.set(q, await cache.get(q));
      onDone(out.size);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, queries.length) }, worker));
  return out;
}

function buildEdit(deps: PinWorkspaceDeps, found: FileTargets[], resolved: Map<string, Resolution>, result: PinWorkspaceResult): void {
  const annotations: Record<string, ChangeAnnotation> = {};
  const documentChanges: TextDocumentEdit[] = [];
  const changes: Record<string, TextEdit[]> = {};
  const failures: PinWorkspaceFailure[] = [];
  for (const f of found) {
    const edits: AnnotatedTextEdit[] = [];
    for (const t of f.targets) {
      const r = resolved.get(t.query);
      const at = f.doc.positionAt(t.span.start);
      if (!r?.ok) {
        failures.push({ uri: f.uri, line: at.line, character: at.character, query: t.query, message: r ? r.message : 'cancelled before it was resolved' });
        continue;
      }
      const { newText } = pinEdit(t, r.digest, f.style);
      const annotationId = `pin ${t.query}`;
      annotations[annotationId] ??= { label: `Pin ${t.query}`, description: r.digest, needsConfirmation: true };
      edits.push({ range: { start: at, end: f.doc.positionAt(t.span.end) }, newText, annotationId });
    }
    if (!edits.length) continue;
    result.pinned += edits.length;
    documentChanges.push({ textDocument: { uri: f.uri, version: f.version }, edits });
    changes[f.uri] = edits.map(({ range, newText }) => ({ range, newText }));
  }
  result.failures = failures;
  if (!result.pinned) return;
  const caps = deps.caps();
  if (caps.changeAnnotations) result.edit = { documentChanges, changeAnnotations: annotations };
  else if (caps.documentChanges) result.edit = { documentChanges: documentChanges.map((d) => ({ ...d, edits: d.edits.map(({ range, newText }) => ({ range, newText })) })) };
  else result.edit = { changes };
  deps.log(`Known Good: pin workspace: ${result.pinned} reference(s) in ${documentChanges.length} file(s), ${failures.length} failure(s)`);
}
