// What the user sees around a pin: `window/showMessage`, server-created work-done progress, and
// WorkspaceEdits in the form the client supports.
import { MessageType, ShowMessageNotification, type ClientCapabilities, type Connection, type Range, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';

/** What the client said it supports (from `initialize`). */
export interface ClientCaps {
  /** CodeAction literals (otherwise only Commands could be returned). */
  codeActionLiteral: boolean;
  /** `codeAction/resolve` can fill in `edit`. */
  resolveEdit: boolean;
  /** `data` is kept from codeAction to resolve. */
  data: boolean;
  /** `disabled` is shown. */
  disabled: boolean;
  /** Versioned `documentChanges` in WorkspaceEdits. */
  documentChanges: boolean;
  /** Change annotations (with `needsConfirmation`) in WorkspaceEdits. */
  changeAnnotations: boolean;
  /** `window/workDoneProgress/create`. */
  serverProgress: boolean;
}

export const NO_CAPS: ClientCaps = { codeActionLiteral: false, resolveEdit: false, data: false, disabled: false, documentChanges: false, changeAnnotations: false, serverProgress: false };

/** A `window/showMessage` notification (never waits for the user). */
export function notify(connection: Connection, type: 'error' | 'warning' | 'info', message: string): void {
  const t = type === 'error' ? MessageType.Error : type === 'warning' ? MessageType.Warning : MessageType.Info;
  void connection.sendNotification(ShowMessageNotification.type, { type: t, message });
}

/** Run `work` under server-created progress when the client supports it. */
export async function withProgress<T>(connection: Connection, caps: ClientCaps, title: string, message: string, work: () => Promise<T>): Promise<T> {
  if (!caps.serverProgress) return work();
  let reporter: Awaited<ReturnType<Connection['window']['createWorkDoneProgress']>> | undefined;
  try {
    reporter = await connection.window.createWorkDoneProgress();
    reporter.begin(title, undefined, message, false);
  } catch {
    reporter = undefined;
  }
  try {
    return await work();
  } finally {
    reporter?.done();
  }
}

/** A WorkspaceEdit of `edits` to one open document, tied to its version when the client allows. */
export function documentEdit(doc: TextDocument, edits: { range: Range; newText: string }[], caps: ClientCaps): WorkspaceEdit {
  const textEdits: TextEdit[] = edits.map((e) => ({ range: e.range, newText: e.newText }));
  if (caps.documentChanges) return { documentChanges: [{ textDocument: { uri: doc.uri, version: doc.version }, edits: textEdits }] };
  return { changes: { [doc.uri]: textEdits } };
}

/** The client capabilities pin actions depend on. */
export function readClientCaps(caps: ClientCapabilities): ClientCaps {
  const ca = caps.textDocument?.codeAction;
  const edit = caps.workspace?.workspaceEdit;
  return {
    codeActionLiteral: !!ca?.codeActionLiteralSupport,
    resolveEdit: !!ca?.resolveSupport?.properties.includes('edit'),
    data: !!ca?.dataSupport,
    disabled: !!ca?.disabledSupport,
    documentChanges: !!edit?.documentChanges,
    changeAnnotations: !!edit?.documentChanges && !!edit?.changeAnnotationSupport,
    serverProgress: !!caps.window?.workDoneProgress,
  };
}
