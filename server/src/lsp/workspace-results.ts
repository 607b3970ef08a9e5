// The workspace audit's results across folders: runs full audits, applies file changes and live
// analyses incrementally, publishes the audit's diagnostics per file, answers the view and exports.
import { createHash } from 'crypto';
import * as path from 'path';
import type { FileEvent } from 'vscode-languageserver';
import { mergeDuplicates, type AuditResult } from '../audit';
import { codeHref, type AnalyzeResult } from '../core/analyze';
import { CONFIG_FILE_NAMES, mergeSettings } from '../core/config';
import type { Finding } from '../core/types';
import { factsOf } from '../core/workspace';
import { AuditFilter } from './audit-filter';
import type { AuditedFolder, FileFindings, FindingsChangedParams, FindingsResult, ViewFinding } from './audit-protocol';
import { toDiagnostic } from './convert';
import { AUDIT_SOURCE, type Diagnostics, type DiagnosticStore } from './diagnostic-store';
import { FolderAudit, SERVER_AUDIT_WORKERS } from './folder-audit';
import type { Folder, SettingsManager } from './settings';
import { isInside, uriToPath } from './uri';

export interface WorkspaceResultsDeps {
  settings: SettingsManager;
  store: DiagnosticStore;
  /** URI of a file (open documents keep theirs). */
  uriOf: (file: string) => string | undefined;
  /** Whether a URI is open in the editor (its live diagnostics win over the audit's). */
  isOpen: (uri: string) => boolean;
  openText: (file: string) => string | undefined;
  readText: (file: string) => Promise<string | undefined>;
  /** Informational log (one line per file an incremental update analyses, audit timings). */
  info: (message: string) => void;
  /** Error log. */
  log: (message: string) => void;
  /** Sends `knownGood/findingsChanged`. */
  notify: (params: FindingsChangedParams) => void;
}

/** Progress of a full audit: which folder, which pass, files done of the folder's total. */
export type AuditProgress = (folderIndex: number, folder: Folder, done: number, total: number) => void;

/** Files that restart a folder's audit when they change (which files belong to it may have changed). */
const RESCAN_FILES = new Set([...CONFIG_FILE_NAMES, '.gitignore']);

/** A short digest of a file's view findings: 16,000 files' JSON would otherwise stay in memory. */
const digest = (json: string) => createHash('sha1').update(json).digest('base64');
const EMPTY = digest('[]');

