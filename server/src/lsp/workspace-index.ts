// The server's workspace index: per-file facts (image tags in use, scripts Dockerfiles run) from the
// files on disk, overridden by open documents; combined into the WorkspaceFacts the core reads.
import * as path from 'path';
import type { FileModel } from '../core/model';
import { EMPTY_WORKSPACE, type WorkspaceFacts } from '../core/rule';
import { combineFacts, factsOf, type FileFacts } from '../core/workspace';
import { auditOutcomes } from '../audit';
import { candidateByName } from '../scan';
import { absoluteFacts } from './absolute';
import type { IgnoreEntry } from '../core/config';
import { DEFAULT_SETTINGS } from '../core/types';
import { analyzeWithDependencies } from './analysis';

/**
 * Worker threads of the server's full audits and start-up index: one. The editor's main thread stays
 * free, a core stays with the editor itself, and the peak memory is ~70 MB lower than with two
 * workers for ~1 s more on 16,300 files (bench section 4).
 */
export const SERVER_AUDIT_WORKERS = 1;

/** Facts of one file's text (its scripts read with `readText`), without running rules; undefined for unsupported files. */
export async function factsOfText(file: string, text: string, readText: (file: string) => Promise<string | undefined>): Promise<FileFacts | undefined> {
  const out = await analyzeWithDependencies({ file, text, settings: DEFAULT_SETTINGS, workspace: EMPTY_WORKSPACE, rules: [] }, readText);
  const model = out?.result.model;
  return model ? factsOf(model) : undefined;
}

const same = (a: FileFacts | undefined, b: FileFacts | undefined) => JSON.stringify(a) === JSON.stringify(b);
const empty = (f: FileFacts | undefined) => !f || (!f.imageTags.length && !f.scripts.length);

export class WorkspaceIndex {
  private readonly disk = new Map<string, FileFacts>();
  private readonly open = new Map<string, FileFacts>();
  private combined: WorkspaceFacts = EMPTY_WORKSPACE;
  private dirty = false;

  /** The current facts (open documents win over their files on disk). */
  facts(): WorkspaceFacts {
    if (this.dirty) {
      const all = new Map(this.disk);
      for (const [file, f] of this.open) all.set(file, f);
      this.combined = combineFacts([...all.values()].filter((f) => !empty(f)));
      this.dirty = false;
    }
    return this.combined;
  }

  /** Record an open document's model; true when the facts changed. */
  setOpen(file: string, model: FileModel | undefined): boolean {
    // An open document is authoritative even when it contributes nothing (its file on disk may).
    const next = model ? factsOf(model) : { imageTags: [], scripts: [] };
    const before = this.open.get(file) ?? this.disk.get(file);
    this.open.set(file, next);
    return this.changed(before, next);
  }

  /** An open document closed: its file on disk counts again. True when the facts changed. */
  closeOpen(file: string): boolean {
    const before = this.open.get(file);
    if (!this.open.delete(file)) return false;
    return this.changed(before, this.disk.get(file));
  }

  /** A file on disk changed or was created; `text` undefined when it was deleted. True when the facts changed. */
  async setDisk(file: string, text: string | undefined, readText: (file: string) => Promise<string | undefined>): Promise<boolean> {
    const before = this.disk.get(file);
    const next = text === undefined ? undefined : await factsOfText(file, text, readText);
    if (empty(next)) this.disk.delete(file);
    else this.disk.set(file, next!);
    return !this.open.has(file) && this.changed(before, empty(next) ? undefined : next);
  }

  /** Whether a change to `file` on disk could matter to the index (by name; content decides later). */
  static isCandidate(file: string): boolean {
    if (/\/(node_modules|\.git)\//.test(file)) return false;
    return candidateByName(path.posix.basename(file)) !== 'no';
  }

  /** Files known to the index below `root` (to drop them when a folder is removed). */
  removeBelow(root: string): boolean {
    let changed = false;
    for (const file of [...this.disk.keys()]) {
      if (file === root || file.startsWith(`${root}/`)) {
        this.disk.delete(file);
        changed = true;
      }
    }
    this.dirty ||= changed;
    return changed;
  }

  /**
   * Index a workspace folder (files honour .gitignore and `.knowngood.yaml` ignores) with the audit
   * engine, which keeps the event loop free (worker threads, or turns between files). True when the facts changed.
   */
  async build(
    root: string,
    options: { signal?: AbortSignal; ignore?: IgnoreEntry[]; readText: (file: string) => Promise<string | undefined> },
    onError?: (message: string) => void,
  ): Promise<boolean> {
    const found = new Map<string, FileFacts>();
    // The audit engine, models only: worker threads for large folders, this thread's event loop free.
    const result = await auditOutcomes(root, undefined, { signal: options.signal, factsOnly: true, workers: SERVER_AUDIT_WORKERS, settings: { ...DEFAULT_SETTINGS, ignore: options.ignore ?? [] } });
    for (const e of result.errors) onError?.(`${e.file}: ${e.message}`);
    for (const o of result.outcomes) if (o.facts && !empty(o.facts)) found.set(path.posix.join(root, o.file), absoluteFacts(o.facts, root));
    let changed = false;
    for (const file of [...this.disk.keys()]) {
      if ((file.startsWith(`${root}/`) || file === root) && !found.has(file)) {
        this.disk.delete(file);
        changed = true;
      }
    }
    for (const [file, facts] of found) {
      if (!same(this.disk.get(file), facts)) changed = true;
      this.disk.set(file, facts);
    }
    this.dirty ||= changed;
    return changed;
  }

  private changed(before: FileFacts | undefined, after: FileFacts | undefined): boolean {
    const a = empty(before) ? undefined : before;
    const b = empty(after) ? undefined : after;
    if (same(a, b)) return false;
    this.dirty = true;
    return true;
  }
}
