// The audit engine: scan a workspace, build workspace facts from every file, analyse each file once
// more with those facts, and return de-duplicated findings with paths relative to the root.
import { promises as fs } from 'fs';
import { availableParallelism } from 'os';
import * as path from 'path';
import { AuditCache, cacheKey } from './audit-cache';
import { analyzeFile, analyzeLoading, asyncLoader, depsUnchanged, isWithin, sha256, type FileEnv, type FileOutcome } from './audit-file';
import { AuditPool } from './audit-pool';
import type { FileJob, JobResult } from './audit-protocol';
import { toolVersion } from './cli/version';
import { CONFIG_FILE_NAMES, EMPTY_CONFIG, mergeSettings, parseConfig, type KnownGoodConfig } from './core/config';
import type { FileModel } from './core/model';
import type { WorkspaceFacts } from './core/rule';
import { RULE_IDS, RULES } from './core/rules';
import { detectKind } from './core/detect';
import { initParsers } from './core/treesitter';
import type { FileKind, Finding, Level, Settings } from './core/types';
import { combineFacts, factsKey } from './core/workspace';
import { errorMessage, readCandidate, readCandidateSync, vanished, walk, type Candidate, type ScanError, type ScannedFile } from './scan';
import { rulesUnderTest } from './test-hooks';

/** The registered rules, unless the test hook KG_TEST_THROWING_RULE replaces one (see test-hooks.ts). */
const RULES_RUN = rulesUnderTest() ?? RULES;

export interface AuditOptions {
  /** Explicit rule levels from the editor; they win over `.knowngood.yaml`. */
  editorRules?: Record<string, Level>;
  signal?: AbortSignal;
  /** Called after each file's final analysis. */
  onProgress?: (done: number, total: number) => void;
  /** Files and folders read at once (default 16). */
  concurrency?: number;
  /**
   * Rules switched on at their default severity unless `.knowngood.yaml` or `editorRules` set a
   * level (for rules that are off by default, such as `stale-digest` with `--check-stale`).
   */
  enableRules?: readonly string[];
  /**
   * Current registry digests of `name:tag` references for the final pass (rules such as
   * stale-digest read them), or a function that computes them from the first-pass models.
   */
  digests?: ReadonlyMap<string, string> | ((models: readonly FileModel[]) => Promise<ReadonlyMap<string, string>>);
  /** Largest file analysed, in bytes (`Settings.maxFileSize`; default 1 MB): larger ones get a `skipped-file` finding. */
  maxFileSize?: number;
  /**
   * Worker threads reading and analysing files (default: one per core, up to 8, when there are two
   * cores or more); 0 analyses in this thread. Workers start only when the walk finds enough files.
   */
  workers?: number;
  /** Files the walk must find before workers start (default 400: below it, starting threads costs more than it saves). */
  workerThreshold?: number;
  /**
   * Settings resolved by the caller (the language server merges the editor's); the walk then uses
   * their ignores. Default: `.knowngood.yaml` at the root with `editorRules`.
   */
  settings?: Settings;
  /** Keep only the files this accepts (posix paths relative to the root; the editor's excludes). */
  include?: (file: string) => boolean;
  /** The text of a file when the caller has a newer one than the disk (an open document's). */
  openText?: (file: string) => string | undefined;
  /** When cancelled after analysis began, return the files done so far (`partial`) instead of throwing. */
  keepPartial?: boolean;
  /** Build each file's model and facts only: no rule runs, no findings (the server's workspace index). */
  factsOnly?: boolean;
  /** Synchronous file-system calls where they are faster (the CLI; never the language server). */
  blocking?: boolean;
  /** The on-disk cache file (`--cache`): unchanged files are not analysed again. Not used with `digests`. */
  cache?: string;
}

