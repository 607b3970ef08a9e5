// One file of an audit: analyse it once, loading from disk the dependencies it names, and keep what the
// audit needs (findings, workspace facts, dependencies and their content hashes for the on-disk cache).
// Shared by the in-process audit and its worker threads.
import { createHash } from 'crypto';
import * as fsSync from 'fs';
import { promises as fs } from 'fs';
import * as path from 'path';
import { analyze, INTERNAL_ERROR, type AnalyzeResult } from './core/analyze';
import type { Rule, WorkspaceFacts } from './core/rule';
import type { FileKind, Finding, Settings } from './core/types';
import { factsKey, factsNeeded, factsOf, type FileFacts } from './core/workspace';
import { errorMessage, MAX_FILE_BYTES, relativeTo, type ScannedFile } from './scan';

/** What the audit keeps of one file's analysis. */
export interface FileOutcome {
  file: string;
  kind: FileKind;
  findings: Finding[];
  /** The file's contribution to the workspace facts (none for files without images or scripts). */
  facts?: FileFacts;
  dependencies: string[];
  /** Which workspace facts the findings depend on; such a file is analysed again once they are known. */
  needs?: 'scripts' | 'image-tags';
  /** `factsKey()` of the facts the findings were computed with (files with `needs`, second analysis). */
  factsKey?: string;
  /** sha256 of the text as read (when the audit keeps a cache). */
  hash?: string;
  /** sha256 of each dependency's text, null for a dependency that does not exist (or may not be read); with `hash`. */
  deps?: Record<string, string | null>;
}

/** How one audit reads dependencies and which rules and settings it runs. */
export interface FileEnv {
  root: string;
  rootReal: string;
  settings: Settings;
  rules: readonly Rule[];
  digests?: ReadonlyMap<string, string>;
  /** Texts known so far (the scanned files in-process; the dependencies read so far in a worker). */
  texts: Map<string, string>;
  /** Dependencies known not to exist or not to be readable. */
  absent: Set<string>;
  /** Read these dependencies into `texts` (or `absent`). */
  load: (rels: string[]) => Promise<void> | void;
  /** Hash the text and dependencies of each file analysed (for the on-disk cache). */
  hashes: boolean;
}

export const sha256 = (text: string) => createHash('sha256').update(text).digest('base64');

/** Whether the real path `real` is `rootReal` or below it. */
export function isWithin(rootReal: string, real: string): boolean {
  return real === rootReal || real.startsWith(rootReal.endsWith(path.sep) ? rootReal : rootReal + path.sep);
}

/** A dependency path the audit may read: relative, normalised, inside the root. */
function readable(root: string, dep: string): string | undefined {
  const rel = relativeTo(root, dep);
  return rel !== undefined && rel === dep ? rel : undefined;
}

/** The asynchronous loader (in-process audits: the server's event loop must not block on the disk). */
export function asyncLoader(env: Pick<FileEnv, 'root' | 'rootReal' | 'texts' | 'absent'>): FileEnv['load'] {
  const loadOne = async (dep: string) => {
    const rel = readable(env.root, dep);
    if (rel === undefined) return void env.absent.add(dep);
    if (env.texts.has(rel) || env.absent.has(rel)) return;
    try {
      const full = path.join(env.root, rel);
      const st = await fs.stat(full);
      // Never read through a link out of the root (`file("link/passwd")` with link → /etc).
      if (st.isFile() && st.size <= MAX_FILE_BYTES && isWithin(env.rootReal, await fs.realpath(full))) return void env.texts.set(rel, await fs.readFile(full, 'utf8'));
    } catch {
      // A dependency that does not exist is normal (candidates for a script's location).
    }
    env.absent.add(dep);
  };
  return async (rels) => void (await Promise.all(rels.map(loadOne)));
}

