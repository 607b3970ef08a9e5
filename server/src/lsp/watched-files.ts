// workspace/didChangeWatchedFiles: re-analyse open documents that depend on a changed file, reload
// `.knowngood.yaml`, keep the workspace index current, and drop audit results the change made stale.
import * as path from 'path';
import { FileChangeType, type FileEvent } from 'vscode-languageserver';
import { CONFIG_FILE_NAMES } from '../core/config';
import type { DiagnosticsScheduler } from './diagnostics';
import { AUDIT_SOURCE, type DiagnosticStore } from './diagnostic-store';
import type { SettingsManager } from './settings';
import { uriToPath } from './uri';
import { WorkspaceIndex } from './workspace-index';

export interface WatchedFilesDeps {
  settings: SettingsManager;
  scheduler: DiagnosticsScheduler;
  index: WorkspaceIndex;
  store: DiagnosticStore;
  readText: (file: string) => Promise<string | undefined>;
  /** Whether `file` is open in the editor (the editor's text then wins over the disk). */
  isOpenFile: (file: string) => boolean;
  /** A `.knowngood.yaml` changed: its `ignore:` entries decide which files the index holds. */
  reindex: () => void;
}

/** Handle a batch of file events. */
export async function watchedFilesChanged(deps: WatchedFilesDeps, changes: readonly FileEvent[]): Promise<void> {
  let reanalyseAll = false;
  const dependents = new Set<string>();
  const indexUpdates: Promise<boolean>[] = [];
  for (const change of changes) {
    const file = uriToPath(change.uri);
    if (file === undefined) continue;
    deps.store.deleteTarget(AUDIT_SOURCE, change.uri);
    if (CONFIG_FILE_NAMES.includes(path.posix.basename(file))) {
      deps.settings.configFileChanged(path.posix.dirname(file));
      deps.reindex();
      reanalyseAll = true;
      continue;
    }
    for (const uri of deps.scheduler.dependents(file)) dependents.add(uri);
    if (deps.isOpenFile(file) || !WorkspaceIndex.isCandidate(file)) continue;
    const text = change.type === FileChangeType.Deleted ? Promise.resolve(undefined) : deps.readText(file);
    indexUpdates.push(text.then((t) => deps.index.setDisk(file, t, deps.readText)));
  }
  if ((await Promise.all(indexUpdates)).some(Boolean)) reanalyseAll = true;
  if (reanalyseAll) deps.scheduler.scheduleAll();
  else for (const uri of dependents) deps.scheduler.schedule(uri);
}
