// "Known Good: Pin All Images in Workspace": asks the server for one edit over the workspace, applies
// it through VS Code (its refactor preview opens: every edit needs confirmation) and lists failures.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { PIN_WORKSPACE_REQUEST, type PinWorkspaceResult } from '../../server/src/lsp/protocol';
import { workspaceRequest } from './server-progress';

export const PIN_WORKSPACE_COMMAND = 'knownGood.pinWorkspace';

/** One line per reference that could not be pinned. */
export function failureLines(result: PinWorkspaceResult): string[] {
  return result.failures.map((f) => `${vscode.Uri.parse(f.uri).fsPath}:${f.line + 1}:${f.character + 1}: ${f.query}: ${f.message}`);
}

/** Run the request under a cancellable notification; apply the edit; report. */
export async function pinWorkspace(client: LanguageClient, output: vscode.OutputChannel): Promise<void> {
  const result = await workspaceRequest<PinWorkspaceResult>(client, output, PIN_WORKSPACE_REQUEST, { noFolder: 'open a folder to pin its images.', title: 'Known Good: pinning images', activity: 'pinning' });
  if (!result) return;
  if (result.networkOff) return void vscode.window.showWarningMessage(`Known Good: ${result.networkOff}.`);
  const lines = failureLines(result);
  if (lines.length) {
    output.appendLine(`Pin All Images in Workspace: ${lines.length} reference(s) could not be pinned:`);
    for (const line of lines) output.appendLine(`  ${line}`);
  }
  let applied = false;
  if (result.edit) {
    const edit = await client.protocol2CodeConverter.asWorkspaceEdit(result.edit);
    // The edits carry needsConfirmation annotations: VS Code shows the refactor preview first.
    applied = await vscode.workspace.applyEdit(edit, { isRefactoring: true });
  }
  const summary = result.edit
    ? `${applied ? 'Pinned' : 'Prepared'} ${result.pinned} image reference(s) (${result.queries} distinct tag(s)) in ${result.files} file(s) scanned`
    : result.references
      ? `none of ${result.references} image reference(s) could be pinned`
      : `nothing to pin in ${result.files} file(s) (references whose findings are ignored or turned off are left alone)`;
  const failed = lines.length ? `; ${lines.length} failed (see the Known Good output)` : '';
  const message = `Known Good: ${summary}${failed}.`;
  output.appendLine(message);
  if (lines.length) {
    const choice = await vscode.window.showWarningMessage(message, 'Show Output');
    if (choice === 'Show Output') output.show(true);
  } else {
    void vscode.window.showInformationMessage(message);
  }
}