/** The synchronous loader, for worker threads (nothing else runs on their event loop). */
export function syncLoader(env: Pick<FileEnv, 'root' | 'rootReal' | 'texts' | 'absent'>): FileEnv['load'] {
  return (rels) => {
    for (const dep of rels) {
      const rel = readable(env.root, dep);
      if (rel === undefined) {
        env.absent.add(dep);
        continue;
      }
      if (env.texts.has(rel) || env.absent.has(rel)) continue;
      try {
        const full = path.join(env.root, rel);
        // Most candidates do not exist: no exception (and its stack trace) for those.
        const st = fsSync.statSync(full, { throwIfNoEntry: false });
        if (st?.isFile() && st.size <= MAX_FILE_BYTES && isWithin(env.rootReal, fsSync.realpathSync.native(full))) {
          env.texts.set(rel, fsSync.readFileSync(full, 'utf8'));
          continue;
        }
      } catch {
        // as in asyncLoader
      }
      env.absent.add(dep);
    }
  };
}

/** Rounds of "analyse, load what is missing": a loaded `.env` may name further files, but never forever. */
const ROUNDS = 4;

/** Analyse `f` with `workspace` facts, loading the dependencies (and related files) it names until none is missing. */
export async function analyzeLoading(f: ScannedFile, env: FileEnv, workspace?: WorkspaceFacts): Promise<AnalyzeResult> {
  for (let round = 0; ; round++) {
    const result = safeAnalyze(f, env, workspace);
    // Related places in other files (the Dockerfile that runs a script) need those texts for their ranges.
    const wanted = [...result.missing, ...relatedFiles(result, f.file)];
    const toLoad = wanted.filter((m) => !env.texts.has(m) && !env.absent.has(m));
    // Analyse again when a missing text is now known (loaded here, or by another file meanwhile).
    if ((!toLoad.length && !wanted.some((m) => env.texts.has(m))) || round === ROUNDS - 1) return result;
    await env.load(toLoad);
  }
}

/** Analyse `f` with `workspace` facts (none in the first pass) and keep what the audit needs. */
export async function analyzeFile(f: ScannedFile, env: FileEnv, workspace?: WorkspaceFacts): Promise<FileOutcome> {
  const r = await analyzeLoading(f, env, workspace);
  const needs = r.model ? factsNeeded(r.model) : undefined;
  const out: FileOutcome = { file: f.file, kind: r.kind ?? f.kind, findings: r.findings, dependencies: r.dependencies };
  if (env.hashes) {
    out.deps = {};
    for (const d of [...r.dependencies, ...relatedFiles(r, f.file)]) {
      const t = env.texts.get(d);
      out.deps[d] = t === undefined ? null : sha256(t);
    }
    out.hash = sha256(f.text);
  }
  if (r.model) {
    const facts = factsOf(r.model);
    if (facts.imageTags.length || facts.scripts.length) out.facts = facts;
  }
  if (needs) {
    out.needs = needs;
    if (workspace) out.factsKey = factsKey(f.file, needs, workspace);
  }
  return out;
}

/** Files other than `self` that findings point to as related places without a range (their text was not given). */
function relatedFiles(r: AnalyzeResult, self: string): string[] {
  const out = new Set<string>();
  for (const f of r.findings) for (const rel of f.related ?? []) if (rel.location.file !== self && !('range' in rel && rel.range)) out.add(rel.location.file);
  return [...out];
}

/** Whether the dependency hashes recorded for a file still hold (reading the dependencies as needed). */
export async function depsUnchanged(deps: Record<string, string | null> | undefined, env: FileEnv): Promise<boolean> {
  if (!deps) return false;
  const names = Object.keys(deps);
  await env.load(names.filter((d) => !env.texts.has(d) && !env.absent.has(d)));
  return names.every((d) => {
    const t = env.texts.get(d);
    return (t === undefined ? null : sha256(t)) === deps[d];
  });
}

function safeAnalyze(f: ScannedFile, env: FileEnv, workspace?: WorkspaceFacts): AnalyzeResult {
  try {
    return analyze({ file: f.file, text: f.text, settings: env.settings, files: env.texts, workspace, digests: env.digests, rules: env.rules });
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
