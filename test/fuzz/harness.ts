// Shared machinery of the fuzz tier: run budgets and seeds, the analysis invariants, the per-property tally.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { TestContext } from 'node:test';
import { analyze, INTERNAL_ERROR, stripBom, type AnalyzeInput, type AnalyzeResult } from '../../server/src/core/analyze';
import { LineIndex } from '../../server/src/core/line-index';
import type { Range, Span } from '../../server/src/core/types';

/** Inputs per property: ~300 in `npm test`; `npm run fuzz` sets KG_FUZZ_RUNS (e.g. 20000). */
export const RUNS = Number(process.env.KG_FUZZ_RUNS ?? 300);
/**
 * The seed: fixed in `npm test` so CI is reproducible; `npm run fuzz` picks a fresh one (KG_FUZZ_SEED=random).
 * Any failure prints the seed and the counterexample path; rerun with KG_FUZZ_SEED=<seed>.
 */
export const SEED = process.env.KG_FUZZ_SEED === 'random' ? Date.now() ^ (Math.random() * 0x7fffffff) : Number(process.env.KG_FUZZ_SEED ?? 20240607);
/** CPU time one analysis may take before it counts as a hang (generated inputs are a few KB). */
export const HANG_MS = Number(process.env.KG_FUZZ_HANG_MS ?? 2000);

/** What one property saw: inputs, findings, the slowest input. */
export interface Tally {
  inputs: number;
  findings: number;
  skipped: number;
  maxCpuMs: number;
  totalCpuMs: number;
}

export const tally = (): Tally => ({ inputs: 0, findings: 0, skipped: 0, maxCpuMs: 0, totalCpuMs: 0 });

/** CPU milliseconds `fn` takes (wall time is meaningless on a loaded CI machine). */
export function cpuTimed<T>(fn: () => T): { value: T; ms: number } {
  const before = process.cpuUsage();
  const value = fn();
  const used = process.cpuUsage(before);
  return { value, ms: (used.user + used.system) / 1000 };
}

function rangeInside(range: Range, doc: string, index: LineIndex): string | undefined {
  for (const p of [range.start, range.end]) {
    if (p.line < 0 || p.line >= index.lineCount) return `line ${p.line} outside 0..${index.lineCount - 1}`;
    const start = index.lineStart(p.line);
    const next = p.line + 1 < index.lineCount ? index.lineStart(p.line + 1) : doc.length;
    if (p.character < 0 || start + p.character > next) return `character ${p.character} past line ${p.line}`;
  }
  if (range.start.line > range.end.line || (range.start.line === range.end.line && range.start.character > range.end.character)) return 'range ends before it starts';
  return undefined;
}

function spanInside(span: Span, doc: string): string | undefined {
  if (!(Number.isInteger(span.start) && Number.isInteger(span.end))) return `span ${JSON.stringify(span)} not integral`;
  if (span.start < 0 || span.end > doc.length || span.start > span.end) return `span ${span.start}..${span.end} outside 0..${doc.length}`;
  return undefined;
}

/**
 * Everything wrong with one analysis result: findings (and related places) outside their documents,
 * internal errors, model spans outside the file. Empty when the result is sound.
 */
