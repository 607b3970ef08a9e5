// Document lifecycle: open, edit and close schedule analyses (and re-analyse the documents that read
// the changed one); editing `.knowngood.yaml` reloads the configuration for every open document.
import * as path from 'path';
import type { TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { CONFIG_FILE_NAMES } from '../core/config';
import type { DiagnosticsScheduler } from './diagnostics';
import { AUDIT_SOURCE, type DiagnosticStore } from './diagnostic-store';
import { guard, type ErrorLog } from './safe';
import type { SettingsManager } from './settings';
import { documentPath } from './uri';

export interface DocumentHandlerDeps {
  documents: TextDocuments<TextDocument>;
  /** Open documents by file path (kept here; read by the file reader and URI mapping). */
  openByPath: Map<string, string>;
  settings: SettingsManager;
  scheduler: DiagnosticsScheduler;
  store: DiagnosticStore;
  log: ErrorLog;
}

const isConfig = (file: string) => CONFIG_FILE_NAMES.includes(path.posix.basename(file));

/** Subscribe to the documents' open/change/close events. */
export function registerDocumentHandlers({ documents, openByPath, settings, scheduler, store, log }: DocumentHandlerDeps): void {
  // TextDocuments reports an open as a content change too: the first one is analysed at once.
  const justOpened = new Set<string>();
  documents.onDidOpen(
    guard(log, 'open', (e) => {
      openByPath.set(documentPath(e.document.uri), e.document.uri);
      justOpened.add(e.document.uri);
      // Live analysis replaces what a workspace audit said about this file.
      store.deleteTarget(AUDIT_SOURCE, e.document.uri);
    }, undefined),
  );
  documents.onDidChangeContent(
    guard(log, 'change', (e) => {
      const uri = e.document.uri;
      const file = documentPath(uri);
      const opening = justOpened.delete(uri);
      if (isConfig(file) && !opening) {
        settings.configFileChanged(path.posix.dirname(file));
        scheduler.scheduleAll();
        return;
      }
      scheduler.schedule(uri, opening ? 0 : undefined);
      // Documents that read this one as a dependency (a Dockerfile and its open entrypoint script).
      for (const dependent of scheduler.dependents(file)) if (dependent !== uri) scheduler.schedule(dependent);
    }, undefined),
  );
  documents.onDidClose(
    guard(log, 'close', (e) => {
      const uri = e.document.uri;
      const file = documentPath(uri);
      if (openByPath.get(file) === uri) openByPath.delete(file);
      justOpened.delete(uri);
      const dependents = scheduler.dependents(file);
      scheduler.closed(uri);
      if (isConfig(file)) {
        settings.configFileChanged(path.posix.dirname(file));
        scheduler.scheduleAll();
      }
      // They read this document's text; now they read the file on disk.
      for (const dependent of dependents) scheduler.schedule(dependent);
    }, undefined),
  );
}
