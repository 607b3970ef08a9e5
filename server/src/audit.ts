// The audit engine: scan a workspace, build workspace facts from every file, analyse each file once
// more with those facts, and return de-duplicated findings with paths relative to the root.
import { promises as fs } from 'fs';
import * as path from 'path';
import { analyze, INTERNAL_ERROR, type AnalyzeResult } from './core/analyze';
import { CONFIG_FILE_NAMES, EMPTY_CONFIG, mergeSettings, parseConfig, type KnownGoodConfig } from './core/config';
import type { FileModel } from './core/model';
import { RULE_IDS, RULES } from './core/rules';
import { initParsers } from './core/treesitter';
import type { FileKind, Finding, Level, Settings } from './core/types';
import { combineFacts, factsOf } from './core/workspace';
import { errorMessage, MAX_FILE_BYTES, relativeTo, walk, type ScanError, type ScannedFile } from './scan';
import { rulesUnderTest } from './test-hooks';

/** The registered rules, unless the test hook KG_TEST_THROWING_RULE replaces one (see test-hooks.ts). */
const RULES_RUN = rulesUnderTest();

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
  const abs = path.resolve(root);
  const { signal } = options;
  await initParsers();
  const { config, configFile } = await readConfig(abs);
  const settings: Settings = mergeSettings(config, options.editorRules, '.');
  if (options.maxFileSize !== undefined) settings.maxFileSize = options.maxFileSize;
  for (const id of options.enableRules ?? []) {
    const meta = RULES.find((r) => r.meta.id === id)?.meta;
    if (meta && settings.rules[id] === undefined) settings.rules[id] = meta.defaultSeverity;
  }
  const { targets, texts, models, errors } = await firstPass(abs, paths, settings, config, configFile, options);
  const workspace = combineFacts(models.map(factsOf));
  const digests = typeof options.digests === 'function' ? await options.digests(models) : options.digests;

  // Second pass: the findings, with the facts of the whole workspace.
  const all: Finding[] = [];
  let done = 0;
  for (const f of targets) {
    await breathe();
    signal?.throwIfAborted();
    all.push(...safeAnalyze(f, settings, texts, workspace, digests).findings);
    options.onProgress?.(++done, targets.length);
  }
  return {
    root: abs,
    files: targets.map(({ file, kind }) => ({ file, kind })),
    findings: mergeDuplicates(all),
    errors: sortErrors(errors),
  };
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
  const load = async (dep: string) => {
    const rel = relativeTo(abs, dep);
    if (rel === undefined || rel !== dep || texts.has(rel) || absent.has(rel)) return;
    try {
      const full = path.join(abs, rel);
      const st = await fs.stat(full);
      // Never read through a link out of the root (`file("link/passwd")` with link → /etc).
      if (st.isFile() && st.size <= MAX_FILE_BYTES && isWithin(rootReal, await fs.realpath(full))) return void texts.set(rel, await fs.readFile(full, 'utf8'));
    } catch {
      // A dependency that does not exist is normal (candidates for a script's location).
    }
    absent.add(rel);
  };

  const models: FileModel[] = [];
  await forEachLimit(targets, options.concurrency ?? 16, async (f) => {
    await breathe();
    signal?.throwIfAborted();
    for (let round = 0; round < 4; round++) {
      const result = safeAnalyze(f, settings, texts);
      const toLoad = result.missing.filter((m) => !texts.has(m) && !absent.has(m));
      if (!toLoad.length || round === 3) {
        if (result.model) models.push(result.model);
        return;
      }
      await Promise.all(toLoad.map(load));
    }
  });
  models.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { targets, texts, models, errors };
}

/** `.knowngood.yaml` (or `.yml`) at `root`, parsed; the empty configuration when there is none. */
export async function readWorkspaceConfig(root: string): Promise<KnownGoodConfig> {
  return (await readConfig(path.resolve(root))).config;
}

/** Whether the real path `real` is `rootReal` or below it. */
function isWithin(rootReal: string, real: string): boolean {
  return real === rootReal || real.startsWith(rootReal.endsWith(path.sep) ? rootReal : rootReal + path.sep);
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

function safeAnalyze(
  f: ScannedFile,
  settings: Settings,
  files: ReadonlyMap<string, string>,
  workspace?: Parameters<typeof analyze>[0]['workspace'],
  digests?: ReadonlyMap<string, string>,
): AnalyzeResult {
  try {
    return analyze({ file: f.file, text: f.text, settings, files, workspace, digests, rules: RULES_RUN });
  } catch (e) {
    const finding: Finding = {
      ruleId: INTERNAL_ERROR,
      message: `Known Good could not analyse this file: ${errorMessage(e)}. Other files are unaffected; please report this.`,
      severity: 'error',
      location: { file: f.file, span: { start: 0, end: 0 } },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    };
    return { kind: f.kind, findings: [finding], dependencies: [], missing: [] };
  }
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
