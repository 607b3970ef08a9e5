// "Known Good: Export Audit Report": SARIF (code scanning) or Markdown (a pull request, a ticket), the
// bytes `known-good audit --format …` writes, saved where the user chooses.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { EXPORT_REPORT_REQUEST, type ExportFormat, type ExportReportParams, type ExportReportResult } from '../../server/src/lsp/audit-protocol';
import { filesExclude, withServerProgress } from './server-progress';

export const EXPORT_COMMAND = 'knownGood.exportReport';

interface FormatPick extends vscode.QuickPickItem {
  format: ExportFormat;
  extension: string;
  filter: string;
}

const FORMATS: FormatPick[] = [
  { label: 'SARIF', description: 'for code scanning (GitHub, Azure DevOps, SARIF viewers)', format: 'sarif', extension: 'sarif', filter: 'SARIF' },
  { label: 'Markdown', description: 'for a pull request or a ticket', format: 'markdown', extension: 'md', filter: 'Markdown' },
];

/** Ask format, folder (multi-root) and file; build the report on the server (auditing first if needed); write it. */
export async function exportReport(client: LanguageClient, output: vscode.OutputChannel): Promise<void> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (!folders.length) return void vscode.window.showInformationMessage('Known Good: open a folder to export its audit report.');
  const pick = await vscode.window.showQuickPick(FORMATS, { title: 'Known Good: Export Audit Report', placeHolder: 'Report format' });
  if (!pick) return;
  const folder = folders.length === 1 ? folders[0] : await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Folder to report on (paths in the report are relative to it)' });
  if (!folder) return;
  const target = await vscode.window.showSaveDialog({
    title: `Known Good: save the ${pick.label} report`,
    defaultUri: vscode.Uri.joinPath(folder.uri, `known-good.${pick.extension}`),
    filters: { [pick.filter]: [pick.extension] },
    saveLabel: 'Export',
  });
  if (!target) return;
  let result: ExportReportResult;
  try {
    result = await withServerProgress(client, 'Known Good: preparing the report', (workDoneToken, token) => {
      const params: ExportReportParams = { format: pick.format, folder: folder.uri.toString(), workDoneToken, exclude: filesExclude() };
      return client.sendRequest<ExportReportResult>(EXPORT_REPORT_REQUEST, params, token);
    });
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(result.content));
  } catch (e) {
    if (e instanceof vscode.CancellationError) return;
    output.appendLine(`Export failed: ${e instanceof Error ? e.message : String(e)}`);
    return void vscode.window.showErrorMessage(`Known Good: the report could not be exported: ${e instanceof Error ? e.message : String(e)}`);
  }
  const where = vscode.workspace.asRelativePath(target);
  const choice = await vscode.window.showInformationMessage(`Known Good: exported ${result.findings} finding(s) to ${where}.`, 'Open');
  if (choice === 'Open') await vscode.window.showTextDocument(target);
}