export interface AuditResult {
  /** The audited root, absolute. */
  root: string;
  /** Files analysed, sorted: posix paths relative to the root. */
  files: { file: string; kind: FileKind }[];
  /** Findings sorted by file, position and rule; `location.file` relative to the root (posix). */
  findings: Finding[];
  /** Files or folders that could not be read (permission denied, symlink loops), sorted. */
  errors: { file: string; message: string }[];
  /** Problems that did not change the results (the cache could not be written). */
  warnings?: string[];
  /** How the work was done: files analysed, files answered from the cache, worker threads used (0: none). */
  stats?: { analysed: number; cached: number; workers: number };
}

/** The supported files under `root` (restricted to `paths`), honouring .gitignore and `.knowngood.yaml`. */
export async function scanWorkspace(root: string, paths?: string[], options?: { signal?: AbortSignal }): Promise<{ file: string; kind: FileKind }[]> {
  const abs = path.resolve(root);
  const { config } = await readConfig(abs);
  const found: ScannedFile[] = [];
  await walk(abs, paths, { signal: options?.signal, ignore: config.ignore }, (f) => found.push(f), () => undefined);
  return found.map(({ file, kind }) => ({ file, kind })).sort(byFile);
}

/** What the first pass over a workspace produced: the files read, their models and the configuration. */
export interface WorkspaceModels {
  /** The root, absolute. */
  root: string;
  /** Files read (and the config file, when there is one), sorted; `text` as read (a BOM kept). */
  files: ScannedFile[];
  /** Each analysable file's model (spans in the text without its BOM), sorted by file. */
  models: FileModel[];
  /** `.knowngood.yaml` as parsed (empty when there is none). */
  config: KnownGoodConfig;
  /** Files or folders that could not be read, sorted. */
  errors: { file: string; message: string }[];
}

/** Scan `root` (restricted to `paths`) and build every file's model, as the audit's first pass does. */
export async function modelWorkspace(root: string, paths: string[] | undefined, options: Pick<AuditOptions, 'signal' | 'concurrency'> = {}): Promise<WorkspaceModels> {
  const abs = path.resolve(root);
  await initParsers();
  const { config, configFile } = await readConfig(abs);
  const first = await firstPass(abs, paths, mergeSettings(config, undefined, '.'), config, configFile, options);
  return { root: abs, files: first.targets, models: first.models, config, errors: sortErrors(first.errors) };
}

/** Audit every supported file under `root` (restricted to `paths`, files or folders). */
export async function auditWorkspace(root: string, paths: string[] | undefined, options: AuditOptions = {}): Promise<AuditResult> {
  const { root: abs, outcomes, errors, warnings, stats } = await auditOutcomes(root, paths, options);
  return {
    root: abs,
    files: outcomes.map(({ file, kind }) => ({ file, kind })),
    findings: mergeDuplicates(outcomes.flatMap((o) => o.findings)),
    errors,
    ...(warnings.length ? { warnings } : {}),
    stats,
  };
}

/** What the audit found per file (paths relative to the root), before findings are merged across files. */
export interface AuditOutcomes {
  root: string;
  /** Sorted by file. */
  outcomes: FileOutcome[];
  errors: ScanError[];
  warnings: string[];
  stats: NonNullable<AuditResult['stats']>;
  /** Cancelled while analysing (with `keepPartial`): the outcomes cover part of the files. */
  partial?: boolean;
}

