// VS Code entry point: starts the Known Good language server (dist/cli.js over IPC), tells it about
// Workspace Trust and the digest cache, and adds the audit, pin and export commands, the Known Good
// view and the status bar item.
import * as path from 'path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import type { AuditRequestParams } from '../../server/src/lsp/audit-protocol';
import { AUDIT_WORKSPACE_REQUEST, WATCH_GLOB, WORKSPACE_TRUSTED_NOTIFICATION, type InitializationOptions } from '../../server/src/lsp/protocol';
import { AUDIT_COMMAND, auditWorkspace } from './commands';
import { EXPORT_COMMAND, exportReport } from './export';
import { FindingsView } from './findings-view';
import { VENDOR_WORKSPACE_COMMAND, vendorWorkspace } from './fixes';
import { PIN_WORKSPACE_COMMAND, pinWorkspace } from './pin';
import { OPEN_DOCS_COMMAND, openDocs, QUICK_FIX_COMMAND, quickFix } from './quick-fix';
import { filesExclude } from './server-progress';
import { DOCUMENT_SELECTOR } from './selector';
import { createStatusItem } from './status';

let client: LanguageClient | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('Known Good');
  context.subscriptions.push(output);
  const module = context.asAbsolutePath('dist/cli.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, args: ['lsp'] },
    debug: { module, transport: TransportKind.ipc, args: ['lsp'], options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const watcher = vscode.workspace.createFileSystemWatcher(WATCH_GLOB);
  context.subscriptions.push(watcher);
  const initializationOptions: InitializationOptions = {
    clientWatchesFiles: true,
    // Untrusted: no registry request, no credential helper, until trust is granted.
    trusted: vscode.workspace.isTrusted,
    cacheFile: path.join(context.globalStorageUri.fsPath, 'digests.json'),
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    outputChannel: output,
    initializationOptions,
    // Settings are pulled per resource; the server registers for configuration changes itself.
    synchronize: { fileEvents: watcher },
  };
  // The id `knownGood` makes the client honour the `knownGood.trace.server` setting.
  client = new LanguageClient('knownGood', 'Known Good', serverOptions, clientOptions);
  const started = client;
  context.subscriptions.push(
    vscode.commands.registerCommand(AUDIT_COMMAND, () => auditWorkspace(started, output)),
    vscode.commands.registerCommand(PIN_WORKSPACE_COMMAND, () => pinWorkspace(started, output)),
    vscode.commands.registerCommand(VENDOR_WORKSPACE_COMMAND, () => vendorWorkspace(started, output)),
    vscode.commands.registerCommand(EXPORT_COMMAND, () => exportReport(started, output)),
    vscode.commands.registerCommand(QUICK_FIX_COMMAND, quickFix),
    vscode.commands.registerCommand(OPEN_DOCS_COMMAND, openDocs),
  );
  createStatusItem(context);
  // The server starts in the background: activation does not wait for it (commands and the view's
  // requests wait for the connection themselves), so opening a Dockerfile never waits on Node's start-up.
  started.start().then(undefined, (e: unknown) => output.appendLine(`Known Good: the language server did not start: ${String(e)}`));
  const view = new FindingsView(started, context.workspaceState, output);
  context.subscriptions.push(
    view,
    // The audit's results follow files.exclude: audited folders are audited again in the background.
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('files.exclude') || !view.audited) return;
      const params: AuditRequestParams = { exclude: filesExclude() };
      started.sendRequest(AUDIT_WORKSPACE_REQUEST, params).then(undefined, (err: unknown) => output.appendLine(`Audit after a files.exclude change failed: ${String(err)}`));
    }),
  );
  // Trust can only be granted (never withdrawn without a reload), possibly while the server started.
  const trusted = () => void started.sendNotification(WORKSPACE_TRUSTED_NOTIFICATION);
  context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(trusted));
  if (vscode.workspace.isTrusted && !initializationOptions.trusted) trusted();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
