// Scores audit findings against the corpus manifest's labels: per-category hits, misses, false positives.
import type { Finding } from '../../server/src/core/types';

/** Corpus categories and the rules that report them (shared/corpus/README.md). */
export const CATEGORY_RULES: Record<string, string[]> = {
  'latest-or-untagged': ['latest-tag'],
  'tag-without-digest': ['missing-digest'],
  'variable-image': ['variable-image'],
  'runtime-download': ['runtime-install', 'runtime-fetch'],
  'ecr-mutable': ['ecr-mutable-tags'],
  'add-url-no-checksum': ['add-without-checksum'],
  'version-consistency-disabled': ['version-consistency-disabled'],
};

export interface Label {
  category: string;
  line: number;
  text: string;
  note?: string;
}

export interface ManifestEntry {
  id: string;
  file: string;
  kind: string;
  expect: Label[];
}

/** A finding with its file as a manifest path (`files/<id>/…`). */
export interface CorpusFinding {
  file: string;
  finding: Finding;
}

export interface CategoryScore {
  category: string;
  labels: number;
  borderline: number;
  hits: number;
  misses: { file: string; line: number; text: string }[];
  falsePositives: { file: string; line: number; ruleId: string; message: string }[];
  /** Findings that matched a non-borderline label. */
  matchedFindings: number;
  precision: number;
  recall: number;
}

export const isBorderline = (l: Label) => /borderline/i.test(l.note ?? '');

export function categoryOf(ruleId: string): string | undefined {
  return Object.keys(CATEGORY_RULES).find((c) => CATEGORY_RULES[c].includes(ruleId));
}

/** Whether the finding's range covers 1-based `line` (an end at column 0 does not cover its line). */
export function covers(f: Finding, line: number): boolean {
  const first = f.range.start.line + 1;
  let last = f.range.end.line + 1;
  if (f.range.end.character === 0 && f.range.end.line > f.range.start.line) last--;
  return line >= first && line <= last;
}

function matches(cf: CorpusFinding, file: string, label: Label): boolean {
  return cf.file === file && CATEGORY_RULES[label.category]?.includes(cf.finding.ruleId) === true && covers(cf.finding, label.line);
}

/** Score every category over all manifest entries and all findings in the audited corpus files. */
export function score(manifest: readonly ManifestEntry[], findings: readonly CorpusFinding[]): CategoryScore[] {
  return Object.keys(CATEGORY_RULES).map((category) => {
    const labels = manifest.flatMap((m) => m.expect.filter((l) => l.category === category).map((l) => ({ file: m.file, label: l })));
    const all = manifest.flatMap((m) => m.expect.map((l) => ({ file: m.file, label: l })));
    const mine = findings.filter((cf) => categoryOf(cf.finding.ruleId) === category);
    const firm = labels.filter((l) => !isBorderline(l.label));
    const hitLabels = firm.filter((l) => mine.some((cf) => matches(cf, l.file, l.label)));
    let matchedFindings = 0;
    const falsePositives: CategoryScore['falsePositives'] = [];
    for (const cf of mine) {
      const matched = all.filter((l) => matches(cf, l.file, l.label));
      if (matched.some((l) => !isBorderline(l.label))) matchedFindings++;
      else if (!matched.length) falsePositives.push({ file: cf.file, line: cf.finding.range.start.line + 1, ruleId: cf.finding.ruleId, message: cf.finding.message });
    }
    const misses = firm.filter((l) => !hitLabels.includes(l)).map((l) => ({ file: l.file, line: l.label.line, text: l.label.text }));
    return {
      category,
      labels: labels.length,
      borderline: labels.length - firm.length,
      hits: hitLabels.length,
      misses,
      falsePositives,
      matchedFindings,
      precision: matchedFindings + falsePositives.length ? matchedFindings / (matchedFindings + falsePositives.length) : 1,
      recall: firm.length ? hitLabels.length / firm.length : 1,
    };
  });
}

/** A fixed-width table of the scores. */
export function table(scores: readonly CategoryScore[]): string {
  const head = ['category', 'labels', 'border', 'hits', 'misses', 'FP', 'precision', 'recall'];
  const rows = scores.map((s) => [s.category, s.labels, s.borderline, s.hits, s.misses.length, s.falsePositives.length, s.precision.toFixed(2), s.recall.toFixed(2)].map(String));
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [head, ...rows].map((r) => r.map((c, i) => (i ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ')).join('\n');
}