/** The audit, file by file: `auditWorkspace` merges these; the language server keeps them per file. */
export async function auditOutcomes(root: string, paths: string[] | undefined, options: AuditOptions = {}): Promise<AuditOutcomes> {
  const abs = path.resolve(root);
  const { signal } = options;
  const { config, configFile } = await readConfig(abs);
  const settings: Settings = options.settings ? { ...options.settings, root: '.' } : mergeSettings(config, options.editorRules, '.');
  if (options.maxFileSize !== undefined) settings.maxFileSize = options.maxFileSize;
  for (const id of options.enableRules ?? []) {
    const meta = RULES.find((r) => r.meta.id === id)?.meta;
    if (meta && settings.rules[id] === undefined) settings.rules[id] = meta.defaultSeverity;
  }
  // Rules that compare with the registry need every model first (only `--check-stale`: the network dominates).
  let digests = options.digests;
  if (typeof digests === 'function') {
    await initParsers();
    digests = await digests((await firstPass(abs, paths, settings, config, configFile, options)).models);
  }
  const cache = options.cache && !digests && !options.factsOnly ? await AuditCache.open(options.cache, cacheKey(toolVersion(), RULES_RUN, settings)) : undefined;
  const run: AuditRun = { root: abs, rootReal: await fs.realpath(abs), settings, digests, cache, options, configFile, ignore: settings.ignore ?? config.ignore };
  const workerCount = options.workers ?? defaultWorkers();
  let outcome: RunOutcome | undefined;
  let workers = 0;
  let partial = false;
  let state = newState();
  let few: Candidate[] | undefined;
  try {
    if (workerCount > 0) {
      try {
        const r = await runWithWorkers(run, paths, workerCount, state);
        if ('few' in r) few = r.few;
        else {
          outcome = r;
          workers = workerCount;
        }
      } catch (e) {
        // A worker that cannot start or dies: the audit goes on in this thread.
        if (signal?.aborted) throw e;
        state = newState();
      }
    }
    outcome ??= await runInProcess(run, paths, state, few);
  } catch (e) {
    // Cancelled while analysing: what is done so far, when the caller keeps partial results.
    if (!signal?.aborted || !options.keepPartial || !state.outcomes.size) throw e;
    outcome = state;
    partial = true;
  }
  const warnings: string[] = [];
  try {
    if (!partial) await cache?.save([...outcome.outcomes.values()]);
  } catch (e) {
    warnings.push(`could not write the audit cache ${cache!.file}: ${errorMessage(e)}`);
  }
  const outcomes = [...outcome.outcomes.values()].sort(byFile);
  const cached = outcomes.filter((o) => cache?.previous.get(o.file) === o).length;
  return { root: abs, outcomes, errors: sortErrors(outcome.errors), warnings, stats: { analysed: outcomes.length - cached, cached, workers }, ...(partial ? { partial } : {}) };
}

/** Worker threads by default: one per core, when there is more than one. */
function defaultWorkers(): number {
  const cores = availableParallelism();
  return cores > 1 ? Math.min(cores, 8) : 0;
}

/** Files discovered before the audit starts workers: below this, thread start-up costs more than it saves. */
const WORKER_THRESHOLD = 400;

interface AuditRun {
  root: string;
  rootReal: string;
  settings: Settings;
  digests?: ReadonlyMap<string, string>;
  cache?: AuditCache;
  options: AuditOptions;
  configFile?: ScannedFile;
  ignore: KnownGoodConfig['ignore'];
}

interface RunOutcome {
  outcomes: Map<string, FileOutcome>;
  errors: ScanError[];
}

const newState = (): RunOutcome => ({ outcomes: new Map(), errors: [] });

/** The cache's record of `file`, as a worker job needs it. */
function cachedJob(run: AuditRun, file: string): FileJob['cached'] {
  const c = run.cache?.previous.get(file);
  return c && { hash: c.hash, kind: c.kind, deps: c.deps };
}

/**
 * Files whose findings depend on workspace facts, and are not already final: their cached findings
 * stand when the facts they read are unchanged.
 */
function secondPass(run: AuditRun, outcomes: Map<string, FileOutcome>): { workspace: WorkspaceFacts; again: FileOutcome[] } {
  // In file order, as results arrive in any order: the facts (and the findings built on them) must not vary.
  const sorted = [...outcomes.values()].sort(byFile);
  const workspace = combineFacts(sorted.flatMap((o) => (o.facts ? [o.facts] : [])));
  let tags: string | undefined; // the same for every file that reads the image tags
  const key = (o: FileOutcome) => (o.needs === 'image-tags' ? (tags ??= factsKey(o.file, o.needs, workspace)) : factsKey(o.file, o.needs!, workspace));
  const again = sorted.filter((o) => o.needs && (o.factsKey === undefined || o.factsKey !== key(o)));
  return { workspace, again };
}

