// What the fixes core reads for an open document: its latest analysis, the files the fix may need
// (loaded on demand), the workspace root of `.knowngood.yaml`, and the checksums and digests fetched so far.
import * as path from 'path';
import type { Range, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnalyzeResult } from '../core/analyze';
import { fixFinding, type Fix, type FixInput, type FixResult } from '../core/fixes';
import type { Finding } from '../core/types';
import { analyzeWithDependencies } from './analysis';
import type { AnalysisSource } from './doc-model';
import { FixFiles } from './fix-files';
import type { FixActionData } from './fix-protocol';
import { documentPath, pathToUri } from './uri';

/** Checksums and digests fetched in this session (a URL is downloaded once). */
export interface FixSession {
  checksums: Map<string, string>;
  digests: Map<string, string>;
  /** Bumped whenever a checksum or digest is remembered (cached fixes computed before are outdated). */
  generation: number;
}

const SESSIONS = new WeakMap<object, FixSession>();
/** Remembered at most (oldest forgotten first). */
const SESSION_LIMIT = 256;

/** The session of a server (keyed by its document manager). */
export function sessionOf(documents: object): FixSession {
  let s = SESSIONS.get(documents);
  if (!s) SESSIONS.set(documents, (s = { checksums: new Map(), digests: new Map(), generation: 0 }));
  return s;
}

/** Remember `value` under `key` in one of the session's maps, forgetting the oldest entry beyond the limit. */
export function remember(session: FixSession, map: Map<string, string>, key: string, value: string): void {
  session.generation++;
  map.delete(key);
  map.set(key, value);
  if (map.size > SESSION_LIMIT) map.delete(map.keys().next().value!);
}

export interface FixContextDeps extends AnalysisSource {
  documents: TextDocuments<TextDocument>;
}

/** One document's analysis with the files its fixes read. */
export interface FixContext {
  file: string;
  text: string;
  result: AnalyzeResult & { model: NonNullable<AnalyzeResult['model']> };
  files: FixFiles;
  /** Folder `.knowngood.yaml` lives in: the workspace folder holding the file. */
  root: string;
  /** The scheduler's analysis this context was built on (fixes computed from it may be cached with it). */
  analysis?: AnalyzeResult;
}

/** Open documents by file path (built once per call). */
export function openDocFinder(documents: TextDocuments<TextDocument>): (file: string) => TextDocument | undefined {
  let byPath: Map<string, TextDocument> | undefined;
  return (file) => {
    byPath ??= new Map(documents.all().map((d) => [documentPath(d.uri), d]));
    return byPath.get(file);
  };
}

/**
 * The files map for `file`: workspace folders may be read (as the analysis reads them); a file outside
 * every folder sees only open documents. `root` is where `.knowngood.yaml` belongs.
 */
export function fixFiles(deps: FixContextDeps, file: string): { files: FixFiles; root: string } {
  const root = deps.settings.folderOf(file)?.path ?? path.posix.dirname(file);
  return { files: new FixFiles({ roots: deps.settings.folders.map((f) => f.path), openDoc: openDocFinder(deps.documents) }), root };
}

/** The context of `doc` as it is now; undefined when it is not analysed (excluded, or no model). */
export async function fixContext(deps: FixContextDeps, doc: TextDocument): Promise<FixContext | undefined> {
  const file = documentPath(doc.uri);
  let result: AnalyzeResult;
  let used: ReadonlyMap<string, string>;
  let analysis: AnalyzeResult | undefined;
  const latest = deps.scheduler.latest(doc.uri);
  if (latest) {
    result = analysis = latest.result;
    used = latest.files;
  } else {
    const resolved = await deps.settings.resolve(doc.uri, file);
    if (!resolved.included) return undefined;
    const request = { file, text: doc.getText(), languageId: doc.languageId, settings: resolved.settings, workspace: deps.index.facts() };
    const out = await analyzeWithDependencies(request, deps.readText);
    if (!out) return undefined;
    result = out.result;
    used = out.files;
  }
  const model = result.model;
  if (!model) return undefined;
  const { files, root } = fixFiles(deps, file);
  const text = doc.getText();
  files.put(file, { uri: doc.uri, text, version: doc.version });
  // The dependency texts the analysis used (scripts, other Dockerfiles); open documents are read as they are now.
  const open = openDocFinder(deps.documents);
  for (const [f, t] of used) if (f !== file && !open(f)) files.put(f, { uri: pathToUri(f), text: t, version: null });
  return { file, text, result: { ...result, model }, files, root, analysis };
}

/** The FixInput of a context, with what the session fetched. */
export function fixInput(ctx: FixContext, session: FixSession): FixInput {
  return { file: ctx.file, text: ctx.text, model: ctx.result.model, files: ctx.files, checksums: session.checksums, digests: session.digests, root: ctx.root };
}

const sameRange = (a: Range, b: Range) =>
  a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;

/** The finding of the analysis behind a diagnostic (same rule, same range, in this file). */
export function findingAt(ctx: FixContext, ruleId: string, range: Range): Finding | undefined {
  return ctx.result.findings.find((f) => f.ruleId === ruleId && f.location.file === ctx.file && sameRange(f.range, range));
}

/** The fixes of a finding; never throws (an internal error becomes a reason). */
export function safeFixes(finding: Finding, input: FixInput): FixResult {
  try {
    return fixFinding(finding, input);
  } catch (e) {
    return { fixes: [], reason: `No automatic fix: the fix could not be computed (${e instanceof Error ? e.message : String(e)}).` };
  }
}

/** The fix an action names: same id, same position among the fixes with that id. */
export function pickFix(fixes: readonly Fix[], data: Pick<FixActionData, 'fixId' | 'ordinal'>): Fix | undefined {
  return fixes.filter((f) => f.id === data.fixId)[data.ordinal];
}

/** Whether a fix only silences the finding (`ignore-inline`, `ignore-config`). */
export const isIgnoreFix = (fix: Fix) => fix.id.startsWith('ignore');
