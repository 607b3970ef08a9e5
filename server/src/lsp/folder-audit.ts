// One workspace folder's audit results, per file: a full audit by the audit engine (audit.ts), then
// incremental updates that re-analyse only changed files, the files that read them, and, when a
// file's workspace facts changed, the files those facts concern.
import { promises as fs } from 'fs';
import * as path from 'path';
import { auditOutcomes } from '../audit';
import { absoluteEntry } from './absolute';
import { INTERNAL_ERROR } from '../core/analyze';
import { detectKind } from '../core/detect';
import { EMPTY_WORKSPACE, type WorkspaceFacts } from '../core/rule';
import type { FileKind, Finding, Settings } from '../core/types';
import { combineFacts, type FileFacts } from '../core/workspace';
import { errorMessage, MAX_FILE_BYTES, walk, type ScanError } from '../scan';
import { analyzeWithDependencies } from './analysis';
import type { AuditFilter } from './audit-filter';
import type { Folder } from './settings';
import { isInside } from './uri';
import { factsOfText, SERVER_AUDIT_WORKERS } from './workspace-index';

export { SERVER_AUDIT_WORKERS };

/** What the last analysis of one audited file produced. */
export interface FileEntry {
  /** Absolute posix path. */
  file: string;
  kind: FileKind;
  facts?: FileFacts;
  /** Findings of this file's analysis (also in other files: a Dockerfile's in its entrypoint script). */
  findings: Finding[];
  /** Files the analysis read (absolute); a change to one re-analyses this file. */
  dependencies: string[];
}

export interface FolderAuditDeps {
  /** The editor's text of an open document. */
  openText: (file: string) => string | undefined;
  /** Any file's text (open documents first), undefined when unreadable. */
  readText: (file: string) => Promise<string | undefined>;
  /** One line per file analysed by an incremental update ("Known Good: analysed …"). */
  info: (message: string) => void;
  /** Worker threads of a full audit (0: none; default: the engine's, one per core). */
  workers?: number;
}

/** Facts are compared by value; undefined and "nothing" are the same. */
const sameFacts = (a: FileFacts | undefined, b: FileFacts | undefined) => JSON.stringify(norm(a)) === JSON.stringify(norm(b));
const norm = (f: FileFacts | undefined) => (f && (f.imageTags.length || f.scripts.length) ? f : undefined);

/** Kinds whose rules read the workspace's image tags (ecr-mutable-tags). */
const IMAGE_TAG_READERS: ReadonlySet<FileKind> = new Set(['terraform', 'cloudformation']);

export class FolderAudit {
  readonly entries = new Map<string, FileEntry>();
  /** Paths (relative) the full scan could not read. */
  errors: ScanError[] = [];
  /** The full audit was cancelled: entries cover part of the folder. */
  partial = false;
  private facts: WorkspaceFacts = EMPTY_WORKSPACE;

  constructor(
    readonly folder: Folder,
    readonly settings: Settings,
    readonly filter: AuditFilter,
    private readonly deps: FolderAuditDeps,
  ) {}

  /** Posix path relative to the folder. */
  rel(file: string): string {
    return path.posix.relative(this.folder.path, file);
  }

  /**
   * The full audit: scan, facts of every file, then every file's findings (`onProgress` counts both passes). Aborting during the
   * findings pass keeps what was analysed (`partial`); aborting earlier rethrows.
   */
  async run(signal: AbortSignal, onProgress: (done: number, total: number) => void): Promise<void> {
    const root = this.folder.path;
    const result = await auditOutcomes(root, undefined, {
      signal,
      settings: this.settings,
      workers: this.deps.workers,
      include: (rel) => this.filter.included(rel),
      openText: (rel) => this.deps.openText(path.posix.join(root, rel)),
      onProgress,
      keepPartial: true,
    });
    this.errors = result.errors;
    this.partial = Boolean(result.partial);
    for (const o of result.outcomes) {
      const entry = absoluteEntry(o, root);
      this.entries.set(entry.file, entry);
    }
    this.recombine();
  }

  /**
   * Files changed on disk (or closed in the editor, so the disk counts again). Returns the files whose
   * findings may have changed.
   */
  async update(changed: readonly string[]): Promise<Set<string>> {
    const touched = new Set<string>();
    const candidates = new Set<string>();
    for (const file of changed) {
      candidates.add(file);
      // A deleted or renamed folder: everything known below it.
      for (const known of this.entries.keys()) if (known.startsWith(`${file}/`)) candidates.add(known);
      // A created (or moved-in) folder may be announced alone: what it holds.
      if ((await fs.stat(file).catch(() => undefined))?.isDirectory() && isInside(this.folder.path, file)) {
        await walk(this.folder.path, [file], { ignore: this.settings.ignore }, (f) => candidates.add(path.posix.join(this.folder.path, f.file)), () => undefined);
      }
    }
    const toAnalyse = new Map<string, { text: string; kind: FileKind }>();
    for (const file of candidates) {
      const current = await this.current(file);
      if (current) toAnalyse.set(file, current);
      else this.remove(file, touched);
      for (const entry of this.entries.values()) {
        if (entry.dependencies.includes(file) && !toAnalyse.has(entry.file)) {
          const t = await this.current(entry.file);
          if (t) toAnalyse.set(entry.file, t);
        }
      }
    }
    await this.reanalyse(toAnalyse, touched);
    return touched;
  }