/** Whether the caller's filter keeps `file`. */
function keep(run: AuditRun, f: { file: string }): boolean {
  return !run.options.include || run.options.include(f.file);
}

/** The file with the caller's newer text, when it has one (undefined when that text is no supported file). */
function withOpenText(run: AuditRun, f: ScannedFile): ScannedFile | undefined {
  const text = run.options.openText?.(f.file);
  if (text === undefined) return f;
  const kind = detectKind(f.file, text);
  return kind && { file: f.file, kind, text };
}

/** A worker job for a discovered file: the caller's text when it has one, else read from disk. */
function jobFor(run: AuditRun, c: Candidate, cached = true): FileJob | undefined {
  const text = run.options.openText?.(c.file);
  if (text === undefined) return { file: c.file, link: c.link, cached: cached ? cachedJob(run, c.file) : undefined };
  const kind = detectKind(c.file, text);
  return kind && { file: c.file, text, kind };
}

/** Discover the files, then read and analyse them in this thread (small audits; workers unavailable). */
async function runInProcess(run: AuditRun, paths: string[] | undefined, state: RunOutcome = newState(), discovered?: readonly Candidate[]): Promise<RunOutcome> {
  const { signal } = run.options;
  const scanned = new Map<string, ScannedFile>();
  const { outcomes, errors } = state;
  const onFile = (f: ScannedFile) => {
    const g = keep(run, f) ? withOpenText(run, f) : undefined;
    if (g) scanned.set(g.file, g);
  };
  if (!discovered) await walk(run.root, paths, { signal, ignore: run.ignore, concurrency: run.options.concurrency, blocking: run.options.blocking }, onFile, (e) => errors.push(e));
  else {
    // The workers' discovery found too few files to start them: read those here.
    await forEachLimit(discovered, 16, async (c) => {
      signal?.throwIfAborted();
      try {
        const f = run.options.blocking ? readCandidateSync(run.root, run.rootReal, c) : await readCandidate(path.join(run.root, c.file), c.file, path.posix.basename(c.file), c.link ? run.rootReal : undefined);
        if (f) onFile(f);
      } catch (e) {
        if (!vanished(e)) errors.push({ file: c.file, message: errorMessage(e) });
      }
    });
  }
  // A broken config matters whatever part of the tree is audited.
  if (run.configFile && !scanned.has(run.configFile.file)) scanned.set(run.configFile.file, run.configFile);
  const targets = [...scanned.values()].sort(byFile);
  await initParsers();
  const texts = new Map<string, string>(targets.map((f) => [f.file, f.text]));
  const absent = new Set<string>();
  const env: FileEnv = { root: run.root, rootReal: run.rootReal, settings: run.settings, rules: run.options.factsOnly ? [] : RULES_RUN, digests: run.digests, texts, absent, load: asyncLoader({ root: run.root, rootReal: run.rootReal, texts, absent }), hashes: Boolean(run.cache) };
  let done = 0;
  const one = async (f: ScannedFile, workspace?: WorkspaceFacts) => {
    await breathe();
    signal?.throwIfAborted();
    const cached = workspace ? undefined : run.cache?.previous.get(f.file);
    const hit = cached?.hash !== undefined && cached.hash === sha256(f.text) && (await depsUnchanged(cached.deps, env));
    outcomes.set(f.file, hit ? cached : await analyzeFile(f, env, workspace));
  };
  // Progress counts the first analysis of each file; the few analysed again with the facts follow.
  await forEachLimit(targets, run.options.concurrency ?? 16, async (f) => {
    await one(f);
    run.options.onProgress?.(++done, targets.length);
  });
  const { workspace, again } = run.options.factsOnly ? { workspace: undefined, again: [] } : secondPass(run, outcomes);
  for (const o of again) await one(scanned.get(o.file)!, workspace);
  return { outcomes, errors };
}

