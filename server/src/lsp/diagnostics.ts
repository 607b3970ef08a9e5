// Diagnostics for open documents: debounced analysis per URI, stale runs dropped, results published
// through the DiagnosticStore (to the document and to the files its findings are reported in).
import type { TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { INTERNAL_ERROR, type AnalyzeResult } from '../core/analyze';
import type { Settings } from '../core/types';
import { analyzeWithDependencies } from './analysis';
import { groupByTarget } from './convert';
import type { DiagnosticStore } from './diagnostic-store';
import type { SettingsManager } from './settings';
import { rulesUnderTest } from '../test-hooks';
import { documentPath } from './uri';
import type { WorkspaceIndex } from './workspace-index';

/** The registered rules, unless the test hook KG_TEST_THROWING_RULE replaces one (see test-hooks.ts). */
const RULES_RUN = rulesUnderTest();

/** The last analysis of an open document. */
export interface OpenAnalysis {
  version: number;
  file: string;
  result: AnalyzeResult;
  /** Dependency texts the analysis used (for hover re-analysis). */
  files: ReadonlyMap<string, string>;
}

export interface DiagnosticsDeps {
  documents: TextDocuments<TextDocument>;
  settings: SettingsManager;
  index: WorkspaceIndex;
  store: DiagnosticStore;
  readText: (file: string) => Promise<string | undefined>;
  /** URI to publish a file's diagnostics under (open documents keep their own URI). */
  uriOf: (file: string) => string | undefined;
  /** Resolves once the parsers are loaded. */
  ready: Promise<void>;
  log: (message: string) => void;
  /** Informational log (timings). */
  info?: (message: string) => void;
  debounceMs: number;
  /** Current digests of `name:tag` references for stale-digest (a snapshot per analysis). */
  digests?: () => Map<string, string>;
  /** Called after each published analysis with the digests it used (starts background checks). */
  analysed?: (uri: string, result: AnalyzeResult, settings: Settings, digests: ReadonlyMap<string, string>) => void;
}

export class DiagnosticsScheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly generation = new Map<string, number>();
  private readonly latestByUri = new Map<string, OpenAnalysis>();
  private running = 0;
  private idle: (() => void)[] = [];

  constructor(private readonly deps: DiagnosticsDeps) {}

  /** Analyse `uri` after `delay` ms; a newer call replaces a pending one and makes a running one stale. */
  schedule(uri: string, delay = this.deps.debounceMs): void {
    const pending = this.timers.get(uri);
    if (pending) clearTimeout(pending);
    const gen = (this.generation.get(uri) ?? 0) + 1;
    this.generation.set(uri, gen);
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        void this.run(uri, gen);
      }, delay),
    );
  }

  /** Re-analyse every open document (settings, config or workspace facts changed). */
  scheduleAll(delay = this.deps.debounceMs, except?: string): void {
    for (const doc of this.deps.documents.all()) if (doc.uri !== except) this.schedule(doc.uri, delay);
  }

  /** Open documents whose last analysis used `file`. */
  dependents(file: string): string[] {
    return [...this.latestByUri].filter(([, a]) => a.result.dependencies.includes(file)).map(([uri]) => uri);
  }

  /** The last analysis of `uri` if it is for the document's current version. */
  latest(uri: string): OpenAnalysis | undefined {
    const a = this.latestByUri.get(uri);
    return a && a.version === this.deps.documents.get(uri)?.version ? a : undefined;
  }

  /** A document closed: cancel its work and withdraw its diagnostics. */
  closed(uri: string): void {
    const pending = this.timers.get(uri);
    if (pending) clearTimeout(pending);
    this.timers.delete(uri);
    this.generation.set(uri, (this.generation.get(uri) ?? 0) + 1);
    this.latestByUri.delete(uri);
    this.deps.store.delete(uri);
    if (this.deps.index.closeOpen(documentPath(uri))) this.scheduleAll();
    this.settle();
  }

  /** Resolves when nothing is scheduled or running. */
  whenIdle(): Promise<void> {
    if (!this.timers.size && !this.running) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** Stop all pending work (shutdown). */
  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    for (const [uri, g] of this.generation) this.generation.set(uri, g + 1);
  }

  private async run(uri: string, gen: number): Promise<void> {
    const { documents, settings, index, store } = this.deps;
    this.running++;
    try {
      await this.deps.ready;
      const doc = documents.get(uri);
      if (!doc || this.generation.get(uri) !== gen) return;
      const version = doc.version;
      const started = performance.now();
      const stale = () => this.generation.get(uri) !== gen || documents.get(uri)?.version !== version;
      const file = documentPath(uri);
      const resolved = await settings.resolve(uri, file);
      if (stale()) return;
      if (!resolved.included) {
        this.latestByUri.delete(uri);
        store.set(uri, new Map([[uri, []]]));
        if (index.setOpen(file, undefined)) this.scheduleAll(undefined, uri);
        return;
      }
      const digests = this.deps.digests?.() ?? new Map<string, string>();
      const request = { file, text: doc.getText(), languageId: doc.languageId, settings: resolved.settings, workspace: index.facts(), digests, rules: RULES_RUN };
      const out = await analyzeWithDependencies(request, this.deps.readText, stale);
      if (!out || stale()) return;
      this.latestByUri.set(uri, { version, file, result: out.result, files: out.files });
      // A rule or parser that failed is a bug: it is shown on the file and logged, once per analysis.
      for (const f of out.result.findings) if (f.ruleId === INTERNAL_ERROR) this.deps.log(`Known Good: internal error in ${f.location.file} (version ${version}): ${f.message}`);
      const grouped = groupByTarget(out.result.findings, (f) => (f === file ? uri : this.deps.uriOf(f)));
      // The document's own diagnostics first (published even when empty), then other files'.
      store.set(uri, new Map([[uri, grouped.get(uri) ?? []], ...[...grouped].filter(([t]) => t !== uri)]));
      this.deps.info?.(`Known Good: analysed ${file} (version ${version}, ${doc.lineCount} lines) in ${(performance.now() - started).toFixed(1)} ms`);
      // What this document contributes to the workspace (scripts it runs, tags it uses) may change others.
      if (index.setOpen(file, out.result.model)) this.scheduleAll(undefined, uri);
      this.deps.analysed?.(uri, out.result, resolved.settings, digests);
    } catch (e) {
      this.deps.log(`Known Good: analysis of ${uri} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    } finally {
      this.running--;
      this.settle();
    }
  }

  private settle(): void {
    if (this.timers.size || this.running) return;
    const waiting = this.idle;
    this.idle = [];
    for (const resolve of waiting) resolve();
  }
}
