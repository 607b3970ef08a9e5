// The audit engine: scan a workspace, build workspace facts from every file, analyse each file once
// more with those facts, and return de-duplicated findings with paths relative to the root.
import { promises as fs } from 'fs';
import * as path from 'path';
import { analyze, INTERNAL_ERROR, type AnalyzeResult } from './core/analyze';
import { CONFIG_FILE_NAMES, EMPTY_CONFIG, mergeSettings, parseConfig, type KnownGoodConfig } from './core/config';
import type { FileModel } from './core/model';
import { RULE_IDS } from './core/rules';
import { initParsers } from './core/treesitter';
import type { FileKind, Finding, Level, Settings } from './core/types';
import { combineFacts, factsOf } from './core/workspace';
import { errorMessage, relativeTo, walk, type ScanError, type ScannedFile } from './scan';

export interface AuditOptions {
  /** Explicit rule levels from the editor; they win over `.knowngood.yaml`. */
  editorRules?: Record<string, Level>;
  signal?: AbortSignal;
  /** Called after each file's final analysis. */
  onProgress?: (done: number, total: number) => void;
  /** Files and folders read at once (default 16). */
  concurrency?: number;
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

/** Audit every supported file under `root` (restricted to `paths`, files or folders). */
export async function auditWorkspace(root: string, paths: string[] | undefined, options: AuditOptions = {}): Promise<AuditResult> {
  const abs = path.resolve(root);
  const { signal } = options;
  await initParsers();
  const { config, configFile } = await readConfig(abs);
  const settings: Settings = mergeSettings(config, options.editorRules, '.');

  const scanned = new Map<string, ScannedFile>();
  const errors: ScanError[] = [];
  await walk(abs, paths, { signal, ignore: config.ignore, concurrency: options.concurrency }, (f) => scanned.set(f.file, f), (e) => errors.push(e));
  // A broken config matters whatever part of the tree is audited.
  if (configFile && !scanned.has(configFile.file)) scanned.set(configFile.file, configFile);
  const targets = [...scanned.values()].sort(byFile);

  const texts = new Map<string, string>(targets.map((f) => [f.file, f.text]));
  const absent = new Set<string>();
  const load = async (dep: string) => {
    const rel = relativeTo(abs, dep);
    if (rel === undefined || rel !== dep || texts.has(rel) || absent.has(rel)) return;
    try {
      const st = await fs.stat(path.join(abs, rel));
      if (st.isFile()) return void texts.set(rel, await fs.readFile(path.join(abs, rel), 'utf8'));
    } catch {
      // A dependency that does not exist is normal (candidates for a script's location).
    }
    absent.add(rel);
  };

  // First pass: each file's model, loading the dependencies it asks for.
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
  const workspace = combineFacts(models.map(factsOf));

  // Second pass: the findings, with the facts of the whole workspace.
  const all: Finding[] = [];
  let done = 0;
  for (const f of targets) {
    await breathe();
    signal?.throwIfAborted();
    all.push(...safeAnalyze(f, settings, texts, workspace).findings);
    options.onProgress?.(++done, targets.length);
  }
  return {
    root: abs,
    files: targets.map(({ file, kind }) => ({ file, kind })),
    findings: mergeDuplicates(all),
    errors: errors.sort((a, b) => cmp(a.file, b.file) || cmp(a.message, b.message)),
  };
}

async function readConfig(root: string): Promise<{ config: KnownGoodConfig; configFile?: ScannedFile }> {
  for (const name of CONFIG_FILE_NAMES) {
    let text: string;
    try {
      text = await fs.readFile(path.join(root, name), 'utf8');
    } catch {
      continue;
    }
    return { config: parseConfig(text, RULE_IDS).config, configFile: { file: name, kind: 'knowngood-config', text } };
  }
  return { config: EMPTY_CONFIG };
}

function safeAnalyze(f: ScannedFile, settings: Settings, files: ReadonlyMap<string, string>, workspace?: Parameters<typeof analyze>[0]['workspace']): AnalyzeResult {
  try {
    return analyze({ file: f.file, text: f.text, settings, files, workspace });
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