export class WorkspaceResults {
  private readonly audits = new Map<string, FolderAudit>();
  private readonly excludes = new Map<string, string[]>();
  /** What the view was last told per file (a digest of its JSON), to announce only real changes. */
  private readonly sent = new Map<string, string>();
  private revision = 0;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: WorkspaceResultsDeps) {}

  /** Audited folders and their results (the audit request counts them). */
  folderAudits(uris?: readonly string[]): FolderAudit[] {
    return [...this.audits.values()].filter((a) => !uris || uris.includes(a.folder.uri));
  }

  /**
   * Audit `folders` from scratch. `commit()` false (the request was cancelled) leaves the previous
   * results in place. Returns the folders audited, stopping at the first cancelled one.
   */
  audit(folders: readonly Folder[], exclude: Record<string, string[]> | undefined, signal: AbortSignal, onProgress: AuditProgress, commit: () => boolean): Promise<{ audits: FolderAudit[]; cancelled: boolean }> {
    return this.serial(async () => {
      const audits: FolderAudit[] = [];
      let cancelled = false;
      for (const [i, folder] of folders.entries()) {
        if (signal.aborted) {
          cancelled = true;
          break;
        }
        if (exclude?.[folder.uri]) this.excludes.set(folder.uri, exclude[folder.uri]);
        const started = performance.now();
        const audit = await this.create(folder);
        try {
          await audit.run(signal, (done, total) => onProgress(i, folder, done, total));
        } catch (e) {
          if (!signal.aborted) throw e;
          cancelled = true;
          break;
        }
        audits.push(audit);
        for (const e of audit.errors) this.deps.log(`Known Good audit: ${path.posix.join(folder.path, e.file)}: ${e.message}`);
        this.deps.info(`Known Good: audited ${folder.path} (${audit.entries.size} files${audit.partial ? ', cancelled' : ''}) in ${(performance.now() - started).toFixed(0)} ms`);
        if (audit.partial) {
          cancelled = true;
          break;
        }
      }
      if (commit()) this.install(audits);
      return { audits, cancelled };
    });
  }

  /** Watched files changed: re-analyse what changed; a `.knowngood.yaml` or `.gitignore` re-audits its folder. */
  filesChanged(changes: readonly FileEvent[]): Promise<void> {
    return this.serial(async () => {
      const perAudit = new Map<FolderAudit, string[]>();
      const rescan = new Set<FolderAudit>();
      for (const change of changes) {
        const file = uriToPath(change.uri);
        const audit = file === undefined ? undefined : this.auditOf(file);
        if (!audit || file === undefined) continue;
        if (RESCAN_FILES.has(path.posix.basename(file))) {
          rescan.add(audit);
          continue;
        }
        perAudit.set(audit, [...(perAudit.get(audit) ?? []), file]);
      }
      for (const audit of rescan) {
        perAudit.delete(audit);
        this.deps.settings.configFileChanged(audit.folder.path);
        await this.reaudit(audit.folder);
      }
      for (const [audit, files] of perAudit) this.publish(audit, await audit.update(files));
    }, true);
  }

  /** An open document (`file:` URI) was analysed: its findings replace the file's in the audit results. */
  openAnalysed(uri: string, result: AnalyzeResult): Promise<void> {
    const file = uriToPath(uri);
    const audit = file === undefined ? undefined : this.auditOf(file);
    if (!audit || file === undefined) return Promise.resolve();
    return this.serial(async () => {
      if (this.audits.get(audit.folder.uri) !== audit) return;
      const touched = result.kind
        ? await audit.setLive(file, result.kind, result.model ? factsOf(result.model) : undefined, result.findings, result.dependencies)
        : await audit.update([file]);
      this.publish(audit, touched);
    }, true);
  }

  /** A document (`file:` URI) closed: the file on disk counts again. */
  closed(uri: string): Promise<void> {
    const file = uriToPath(uri);
    const audit = file === undefined ? undefined : this.auditOf(file);
    if (!audit || file === undefined) return Promise.resolve();
    return this.serial(async () => {
      if (this.audits.get(audit.folder.uri) === audit) this.publish(audit, await audit.update([file]));
    }, true);
  }

  /** Settings changed (rules, include/exclude): audited folders are audited again in the background. */
  configurationChanged(): Promise<void> {
    return this.serial(async () => {
      for (const audit of [...this.audits.values()]) await this.reaudit(audit.folder);
    }, true);
  }

  /** Workspace folders changed: forget the results of removed folders. */
  foldersChanged(): Promise<void> {
    return this.serial(async () => {
      const kept = new Set(this.deps.settings.folders.map((f) => f.uri));
      for (const uri of [...this.audits.keys()]) if (!kept.has(uri)) this.audits.delete(uri);
      this.install([]);
    }, true);
  }

  /** `knownGood/findings`: every file with findings, or exactly `uris`. */
  findings(uris?: readonly string[]): FindingsResult {
    const folders: AuditedFolder[] = [...this.audits.values()].map((a) => ({ uri: a.folder.uri, name: a.folder.name, files: a.entries.size, partial: a.partial }));
    const files: FileFindings[] = [];
    if (uris) {
      for (const uri of uris) {
        const file = uriToPath(uri);
        const audit = file === undefined ? undefined : this.auditOf(file);
        if (audit && file !== undefined) files.push(this.fileFindings(audit, file, this.findingsIn(audit, new Set([file])).get(file) ?? []));
      }
    } else {
      for (const audit of this.audits.values()) {
        for (const [file, list] of this.findingsIn(audit)) if (list.length) files.push(this.fileFindings(audit, file, list));
      }
    }
    return { revision: this.revision, folders, files };
  }

  /** The audit result of one folder in the CLI's shape (paths relative to the folder), for the formatters. */
  report(folderUri: string): AuditResult | undefined {
    const audit = this.audits.get(folderUri);
    if (!audit) return undefined;
    const relative = (f: Finding): Finding => ({
      ...f,
      location: { ...f.location, file: audit.rel(f.location.file) },
      related: f.related?.map((r) => ({ ...r, location: { ...r.location, file: audit.rel(r.location.file) } })),
    });
    const findings = [...this.findingsIn(audit).values()].flat().map(relative);
    return {
      root: audit.folder.path,
      files: [...audit.entries.values()].map((e) => ({ file: audit.rel(e.file), kind: e.kind })).sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)),
      findings: mergeDuplicates(findings),
      errors: [...audit.errors],
    };
  }

  /** Per target file of `audit` (all, or those in `only`): its merged findings, for files the settings include. */
  findingsIn(audit: FolderAudit, only?: ReadonlySet<string>): Map<string, Finding[]> {
    const out = new Map<string, Finding[]>();
    for (const [target, list] of this.rawFindingsIn(audit, only)) out.set(target, mergeDuplicates(list));
    for (const target of only ?? []) if (!out.has(target)) out.set(target, []);
    return out;
  }

  /** The findings of `audit` per target file, as the entries hold them (duplicates not merged yet). */
  private rawFindingsIn(audit: FolderAudit, only?: ReadonlySet<string>): Map<string, Finding[]> {
    const raw = new Map<string, Finding[]>();
    for (const entry of audit.entries.values()) {
      for (const f of entry.findings) {
        const target = f.location.file;
        if (only && !only.has(target)) continue;
        const rel = audit.rel(target);
        if (!isInside(audit.folder.path, target) || !audit.filter.included(rel)) continue;
        const list = raw.get(target);
        if (list) list.push(f);
        else raw.set(target, [f]);
      }
    }
    return raw;
  }

  private fileFindings(audit: FolderAudit, file: string, list: readonly Finding[]): FileFindings {
    const findings: ViewFinding[] = list.map((f) => ({ ruleId: f.ruleId, severity: f.severity, message: f.message, range: f.range, docUrl: codeHref(f.ruleId) }));
    return { uri: this.deps.uriOf(file) ?? file, folderUri: audit.folder.uri, path: audit.rel(file), findings };
  }

  private async create(folder: Folder): Promise<FolderAudit> {
    const { settings } = this.deps;
    const [editor, config] = await Promise.all([settings.editorSettings(folder.uri), settings.folderConfig(folder.path)]);
    const filter = new AuditFilter(folder.path, config.ignore, editor, this.excludes.get(folder.uri) ?? []);
    const merged = mergeSettings(config, editor.rules, folder.path);
    // As the live analysis resolves it (knownGood.maxFileSizeKB).
    if (editor.maxFileSize !== undefined) merged.maxFileSize = editor.maxFileSize;
    return new FolderAudit(folder, merged, filter, { ...this.deps, workers: SERVER_AUDIT_WORKERS });
  }

  /** Audit one folder again in the background (inside the queue). */
  private async reaudit(folder: Folder): Promise<void> {
    const current = this.deps.settings.folders.find((f) => f.uri === folder.uri);
    if (!current) return;
    const started = performance.now();
    const audit = await this.create(current);
    await audit.run(new AbortController().signal, () => undefined);
    this.deps.info(`Known Good: audited ${current.path} (${audit.entries.size} files) in ${(performance.now() - started).toFixed(0)} ms`);
    this.install([audit]);
  }

  /** Replace the results of the given folders; publish every audit diagnostic again; tell the view. */
  private install(audits: readonly FolderAudit[]): void {
    for (const a of audits) this.audits.set(a.folder.uri, a);
    const perTarget = new Map<string, Diagnostics>();
    this.sent.clear();
    for (const audit of this.audits.values()) {
      for (const [target, raw] of this.rawFindingsIn(audit)) {
        const uri = this.deps.uriOf(target);
        const list = mergeDuplicates(raw);
        if (uri === undefined || !list.length) continue;
        this.sent.set(uri, digest(JSON.stringify(this.fileFindings(audit, target, list).findings)));
        // Made when published: the audit's findings are not kept a second time as diagnostics.
        if (!this.deps.isOpen(uri)) perTarget.set(uri, () => mergeDuplicates(raw).map((f) => toDiagnostic(f, this.deps.uriOf)));
      }
    }
    this.deps.store.set(AUDIT_SOURCE, perTarget);
    this.deps.notify({ revision: ++this.revision });
  }

  /** Publish the diagnostics of `touched` files and announce those whose findings changed. */
  private publish(audit: FolderAudit, touched: ReadonlySet<string>): void {
    if (!touched.size) return;
    const changed: string[] = [];
    for (const [target, list] of this.findingsIn(audit, touched)) {
      const uri = this.deps.uriOf(target);
      if (uri === undefined) continue;
      const view = digest(JSON.stringify(this.fileFindings(audit, target, list).findings));
      if ((this.sent.get(uri) ?? EMPTY) !== view) changed.push(uri);
      if (list.length) this.sent.set(uri, view);
      else this.sent.delete(uri);
      if (!this.deps.isOpen(uri)) this.deps.store.setTarget(AUDIT_SOURCE, uri, list.map((f) => toDiagnostic(f, this.deps.uriOf)));
    }
    if (changed.length) this.deps.notify({ revision: ++this.revision, uris: changed.sort() });
  }

  /** The audited folder holding `file` (the innermost). */
  private auditOf(file: string): FolderAudit | undefined {
    let best: FolderAudit | undefined;
    for (const a of this.audits.values()) if (isInside(a.folder.path, file) && (!best || a.folder.path.length > best.folder.path.length)) best = a;
    return best;
  }

  /**
   * Run `fn` after everything queued before it (audits and updates never interleave). Background work
   * (`background`) has its failure logged and resolves; a request's failure rejects for the caller.
   */
  private serial<T>(fn: () => Promise<T>): Promise<T>;
  private serial(fn: () => Promise<void>, background: true): Promise<void>;
  private serial<T>(fn: () => Promise<T>, background = false): Promise<T | void> {
    const run = this.queue.then(fn, fn);
    const logged = run.catch((e: unknown) => this.deps.log(`Known Good: audit update failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));
    this.queue = logged;
    return background ? logged : run;
  }
}
