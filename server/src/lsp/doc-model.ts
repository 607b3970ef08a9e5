// The current analysis of an open document for code actions (the scheduler's when it is for this
// version, a fresh one otherwise), which references to pin, and span ↔ LSP range conversions.
import type { Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { pinCandidates, type PinCandidate } from '../core/fixes/pin';
import type { FileModel } from '../core/model';
import type { FileKind, Finding, Span } from '../core/types';
import { analyzeWithDependencies } from './analysis';
import type { DiagnosticsScheduler } from './diagnostics';
import type { SettingsManager } from './settings';
import { documentPath } from './uri';
import type { WorkspaceIndex } from './workspace-index';

/** Rules whose findings "Pin to digest" fixes. */
export const PIN_RULES: ReadonlySet<string> = new Set(['latest-tag', 'missing-digest']);
export const STALE_RULE = 'stale-digest';

export interface CurrentAnalysis {
  file: string;
  version: number;
  kind?: FileKind;
  model?: FileModel;
  findings: readonly Finding[];
  /** 1 when the document text starts with a byte-order mark (the core's offsets do not count it). */
  bom: number;
}

export interface AnalysisSource {
  scheduler: DiagnosticsScheduler;
  settings: SettingsManager;
  index: WorkspaceIndex;
  readText: (file: string) => Promise<string | undefined>;
}

/** The analysis of `doc` as it is now (settings, ignores and pragmas applied). */
export async function currentAnalysis(src: AnalysisSource, doc: TextDocument): Promise<CurrentAnalysis> {
  const file = documentPath(doc.uri);
  const bom = doc.getText().charCodeAt(0) === 0xfeff ? 1 : 0;
  const latest = src.scheduler.latest(doc.uri);
  if (latest) return { file, version: doc.version, kind: latest.result.kind, model: latest.result.model, findings: latest.result.findings, bom };
  const resolved = await src.settings.resolve(doc.uri, file);
  const request = { file, text: doc.getText(), languageId: doc.languageId, settings: resolved.settings, workspace: src.index.facts() };
  const out = await analyzeWithDependencies(request, src.readText);
  const result = out?.result;
  return { file, version: doc.version, kind: result?.kind, model: result?.model, findings: resolved.included ? (result?.findings ?? []) : [], bom };
}

/** Unpinned references of the file that carry a latest-tag or missing-digest finding (ignored and suppressed ones are left alone). */
export function pinTargets(model: FileModel | undefined, findings: readonly Finding[]): PinCandidate[] {
  if (!model) return [];
  const flagged = new Set(findings.filter((f) => PIN_RULES.has(f.ruleId) && f.location.file === model.file).map((f) => `${f.location.span.start}:${f.location.span.end}`));
  return pinCandidates(model).filter((c) => !c.currentDigest && flagged.has(`${c.span.start}:${c.span.end}`));
}

/** The candidate whose span is exactly `span`. */
export function candidateAt(model: FileModel | undefined, span: Span): PinCandidate | undefined {
  return model ? pinCandidates(model).find((c) => c.span.start === span.start && c.span.end === span.end) : undefined;
}

/** LSP range of a core span. */
export function spanRange(doc: TextDocument, bom: number, span: Span): Range {
  return { start: doc.positionAt(span.start + bom), end: doc.positionAt(span.end + bom) };
}

/** Core span of an LSP range. */
export function rangeSpan(doc: TextDocument, bom: number, range: Range): Span {
  return { start: doc.offsetAt(range.start) - bom, end: doc.offsetAt(range.end) - bom };
}