/** Discover the files and, once there are enough, hand reading and analysis to worker threads. */
async function runWithWorkers(run: AuditRun, paths: string[] | undefined, jobs: number, state: RunOutcome = newState()): Promise<RunOutcome | { few: Candidate[] }> {
  const { signal } = run.options;
  const { outcomes, errors } = state;
  const found: Candidate[] = [];
  let total = 0;
  let done = 0;
  let pool: AuditPool | undefined;
  const onResult = (r: JobResult) => {
    if ('outcome' in r) outcomes.set(r.file, r.outcome);
    else if ('hit' in r) outcomes.set(r.file, run.cache!.previous.get(r.file)!);
    else if ('error' in r) errors.push({ file: r.file, message: r.error });
    if (!('outcome' in r && r.outcome.factsKey !== undefined)) run.options.onProgress?.(++done, total); // not for second analyses
  };
  const start = () => {
    pool = new AuditPool(jobs, { root: run.root, rootReal: run.rootReal, settings: run.settings, digests: run.digests, factsOnly: run.options.factsOnly, hashes: Boolean(run.cache) }, onResult);
    for (const c of found.splice(0)) submit(c);
  };
  const discovered = new Map<string, boolean>(); // file → reached through a link
  const submit = (c: Candidate) => {
    const job = jobFor(run, c);
    if (job) pool!.submit(job);
  };
  const discoverOnly = (c: Candidate) => {
    if (!keep(run, c)) return;
    total++;
    discovered.set(c.file, c.link);
    if (pool) submit(c);
    else {
      found.push(c);
      if (found.length >= (run.options.workerThreshold ?? WORKER_THRESHOLD)) start();
    }
  };
  try {
    await walk(run.root, paths, { signal, ignore: run.ignore, concurrency: run.options.concurrency, discoverOnly, blocking: run.options.blocking }, () => undefined, (e) => errors.push(e));
    if (!pool) return { few: found }; // too few files to pay for threads: read and analyse them in this thread
    const cfg = run.configFile;
    if (cfg && !discovered.has(cfg.file)) pool.submit({ file: cfg.file, text: cfg.text, kind: cfg.kind, cached: cachedJob(run, cfg.file) });
    await untilDone(pool, signal);
    const { workspace, again } = run.options.factsOnly ? { workspace: undefined, again: [] } : secondPass(run, outcomes);
    if (workspace && again.length) {
      pool.facts(workspace);
      for (const o of again) {
        const job = o.file === cfg?.file && !discovered.has(o.file) ? { file: o.file, text: cfg.text, kind: cfg.kind } : jobFor(run, { file: o.file, link: discovered.get(o.file) ?? false }, false);
        if (job) pool.submit(job);
      }
      await untilDone(pool, signal);
    }
  } finally {
    await pool?.close();
  }
  return { outcomes, errors };
}

