// "Known Good: Audit Workspace": runs the server's audit under a cancellable progress notification.
import { randomUUID } from 'crypto';
import * as vscode from 'vscode';
import { WorkDoneProgress, type LanguageClient } from 'vscode-languageclient/node';
import { AUDIT_WORKSPACE_REQUEST, type AuditWorkspaceParams, type AuditWorkspaceResult } from '../../server/src/lsp/protocol';

export const AUDIT_COMMAND = 'knownGood.auditWorkspace';

/** One line for the summary message. */
export function summarize(r: AuditWorkspaceResult): string {
  const s = r.bySeverity;
  const parts = [`${r.findings} finding(s) in ${r.filesWithFindings} of ${r.files} file(s)`];
  if (r.findings) parts.push(`(${s.error} error, ${s.warning} warning, ${s.info} info, ${s.hint} hint)`);
  if (r.errors) parts.push(`; ${r.errors} file(s) could not be read`);
  return `Known Good${r.cancelled ? ' (cancelled, partial)' : ''}: ${parts.join(' ')}.`;
}

/** Run the audit request with progress; shows the summary or the error. */
export async function auditWorkspace(client: LanguageClient, output: vscode.OutputChannel): Promise<void> {
  if (!vscode.workspace.workspaceFolders?.length) {
    void vscode.window.showInformationMessage('Known Good: open a folder to audit it.');
    return;
  }
  let result: AuditWorkspaceResult | undefined;
  try {
    result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Known Good: auditing workspace', cancellable: true },
      async (progress, token) => {
        const workDoneToken = randomUUID();
        let reported = 0;
        const listener = client.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
          if (value.kind === 'end') return;
          const pct = value.percentage ?? reported;
          progress.report({ increment: Math.max(0, pct - reported), message: value.message });
          reported = Math.max(reported, pct);
        });
        try {
          const params: AuditWorkspaceParams = { workDoneToken };
          return await client.sendRequest<AuditWorkspaceResult>(AUDIT_WORKSPACE_REQUEST, params, token);
        } finally {
          listener.dispose();
        }
      },
    );
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
  const choice = await vscode.window.showInformationMessage(message, ...(result.findings ? ['Show Problems'] : []));
  if (choice === 'Show Problems') await vscode.commands.executeCommand('workbench.actions.view.problems');
}
