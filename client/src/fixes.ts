// "Known Good: Vendor All Runtime Installs": asks the server for one edit over the workspace (it may ask,
// once, to download files for their checksums), applies it through VS Code's refactor preview, and
// lists what was left and why in the output channel.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { VENDOR_WORKSPACE_COMMAND, VENDOR_WORKSPACE_REQUEST, type VendorWorkspaceResult } from '../../server/src/lsp/fix-protocol';
import { workspaceRequest } from './server-progress';

export { VENDOR_WORKSPACE_COMMAND };

/** One line per finding left as it is, and per download that failed. */
export function vendorReportLines(result: VendorWorkspaceResult): string[] {
  const skipped = result.skipped.map((s) => `${vscode.Uri.parse(s.uri).fsPath}:${s.line + 1}:${s.character + 1}: ${s.ruleId}: ${s.message}`);
  const downloads = result.downloads.filter((d) => !d.ok).map((d) => `download ${d.url}: ${d.detail}`);
  return [...skipped, ...downloads];
}

/** Run the request under a cancellable notification; apply the edit; report. */
export async function vendorWorkspace(client: LanguageClient, output: vscode.OutputChannel): Promise<void> {
  const result = await workspaceRequest<VendorWorkspaceResult>(client, output, VENDOR_WORKSPACE_REQUEST, { noFolder: 'open a folder to vendor its runtime installs.', title: 'Known Good: vendoring runtime installs', activity: 'vendoring' });
  if (!result) return;
  const lines = vendorReportLines(result);
  if (result.applied.length) {
    output.appendLine(`Vendor All Runtime Installs: ${result.applied.length} fix(es) prepared:`);
    for (const title of result.applied) output.appendLine(`  ${title}`);
  }
  if (lines.length) {
    output.appendLine(`Vendor All Runtime Installs: ${result.skipped.length} finding(s) left as they are:`);
    for (const line of lines) output.appendLine(`  ${line}`);
  }
  if (result.networkOff) output.appendLine(`Downloads for checksums were not made: ${result.networkOff}.`);
  let applied = false;
  if (result.edit) {
    const edit = await client.protocol2CodeConverter.asWorkspaceEdit(result.edit);
    // Every edit carries a needsConfirmation annotation: VS Code shows the refactor preview first.
    applied = await vscode.workspace.applyEdit(edit, { isRefactoring: true });
  }
  const summary = result.edit
    ? `${applied ? 'Vendored' : 'Prepared'} ${result.vendored} of ${result.findings} runtime download(s) in ${result.changedFiles} file(s)`
    : result.findings
      ? `none of ${result.findings} runtime download(s) could be vendored automatically`
      : `no runtime downloads in ${result.files} file(s)`;
  const left = result.skipped.length ? `; ${result.skipped.length} left (see the Known Good output)` : '';
  const message = `Known Good: ${summary}${left}.`;
  output.appendLine(message);
  if (lines.length) {
    const choice = await vscode.window.showWarningMessage(message, 'Show Output');
    if (choice === 'Show Output') output.show(true);
  } else {
    void vscode.window.showInformationMessage(message);
  }
}
