// One in-memory pass of "Vendor All Runtime Installs" over a folder: per file, analyse, apply the
// preferred cure of the first runtime finding to the texts, analyse again, until none is left to try.
import { stripBom, type AnalyzeResult } from '../core/analyze';
import { applyFileEdits, type Fix, type FixNeed } from '../core/fixes';
import { applyEdits } from '../core/fixes/pin';
import type { Finding, Settings } from '../core/types';
import { analyzeWithDependencies } from './analysis';
import { safeFixes, type FixSession } from './fix-context';
import type { FileSource, FixFiles } from './fix-files';
import { pathToUri } from './uri';

/** The rules the command vendors. */
export const RUNTIME_RULES: ReadonlySet<string> = new Set(['runtime-install', 'runtime-fetch']);

/** A file to analyse, with what its analysis needs. */
export interface PassTarget {
  file: string;
  settings: Settings;
  languageId?: string;
}

export interface PassDeps {
  files: FixFiles;
  root: string;
  session: FixSession;
  facts: () => Parameters<typeof analyzeWithDependencies>[0]['workspace'];
  signal?: AbortSignal;
  /** Called between analyses so the server keeps answering. */
  breathe: () => Promise<void>;
}

/** A finding the pass leaves, and why. */
export interface PassSkip {
  key: string;
  finding: Finding;
  message: string;
  needs?: FixNeed[];
}

export interface PassResult {
  /** Each changed or created file's text before the pass. */
  originals: Map<string, FileSource | 'created'>;
  /** Titles of the fixes applied, in order. */
  applied: string[];
  skipped: PassSkip[];
}

/** Identity of a finding across edits that move it: rule, file, the text it covers, and which occurrence. */
export function findingKeys(findings: readonly Finding[], files: FixFiles): string[] {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const text = stripBom(files.get(f.location.file) ?? '');
    const base = `${f.ruleId}|${f.location.file}|${text.slice(f.location.span.start, f.location.span.end).replace(/\s+/g, ' ').trim()}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return `${base}|${n}`;
  });
}

/** Analyse `target` against the pass's current texts. */
export async function analyseTarget(deps: Pick<PassDeps, 'files' | 'facts'>, target: PassTarget): Promise<AnalyzeResult | undefined> {
  const text = deps.files.get(target.file);
  if (text === undefined) return undefined;
  const req = { file: target.file, text, languageId: target.languageId, settings: target.settings, workspace: deps.facts() };
  return (await analyzeWithDependencies(req, async (f) => deps.files.get(f)))?.result;
}

/** The runtime findings of an analysis, with their keys. */
export function runtimeFindings(result: AnalyzeResult | undefined, files: FixFiles): { finding: Finding; key: string }[] {
  const list = (result?.findings ?? []).filter((f) => RUNTIME_RULES.has(f.ruleId));
  const keys = findingKeys(list, files);
  return list.map((finding, i) => ({ finding, key: keys[i] }));
}

/** The cure the command applies: the preferred one (others are a choice the user makes as a quick fix). */
function cureOf(fixes: readonly Fix[]): { fix?: Fix; others: Fix[] } {
  const cures = fixes.filter((f) => !f.id.startsWith('ignore'));
  return { fix: cures.find((f) => f.preferred), others: cures };
}

/** Apply `fix` to the texts; returns the sources it replaced (to undo). */
function apply(files: FixFiles, fix: Fix, originals: PassResult['originals'], added: Set<string>): Map<string, FileSource | undefined> {
  // Every file is checked before any text changes, so a failure leaves nothing half-applied.
  for (const fe of fix.edits) {
    if (fe.create && files.has(fe.file)) throw new Error(`${fe.file} exists already`);
    if (fe.create && !files.mayCreate(fe.file)) throw new Error(`${fe.file} is outside the workspace folders`);
    if (!fe.create && !files.source(fe.file)) throw new Error(`${fe.file} could not be read`);
  }
  const previous = new Map<string, FileSource | undefined>();
  for (const fe of fix.edits) {
    const before = fe.create ? undefined : files.source(fe.file);
    previous.set(fe.file, before);
    if (!originals.has(fe.file)) {
      originals.set(fe.file, before ?? 'created');
      added.add(fe.file);
    }
    const bom = before && before.text.charCodeAt(0) === 0xfeff ? '\ufeff' : '';
    const text = fe.create ? applyFileEdits('', fe) : bom + applyEdits(stripBom(before!.text), fe.edits);
    files.put(fe.file, { uri: before?.uri ?? pathToUri(fe.file), text, version: before?.version ?? null, created: !before || before.created });
  }
  return previous;
}

/** Put back what `apply` replaced (a created file is dropped again). */
function undo(files: FixFiles, previous: Map<string, FileSource | undefined>, originals: PassResult['originals'], added: Set<string>): void {
  for (const [file, src] of previous) {
    if (src) files.put(file, src);
    else files.discard(file);
    if (added.has(file)) originals.delete(file);
  }
}

/** The most fixes one file gets (a guard: each fix removes at least one finding). */
const MAX_FIXES_PER_FILE = 100;

/** Run the pass over `targets` (in order); the texts in `deps.files` end up edited. */
export async function vendorPass(deps: PassDeps, targets: readonly PassTarget[]): Promise<PassResult> {
  const out: PassResult = { originals: new Map(), applied: [], skipped: [] };
  for (const target of targets) {
    const tried = new Set<string>();
    for (let n = 0; n < MAX_FIXES_PER_FILE; n++) {
      await deps.breathe();
      deps.signal?.throwIfAborted();
      const result = await analyseTarget(deps, target);
      const found = runtimeFindings(result, deps.files);
      const next = found.find((f) => !tried.has(f.key));
      if (!result?.model || !next) break;
      tried.add(next.key);
      const input = { file: target.file, text: deps.files.get(target.file)!, model: result.model, files: deps.files, checksums: deps.session.checksums, digests: deps.session.digests, root: deps.root };
      const fixes = safeFixes(next.finding, input);
      const { fix, others } = cureOf(fixes.fixes);
      if (!fix) {
        const choice = others.length ? `Not applied in bulk (no preferred fix); offered as a quick fix: ${others.map((f) => f.title).join(' / ')}` : undefined;
        out.skipped.push({ key: next.key, finding: next.finding, message: choice ?? fixes.reason ?? 'No automatic fix.' });
        continue;
      }
      if (fix.needs?.length) {
        out.skipped.push({ key: next.key, finding: next.finding, message: `${fix.title}: needs data from the network`, needs: fix.needs });
        continue;
      }
      const added = new Set<string>();
      let previous: Map<string, FileSource | undefined>;
      try {
        previous = apply(deps.files, fix, out.originals, added);
      } catch (e) {
        out.skipped.push({ key: next.key, finding: next.finding, message: `${fix.title}: ${e instanceof Error ? e.message : String(e)}` });
        continue;
      }
      // The core promises the finding is gone and none is added: check it, and undo a fix that did not keep the promise.
      const before = new Set(found.map((f) => f.key));
      const again = runtimeFindings(await analyseTarget(deps, target), deps.files);
      const broken = again.some((f) => f.key === next.key) ? 'the finding remained after the fix' : again.some((f) => !before.has(f.key)) ? 'the fix caused a new finding' : undefined;
      if (broken) {
        undo(deps.files, previous, out.originals, added);
        out.skipped.push({ key: next.key, finding: next.finding, message: `${fix.title}: ${broken}, so it was not applied` });
        continue;
      }
      out.applied.push(fix.title);
    }
  }
  return out;
}
