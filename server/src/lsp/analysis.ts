// Analyses one document: calls the pure core, then loads the dependencies it names and calls it again.
import { analyze, type AnalyzeResult } from '../core/analyze';
import type { Rule, WorkspaceFacts } from '../core/rule';
import type { Settings } from '../core/types';

/** What to analyse. */
export interface AnalysisRequest {
  file: string;
  text: string;
  languageId?: string;
  settings: Settings;
  workspace: WorkspaceFacts;
  /** Rules to run (the index runs none: it only needs the model). */
  rules?: readonly Rule[];
  /** Current digests of `name:tag` references (stale-digest). */
  digests?: ReadonlyMap<string, string>;
}

/** Rounds of "analyse, load what is missing": a loaded `.env` may name further files, but never forever. */
const MAX_ROUNDS = 3;

/**
 * Analyse `req`, reading the dependencies the core reports missing with `readText` (undefined when a
 * file does not exist). Returns undefined when `isStale()` turns true while files are being read.
 */
export async function analyzeWithDependencies(
  req: AnalysisRequest,
  readText: (file: string) => Promise<string | undefined>,
  isStale: () => boolean = () => false,
): Promise<{ result: AnalyzeResult; files: Map<string, string> } | undefined> {
  const files = new Map<string, string>();
  const tried = new Set<string>();
  let result = analyze({ ...req, files });
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const wanted = result.missing.filter((f) => !tried.has(f) && f !== req.file);
    if (!wanted.length) break;
    for (const f of wanted) tried.add(f);
    const texts = await Promise.all(wanted.map((f) => readText(f)));
    if (isStale()) return undefined;
    let loaded = 0;
    wanted.forEach((f, i) => {
      const t = texts[i];
      if (t !== undefined) {
        files.set(f, t);
        loaded++;
      }
    });
    if (!loaded) break;
    result = analyze({ ...req, files });
  }
  return { result, files };
}
