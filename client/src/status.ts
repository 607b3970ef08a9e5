// Status bar item: Known Good's finding counts for the current file and the whole workspace; its
// tooltip says when Restricted Mode turns pinning and registry checks off.
import * as vscode from 'vscode';
import { AUDIT_COMMAND } from './commands';

const SOURCE = 'known-good';

function count(diagnostics: readonly vscode.Diagnostic[]): number {
  return diagnostics.filter((d) => d.source === SOURCE).length;
}

/** Create the status item; it updates itself when diagnostics or the active editor change. */
export function createStatusItem(context: vscode.ExtensionContext): vscode.StatusBarItem {
  const item = vscode.window.createStatusBarItem('knownGood.status', vscode.StatusBarAlignment.Left, 10);
  item.name = 'Known Good';
  item.command = AUDIT_COMMAND;
  const update = () => {
    const uri = vscode.window.activeTextEditor?.document.uri;
    const inFile = uri ? count(vscode.languages.getDiagnostics(uri)) : 0;
    const inWorkspace = vscode.languages.getDiagnostics().reduce((sum, [, d]) => sum + count(d), 0);
    item.text = `$(shield) ${uri ? `${inFile} · ` : ''}${inWorkspace}`;
    const restricted = vscode.workspace.isTrusted ? '' : '\nRestricted Mode: pinning and registry checks are off (diagnostics and the audit work; they never use the network).';
    item.tooltip = `Known Good: ${uri ? `${inFile} finding(s) in this file, ` : ''}${inWorkspace} in open and audited files. Click to audit the workspace.${restricted}`;
    item.show();
  };
  context.subscriptions.push(
    item,
    vscode.languages.onDidChangeDiagnostics(update),
    vscode.window.onDidChangeActiveTextEditor(update),
    vscode.workspace.onDidGrantWorkspaceTrust(update),
  );
  update();
  return item;
}
