// Context menu commands of the Known Good view: "Quick Fix…" on a finding opens it and shows VS Code's
// quick-fix menu there (fixes resolve lazily, as in the editor); "Open Rule Documentation" on a rule.
import * as vscode from 'vscode';
import { DIAGNOSTIC_SOURCE } from '../../server/src/lsp/protocol';
import { rangeOf, type Node } from './findings-view';

export const QUICK_FIX_COMMAND = 'knownGood.findings.quickFix';
export const OPEN_DOCS_COMMAND = 'knownGood.findings.openDocs';
/** How long to wait for the opened file's live diagnostics before showing the menu anyway. */
const DIAGNOSTICS_WAIT_MS = 5000;

const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code));

/**
 * Resolves once `uri` has a Known Good diagnostic of `ruleId` overlapping `range` — after a fresh
 * publication when the file was just opened (the audit's diagnostics give way to the live analysis's) —
 * or after the timeout.
 */
function diagnosticPresent(uri: vscode.Uri, ruleId: string, range: vscode.Range, fresh: boolean): Promise<void> {
  const present = () =>
    vscode.languages.getDiagnostics(uri).some((d) => d.source === DIAGNOSTIC_SOURCE && codeOf(d) === ruleId && d.range.intersection(range) !== undefined);
  if (!fresh && present()) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      listener.dispose();
      resolve();
    };
    const timer = setTimeout(done, DIAGNOSTICS_WAIT_MS);
    const listener = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString()) && present()) done();
    });
  });
}

/** Open the finding's file with the finding selected, then run `editor.action.quickFix` there. */
export async function quickFix(node: Node | undefined): Promise<void> {
  if (node?.kind !== 'finding') return;
  const uri = vscode.Uri.parse(node.group.file.uri);
  const range = rangeOf(node.finding);
  const wasOpen = vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString());
  const waiting = diagnosticPresent(uri, node.finding.ruleId, range, !wasOpen);
  const editor = await vscode.window.showTextDocument(uri, { selection: range, preserveFocus: false });
  await waiting;
  editor.selection = new vscode.Selection(range.start, range.end);
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  await vscode.commands.executeCommand('editor.action.quickFix');
}

/** Open the documentation page of a rule group's rule (or a finding's). */
export async function openDocs(node: Node | undefined): Promise<void> {
  const url =
    node?.kind === 'finding' ? node.finding.docUrl : node?.kind === 'rule' ? node.group.files[0]?.findings[0]?.docUrl : undefined;
  if (url) await vscode.env.openExternal(vscode.Uri.parse(url));
}