/** The pool's drain, or the abort signal's reason, whichever comes first. */
async function untilDone(pool: AuditPool, signal: AbortSignal | undefined): Promise<void> {
  signal?.throwIfAborted();
  if (!signal) return pool.drain();
  let onAbort!: () => void;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    await Promise.race([pool.drain(), aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

function sortErrors(errors: ScanError[]): ScanError[] {
  return errors.sort((a, b) => cmp(a.file, b.file) || cmp(a.message, b.message));
}

/** The first pass: scan, then each file's model, loading the dependencies it asks for. */
async function firstPass(
  abs: string,
  paths: string[] | undefined,
  settings: Settings,
  config: KnownGoodConfig,
  configFile: ScannedFile | undefined,
  options: Pick<AuditOptions, 'signal' | 'concurrency'>,
): Promise<{ targets: ScannedFile[]; texts: Map<string, string>; models: FileModel[]; errors: ScanError[] }> {
  const { signal } = options;
  const scanned = new Map<string, ScannedFile>();
  const errors: ScanError[] = [];
  await walk(abs, paths, { signal, ignore: config.ignore, concurrency: options.concurrency }, (f) => scanned.set(f.file, f), (e) => errors.push(e));
  // A broken config matters whatever part of the tree is audited.
  if (configFile && !scanned.has(configFile.file)) scanned.set(configFile.file, configFile);
  const targets = [...scanned.values()].sort(byFile);

  const texts = new Map<string, string>(targets.map((f) => [f.file, f.text]));
  const absent = new Set<string>();
  const rootReal = await fs.realpath(abs);
  // Models only: no rule runs.
  const env: FileEnv = { root: abs, rootReal, settings, rules: [], texts, absent, load: asyncLoader({ root: abs, rootReal, texts, absent }), hashes: false };
  const models: FileModel[] = [];
  await forEachLimit(targets, options.concurrency ?? 16, async (f) => {
    await breathe();
    signal?.throwIfAborted();
    const { model } = await analyzeLoading(f, env);
    if (model) models.push(model);
  });
  models.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { targets, texts, models, errors };
}

/** `.knowngood.yaml` (or `.yml`) at `root`, parsed; the empty configuration when there is none. */
export async function readWorkspaceConfig(root: string): Promise<KnownGoodConfig> {
  return (await readConfig(path.resolve(root))).config;
}

async function readConfig(root: string): Promise<{ config: KnownGoodConfig; configFile?: ScannedFile }> {
  for (const name of CONFIG_FILE_NAMES) {
    let text: string;
    try {
      const file = path.join(root, name);
      if (!isWithin(await fs.realpath(root), await fs.realpath(file))) continue;
      text = await fs.readFile(file, 'utf8');
    } catch {
      continue;
    }
    return { config: parseConfig(text, RULE_IDS).config, configFile: { file: name, kind: 'knowngood-config', text } };
  }
  return { config: EMPTY_CONFIG };
}

/**
 * The same finding reached twice (an entrypoint script run by two Dockerfiles, or analysed through
 * the workspace facts and through its Dockerfile) is reported once, with the related places of both.
 */
export function mergeDuplicates(findings: readonly Finding[]): Finding[] {
  const byKey = new Map<string, Finding>();
  for (const f of findings) {
    const key = `${f.ruleId}\0${f.location.file}\0${f.location.span.start}\0${f.location.span.end}`;
    const known = byKey.get(key);
    if (!known) {
      byKey.set(key, { ...f, related: f.related ? [...f.related] : undefined });
      continue;
    }
    for (const r of f.related ?? []) {
      const same = (x: NonNullable<Finding['related']>[number]) =>
        x.location.file === r.location.file && x.location.span.start === r.location.span.start && x.location.span.end === r.location.span.end && x.message === r.message;
      known.related ??= [];
      if (!known.related.some(same)) known.related.push(r);
    }
  }
  return [...byKey.values()].sort(compareFindings);
}

/** Order of findings in every output: file, line, column, rule, message. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    cmp(a.location.file, b.location.file) ||
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character ||
    a.range.end.line - b.range.end.line ||
    a.range.end.character - b.range.end.character ||
    cmp(a.ruleId, b.ruleId) ||
    cmp(a.message, b.message)
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byFile<T extends { file: string }>(a: T, b: T): number {
  return cmp(a.file, b.file);
}

let lastBreath = performance.now();
/**
 * Analysis is synchronous; give the event loop a turn every ~20 ms so a language server running
 * an audit still answers requests and sees cancellation.
 */
async function breathe(): Promise<void> {
  if (performance.now() - lastBreath < 20) return;
  await new Promise<void>((resolve) => setImmediate(resolve));
  lastBreath = performance.now();
}

async function forEachLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
