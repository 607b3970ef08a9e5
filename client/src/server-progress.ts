// Runs a server request under a cancellable VS Code progress notification fed by the server's
// `$/progress` reports, and collects each folder's `files.exclude` globs for the audit.
import { randomUUID } from 'crypto';
import * as vscode from 'vscode';
import { WorkDoneProgress, type LanguageClient } from 'vscode-languageclient/node';

/**
 * Show `title` in a cancellable notification while `send(workDoneToken, token)` runs; the server's
 * work-done reports (percentages, "12/40 files") drive it. Cancelling rejects with CancellationError.
 */
export function withServerProgress<T>(client: LanguageClient, title: string, send: (workDoneToken: string, token: vscode.CancellationToken) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const workDoneToken = randomUUID();
    let reported = 0;
    const listener = client.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
      if (value.kind === 'end') return;
      const pct = value.percentage ?? reported;
      progress.report({ increment: Math.max(0, pct - reported), message: value.message });
      reported = Math.max(reported, pct);
    });
    try {
      return await send(workDoneToken, token);
    } finally {
      listener.dispose();
    }
  });
}

/**
 * A workspace-wide request (`params` get the work-done token) under `withServerProgress`, with the
 * messages for no folder, cancellation and failure (`activity`: "pinning"); undefined when it did not complete.
 */
export async function workspaceRequest<R>(
  client: LanguageClient,
  output: vscode.OutputChannel,
  method: string,
  text: { noFolder: string; title: string; activity: string },
): Promise<R | undefined> {
  if (!vscode.workspace.workspaceFolders?.length) {
    void vscode.window.showInformationMessage(`Known Good: ${text.noFolder}`);
    return undefined;
  }
  try {
    return await withServerProgress(client, text.title, (workDoneToken, token) => client.sendRequest<R>(method, { workDoneToken }, token));
  } catch (e) {
    if (e instanceof vscode.CancellationError) return void vscode.window.showInformationMessage(`Known Good: ${text.activity} cancelled.`);
    output.appendLine(`${text.activity[0].toUpperCase()}${text.activity.slice(1)} failed: ${e instanceof Error ? e.message : String(e)}`);
    return void vscode.window.showErrorMessage(`Known Good: ${text.activity} failed; see the Known Good output for details.`);
  }
}

/** The `files.exclude` globs switched on (`true`) for each workspace folder, by folder URI. */
export function filesExclude(): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const map = vscode.workspace.getConfiguration('files', folder.uri).get<Record<string, unknown>>('exclude') ?? {};
    // `{ "when": … }` entries depend on sibling files; only plain `true` entries are passed on.
    out[folder.uri.toString()] = Object.entries(map).filter(([, on]) => on === true).map(([glob]) => glob);
  }
  return out;
}
