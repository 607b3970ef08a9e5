// "Known Good: Audit Workspace": runs the server's audit under a cancellable progress notification
// that counts files; the results go to the Problems panel and the Known Good view.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { AuditRequestParams } from '../../server/src/lsp/audit-protocol';
import { AUDIT_WORKSPACE_REQUEST, type AuditWorkspaceResult } from '../../server/src/lsp/protocol';
import { filesExclude, withServerProgress } from './server-progress';

export const AUDIT_COMMAND = 'knownGood.auditWorkspace';

/** One line for the summary message. */
export function summarize(r: AuditWorkspaceResult): string {
  const s = r.bySeverity;
  const parts = [`${r.findings} finding(s) in ${r.filesWithFindings} of ${r.files} file(s)`];
  if (r.findings) parts.push(`(${s.error} error, ${s.warning} warning, ${s.info} info, ${s.hint} hint)`);
  if (r.errors) parts.push(`; ${r.errors} file(s) could not be read`);
  return `Known Good${r.cancelled ? ' (cancelled, partial)' : ''}: ${parts.join(' ')}.`;
}

/** Run the audit request with progress (files.exclude passed on); shows the summary or the error. */
export async function auditWorkspace(client: LanguageClient, output: vscode.OutputChannel): Promise<void> {
  if (!vscode.workspace.workspaceFolders?.length) {
    void vscode.window.showInformationMessage('Known Good: open a folder to audit it.');
    return;
  }
  let result: AuditWorkspaceResult | undefined;
  try {
    result = await withServerProgress(client, 'Known Good: auditing workspace', (workDoneToken, token) => {
      const params: AuditRequestParams = { workDoneToken, exclude: filesExclude() };
      return client.sendRequest<AuditWorkspaceResult>(AUDIT_WORKSPACE_REQUEST, params, token);
    });
  } catch (e) {
    if (e instanceof vscode.CancellationError) {
      void vscode.window.showInformationMessage('Known Good: audit cancelled.');
      return;
    }
    output.appendLine(`Audit failed: ${e instanceof Error ? e.message : String(e)}`);
    void vscode.window.showErrorMessage('Known Good: the audit failed; see the Known Good output for details.');
    return;
  }
  const message = summarize(result);
  output.appendLine(message);
  const choice = await vscode.window.showInformationMessage(message, ...(result.findings ? ['Show in Known Good View', 'Show Problems'] : []));
  if (choice === 'Show Problems') await vscode.commands.executeCommand('workbench.actions.view.problems');
  if (choice === 'Show in Known Good View') await vscode.commands.executeCommand('knownGood.findings.focus');
}