  /** An open document's live analysis replaces the file's entry. Returns the files whose findings may have changed. */
  async setLive(file: string, kind: FileKind, facts: FileFacts | undefined, findings: Finding[], dependencies: string[]): Promise<Set<string>> {
    const touched = new Set<string>();
    if (!this.entries.has(file) && !(await this.filter.accepts(this.rel(file)))) return touched;
    const before = this.entries.get(file);
    this.entries.set(file, { file, kind, facts, findings, dependencies });
    touched.add(file);
    for (const t of [...(before?.findings ?? []), ...findings]) touched.add(t.location.file);
    if (!sameFacts(before?.facts, facts)) await this.factsChanged([{ before: before?.facts, after: facts }], new Set([file]), touched);
    return touched;
  }

  /** The file's text and kind when it belongs to the audit now; undefined when it does not (or is gone). */
  private async current(file: string): Promise<{ text: string; kind: FileKind } | undefined> {
    if (!(await this.filter.accepts(this.rel(file)))) return undefined;
    let text = this.deps.openText(file);
    if (text === undefined) {
      const st = await fs.stat(file).catch(() => undefined);
      if (!st?.isFile() || st.size > MAX_FILE_BYTES) return undefined;
      text = await this.deps.readText(file);
    }
    if (text === undefined) return undefined;
    const kind = detectKind(file, text);
    return kind ? { text, kind } : undefined;
  }

  private remove(file: string, touched: Set<string>): void {
    const before = this.entries.get(file);
    if (!before) return;
    this.entries.delete(file);
    for (const f of before.findings) touched.add(f.location.file);
    touched.add(file);
    if (norm(before.facts)) this.pendingFacts.push({ before: before.facts, after: undefined });
  }

  private pendingFacts: { before?: FileFacts; after?: FileFacts }[] = [];

  /** Facts first (every changed file), then findings of the changed files and of those the facts concern. */
  private async reanalyse(files: Map<string, { text: string; kind: FileKind }>, touched: Set<string>): Promise<void> {
    const read = (f: string) => this.deps.readText(f);
    const changes = this.pendingFacts;
    this.pendingFacts = [];
    const newFacts = new Map<string, FileFacts | undefined>();
    for (const [file, { text }] of files) {
      const after = await safeFacts(file, text, read);
      newFacts.set(file, after);
      const before = this.entries.get(file)?.facts;
      if (!sameFacts(before, after)) changes.push({ before, after });
    }
    if (changes.length) this.recombine(newFacts);
    for (const [file, { text, kind }] of files) {
      const started = performance.now();
      const entry = await this.analyse(file, text, read, kind);
      entry.facts = newFacts.get(file);
      this.replace(entry, touched);
      this.deps.info(`Known Good: analysed ${file} (workspace audit) in ${(performance.now() - started).toFixed(1)} ms`);
    }
    if (changes.length) await this.factsChanged(changes, new Set(files.keys()), touched);
  }

  /** The workspace facts from every entry's facts (`overrides` win). */
  private recombine(overrides: ReadonlyMap<string, FileFacts | undefined> = new Map()): void {
    const all = new Map<string, FileFacts | undefined>();
    for (const [file, e] of this.entries) all.set(file, e.facts);
    for (const [file, f] of overrides) all.set(file, f);
    this.facts = combineFacts([...all.values()].filter((f): f is FileFacts => !!norm(f)));
  }

  /**
   * Facts changed: recombine them and re-analyse the files they concern: the scripts named in the old
   * or new facts, and, when image tags changed, the files whose rules read them (except `done`).
   */
  private async factsChanged(changes: readonly { before?: FileFacts; after?: FileFacts }[], done: ReadonlySet<string>, touched: Set<string>): Promise<void> {
    this.recombine();
    const scripts = new Set<string>();
    let tagsChanged = false;
    for (const { before, after } of changes) {
      for (const s of [...(before?.scripts ?? []), ...(after?.scripts ?? [])]) scripts.add(s.path);
      if (JSON.stringify(before?.imageTags ?? []) !== JSON.stringify(after?.imageTags ?? [])) tagsChanged = true;
    }
    const read = (f: string) => this.deps.readText(f);
    for (const entry of [...this.entries.values()]) {
      if (done.has(entry.file)) continue;
      if (!scripts.has(entry.file) && !(tagsChanged && IMAGE_TAG_READERS.has(entry.kind))) continue;
      const current = await this.current(entry.file);
      if (!current) {
        this.remove(entry.file, touched);
        continue;
      }
      const started = performance.now();
      const next = await this.analyse(entry.file, current.text, read, current.kind);
      next.facts = entry.facts;
      this.replace(next, touched);
      this.deps.info(`Known Good: analysed ${entry.file} (workspace audit, facts changed) in ${(performance.now() - started).toFixed(1)} ms`);
    }
  }

  private replace(entry: FileEntry, touched: Set<string>): void {
    const before = this.entries.get(entry.file);
    for (const f of [...(before?.findings ?? []), ...entry.findings]) touched.add(f.location.file);
    touched.add(entry.file);
    this.entries.set(entry.file, entry);
  }

  private async analyse(file: string, text: string, read: (f: string) => Promise<string | undefined>, kind: FileKind): Promise<FileEntry> {
    try {
      const out = await analyzeWithDependencies({ file, text, settings: this.settings, workspace: this.facts }, read);
      const result = out!.result;
      return { file, kind: result.kind ?? kind, findings: result.findings, dependencies: result.dependencies };
    } catch (e) {
      const finding: Finding = {
        ruleId: INTERNAL_ERROR,
        message: `Known Good could not analyse this file: ${errorMessage(e)}. Other files are unaffected; please report this.`,
        severity: 'error',
        location: { file, span: { start: 0, end: 0 } },
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      };
      return { file, kind, findings: [finding], dependencies: [] };
    }
  }
}

async function safeFacts(file: string, text: string, read: (f: string) => Promise<string | undefined>): Promise<FileFacts | undefined> {
  try {
    return await factsOfText(file, text, read);
  } catch {
    return undefined; // the findings pass reports the failure
  }
}
