// `knownGood/auditWorkspace`: audit every workspace folder with progress and cancellation, publish
// diagnostics for every file with findings (so they fill the Problems panel), return counts.
import * as path from 'path';
import { LSPErrorCodes, ResponseError, type CancellationToken, type Connection, type Diagnostic, type WorkDoneProgressReporter } from 'vscode-languageserver';
import { auditWorkspace } from '../audit';
import type { Finding } from '../core/types';
import { toDiagnostic } from './convert';
import { AUDIT_SOURCE, type DiagnosticStore } from './diagnostic-store';
import type { AuditWorkspaceParams, AuditWorkspaceResult } from './protocol';
import { isIncluded, type Folder, type SettingsManager } from './settings';

export interface AuditDeps {
  connection: Connection;
  settings: SettingsManager;
  store: DiagnosticStore;
  /** Whether the client accepts server-initiated `window/workDoneProgress/create`. */
  serverProgress: () => boolean;
  /** URI of a file (open documents keep theirs); undefined when the file has none. */
  uriOf: (file: string) => string | undefined;
  /** Whether a URI is open in the editor (its live diagnostics win over the audit's). */
  isOpen: (uri: string) => boolean;
  log: (message: string) => void;
}

function emptyResult(): AuditWorkspaceResult {
  return { folders: 0, files: 0, filesWithFindings: 0, findings: 0, bySeverity: { error: 0, warning: 0, info: 0, hint: 0 }, errors: 0, cancelled: false };
}

async function reporterFor(deps: AuditDeps, params: AuditWorkspaceParams): Promise<WorkDoneProgressReporter | undefined> {
  if (params.workDoneToken !== undefined) return deps.connection.window.attachWorkDoneProgress(params.workDoneToken);
  if (deps.serverProgress()) return deps.connection.window.createWorkDoneProgress();
  return undefined;
}

/** Run the audit request. Cancelling the request rejects it with RequestCancelled; cancelling server-created progress returns partial counts. */
export async function auditRequest(deps: AuditDeps, params: AuditWorkspaceParams | null, token: CancellationToken): Promise<AuditWorkspaceResult> {
  const p = params ?? {};
  const folders = deps.settings.folders.filter((f) => !p.folders || p.folders.includes(f.uri));
  const result = emptyResult();
  const abort = new AbortController();
  token.onCancellationRequested(() => abort.abort());
  const progress = await reporterFor(deps, p);
  (progress as { token?: CancellationToken } | undefined)?.token?.onCancellationRequested(() => abort.abort());
  progress?.begin('Known Good: auditing workspace', 0, 'scanning…', true);
  const perTarget = new Map<string, Diagnostic[]>();
  try {
    for (const [i, folder] of folders.entries()) {
      if (abort.signal.aborted) break;
      const editor = await deps.settings.editorSettings(folder.uri);
      const report = (done: number, total: number) => {
        const share = total ? done / total : 0;
        const pct = Math.floor(((i + share) / folders.length) * 100);
        progress?.report(pct, `${folders.length > 1 ? `${folder.name}: ` : ''}${done}/${total} files`);
      };
      let audit;
      try {
        audit = await auditWorkspace(folder.path, undefined, { editorRules: editor.rules, signal: abort.signal, onProgress: report });
      } catch (e) {
        if (abort.signal.aborted) break;
        throw e;
      }
      result.folders++;
      const files = audit.files.filter((f) => isIncluded(editor, f.file));
      result.files += files.length;
      result.errors += audit.errors.length;
      for (const e of audit.errors) deps.log(`Known Good audit: ${path.posix.join(folder.path, e.file)}: ${e.message}`);
      addFindings(deps, folder, audit.findings.filter((f) => isIncluded(editor, f.location.file)), perTarget, result);
    }
  } finally {
    progress?.done();
  }
  if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'Audit cancelled');
  result.cancelled = abort.signal.aborted;
  result.filesWithFindings = [...perTarget.values()].filter((d) => d.length).length;
  for (const uri of [...perTarget.keys()]) if (deps.isOpen(uri)) perTarget.delete(uri);
  deps.store.set(AUDIT_SOURCE, perTarget);
  return result;
}

function addFindings(deps: AuditDeps, folder: Folder, findings: readonly Finding[], perTarget: Map<string, Diagnostic[]>, result: AuditWorkspaceResult): void {
  const uriOf = (file: string) => deps.uriOf(path.posix.isAbsolute(file) ? file : path.posix.join(folder.path, file));
  for (const f of findings) {
    const uri = uriOf(f.location.file);
    if (uri === undefined) continue;
    result.findings++;
    result.bySeverity[f.severity]++;
    const list = perTarget.get(uri) ?? [];
    list.push(toDiagnostic(f, uriOf));
    perTarget.set(uri, list);
  }
}
