// `knownGood/auditWorkspace`: audit every workspace folder with progress and cancellation; the results
// (kept per file for incremental updates) publish diagnostics for every file with findings; return counts.
import { LSPErrorCodes, ResponseError, type CancellationToken, type Connection, type WorkDoneProgressReporter } from 'vscode-languageserver';
import type { AuditRequestParams } from './audit-protocol';
import type { AuditWorkspaceParams, AuditWorkspaceResult } from './protocol';
import type { SettingsManager } from './settings';
import type { WorkspaceResults } from './workspace-results';

export interface AuditDeps {
  connection: Connection;
  settings: SettingsManager;
  results: WorkspaceResults;
  /** Whether the client accepts server-initiated `window/workDoneProgress/create`. */
  serverProgress: () => boolean;
  log: (message: string) => void;
}

function emptyResult(): AuditWorkspaceResult {
  return { folders: 0, files: 0, filesWithFindings: 0, findings: 0, bySeverity: { error: 0, warning: 0, info: 0, hint: 0 }, errors: 0, cancelled: false };
}

/** The reporter for a client token, or one the server creates when the client allows it. */
export async function reporterFor(connection: Connection, serverProgress: boolean, workDoneToken: string | number | undefined): Promise<WorkDoneProgressReporter | undefined> {
  if (workDoneToken !== undefined) return connection.window.attachWorkDoneProgress(workDoneToken);
  if (serverProgress) return connection.window.createWorkDoneProgress();
  return undefined;
}

/**
 * Audit the requested folders (all by default) under progress that counts files. Cancelling the
 * request rejects it with RequestCancelled and keeps the previous results; cancelling
 * server-created progress keeps and returns the partial results.
 */
export async function auditRequest(deps: AuditDeps, params: AuditRequestParams | AuditWorkspaceParams | null, token: CancellationToken): Promise<AuditWorkspaceResult> {
  const p: AuditRequestParams = params ?? {};
  const folders = deps.settings.folders.filter((f) => !p.folders || p.folders.includes(f.uri));
  const abort = new AbortController();
  token.onCancellationRequested(() => abort.abort());
  const progress = await reporterFor(deps.connection, deps.serverProgress(), p.workDoneToken);
  (progress as { token?: CancellationToken } | undefined)?.token?.onCancellationRequested(() => abort.abort());
  progress?.begin('Known Good: auditing workspace', 0, 'scanning…', true);
  let outcome;
  try {
    outcome = await deps.results.audit(
      folders,
      p.exclude,
      abort.signal,
      (i, folder, done, total) => {
        // One analysis per file (`total` grows while the walk discovers files).
        const share = total ? done / total : 0;
        const prefix = folders.length > 1 ? `${folder.name}: ` : '';
        progress?.report(Math.floor(((i + share) / folders.length) * 100), `${prefix}${done}/${total} files`);
      },
      () => !token.isCancellationRequested,
    );
  } finally {
    progress?.done();
  }
  if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'Audit cancelled');
  return count(deps.results, outcome.audits.map((a) => a.folder.uri), outcome.cancelled);
}

/** Counts over the given folders' current results. */
export function count(results: WorkspaceResults, folderUris: readonly string[], cancelled: boolean): AuditWorkspaceResult {
  const result = emptyResult();
  result.cancelled = cancelled;
  for (const audit of results.folderAudits(folderUris)) {
    result.folders++;
    result.files += audit.entries.size;
    result.errors += audit.errors.length;
    for (const list of results.findingsIn(audit).values()) {
      if (list.length) result.filesWithFindings++;
      result.findings += list.length;
      for (const f of list) result.bySeverity[f.severity]++;
    }
  }
  return result;
}