export function problemsOf(input: AnalyzeInput, result: AnalyzeResult): string[] {
  const problems: string[] = [];
  const text = stripBom(input.text);
  const docs = new Map<string, { doc: string; index: LineIndex }>();
  const docOf = (file: string) => {
    let d = docs.get(file);
    if (!d) {
      const raw = file === input.file ? text : input.files?.get(file);
      if (raw === undefined) return undefined;
      const doc = file === input.file ? raw : stripBom(raw);
      d = { doc, index: new LineIndex(doc) };
      docs.set(file, d);
    }
    return d;
  };
  for (const f of result.findings) {
    if (f.ruleId === INTERNAL_ERROR) problems.push(`internal error: ${f.message}`);
    if (!['error', 'warning', 'info', 'hint'].includes(f.severity)) problems.push(`${f.ruleId}: severity ${f.severity}`);
    const d = docOf(f.location.file);
    if (!d) {
      problems.push(`${f.ruleId}: reported in ${f.location.file}, a file the analysis was not given`);
      continue;
    }
    const bad = spanInside(f.location.span, d.doc) ?? rangeInside(f.range, d.doc, d.index);
    if (bad) problems.push(`${f.ruleId} at ${f.location.file}: ${bad}`);
    for (const r of f.related ?? []) {
      const rd = docOf(r.location.file);
      if (!rd) continue; // related places in files not loaded keep their span only
      const rb = spanInside(r.location.span, rd.doc) ?? (r.range ? rangeInside(r.range, rd.doc, rd.index) : undefined);
      if (rb) problems.push(`${f.ruleId} related ${r.location.file}: ${rb}`);
    }
  }
  const m = result.model;
  if (m) {
    const spans: [string, Span][] = [
      ...m.images.map((i): [string, Span] => ['image', i.span]),
      ...m.commands.map((c): [string, Span] => ['command', c.span]),
      ...m.remoteAdds.flatMap((a): [string, Span][] => [['add', a.span], ['add url', a.urlSpan]]),
      ...m.ecrRepositories.map((e): [string, Span] => ['ecr', e.span]),
      ...m.versionConsistency.map((v): [string, Span] => ['version consistency', v.span]),
      ...m.problems.map((p): [string, Span] => ['problem', p.span]),
    ];
    for (const [what, span] of spans) {
      const bad = spanInside(span, text);
      if (bad) problems.push(`model ${what}: ${bad}`);
    }
  }
  return problems;
}

/** Analyse `input`, check the invariants and the time; records into `t`. Returns the problems (empty when fine). */
export function check(input: AnalyzeInput, t: Tally): string[] {
  let result: AnalyzeResult | undefined;
  let thrown: unknown;
  const { ms } = cpuTimed(() => {
    try {
      result = analyze(input);
    } catch (e) {
      thrown = e;
    }
  });
  t.inputs++;
  t.maxCpuMs = Math.max(t.maxCpuMs, ms);
  t.totalCpuMs += ms;
  if (thrown !== undefined) return [`analyze() threw: ${thrown instanceof Error ? (thrown.stack ?? thrown.message) : String(thrown)}`];
  const problems = problemsOf(input, result!);
  t.findings += result!.findings.length;
  if (result!.findings.some((f) => f.ruleId === 'skipped-file')) t.skipped++;
  if (ms > HANG_MS) problems.push(`took ${ms.toFixed(0)} ms of CPU (hang bound ${HANG_MS} ms)`);
  return problems;
}

/** Run a property over `arb` with the tier's budget and seed; every input goes through `check`. */
export function assertAnalysis<T>(t: TestContext, name: string, arb: fc.Arbitrary<T>, toInput: (value: T) => AnalyzeInput | AnalyzeInput[], runs = RUNS): Tally {
  const counts = tally();
  try {
    fc.assert(
      fc.property(arb, (value) => {
        const inputs = toInput(value);
        for (const input of Array.isArray(inputs) ? inputs : [inputs]) {
          const problems = check(input, counts);
          if (problems.length) {
            throw new Error(`${problems.slice(0, 5).join('\n')}\n--- ${input.file} (${input.text.length} chars) ---\n${JSON.stringify(input.text.slice(0, 2000))}`);
          }
        }
      }),
      { numRuns: runs, seed: SEED, endOnFailure: true, includeErrorInReport: true },
    );
  } finally {
    report(t, name, counts);
  }
  return counts;
}

/** The line every property prints: how many inputs it tried and how long the slowest took. */
export function report(t: TestContext, name: string, c: Tally): void {
  const line = `${name}: ${c.inputs} inputs tried (seed ${SEED}), ${c.findings} findings, ${c.skipped} skipped by a limit, slowest ${c.maxCpuMs.toFixed(1)} ms CPU, mean ${(c.totalCpuMs / Math.max(1, c.inputs)).toFixed(2)} ms`;
  t.diagnostic(line);
  TOTALS.push(line);
}

/** Every property's line, for a summary at the end of a file. */
export const TOTALS: string[] = [];

/** Fail unless `problems` is empty, showing them. */
export function assertNone(problems: string[], what: string): void {
  assert.deepEqual(problems, [], `${what}:\n${problems.join('\n')}`);
}
