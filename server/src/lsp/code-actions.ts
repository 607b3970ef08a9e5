// `textDocument/codeAction`: "Pin to digest", "Update digest", "Pin all images in this file" and
// source.fixAll.knownGood (edits are computed in codeAction/resolve: no registry request here), the
// fixes core's cures (vendoring, checksums, ECR, version consistency; resolved later too), "Disable
// <rule> for this line" (edit computed at once), the core's ignore fixes where no disable action fits,
// and disabled actions saying why a finding has no cure.
import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic, type TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { CONFIG_ERROR, INTERNAL_ERROR } from '../core/analyze';
import { SKIPPED_FILE } from '../core/limits';
import type { Span } from '../core/types';
import { fixActions } from './fix-actions';
import { candidateAt, currentAnalysis, PIN_RULES, pinTargets, rangeSpan, STALE_RULE, type AnalysisSource, type CurrentAnalysis } from './doc-model';
import { documentEdit, type ClientCaps } from './pin-feedback';
import type { PinManager } from './pin-manager';
import { DIAGNOSTIC_SOURCE, FIX_ALL_KIND } from './protocol';
import { disableLineEdit } from './suppress-action';

/** What a pin action carries from codeAction to codeAction/resolve. */
export interface PinActionData {
  knownGood: 'pin' | 'update' | 'pin-file';
  uri: string;
  /** Document version the action was offered for; resolve refuses any other. */
  version: number;
  /** The reference (core offsets) for `pin` and `update`. */
  span?: Span;
  /** The `name:tag` to resolve, for `pin` and `update`. */
  query?: string;
}

export const PIN_FILE_TITLE = 'Pin all images in this file';

export interface CodeActionDeps extends AnalysisSource {
  documents: TextDocuments<TextDocument>;
  pins: PinManager;
  caps: () => ClientCaps;
}

/** Whether `kind` is asked for by `only` (absent: every kind but source actions). */
function wanted(only: readonly string[] | undefined, kind: string): boolean {
  if (!only) return !kind.startsWith(CodeActionKind.Source);
  return only.some((o) => kind === o || kind.startsWith(`${o}.`));
}

const ours = (d: Diagnostic) => d.source === DIAGNOSTIC_SOURCE && typeof d.code === 'string';

/** The code actions for `params`. */
export async function codeActions(deps: CodeActionDeps, params: CodeActionParams): Promise<CodeAction[]> {
  const doc = deps.documents.get(params.textDocument.uri);
  const caps = deps.caps();
  if (!doc || !caps.codeActionLiteral) return [];
  const only = params.context.only;
  const diagnostics = params.context.diagnostics.filter(ours);
  const quickfix = wanted(only, CodeActionKind.QuickFix);
  const fixAll = wanted(only, FIX_ALL_KIND);
  if (!(quickfix && diagnostics.length) && !fixAll) return [];
  const analysis = await currentAnalysis(deps, doc);
  if (deps.documents.get(doc.uri)?.version !== analysis.version) return [];
  const out: CodeAction[] = [];
  if (caps.resolveEdit && caps.data) out.push(...(await pinActions(deps, doc, analysis, quickfix ? diagnostics : [], fixAll)));
  if (quickfix) {
    const disable = disableActions(doc, analysis, diagnostics, caps);
    const fixes = await fixActions(deps, doc, diagnostics, (d) => disable.lines.has(disableKey(d)));
    out.push(...fixes.cures, ...disable.actions, ...fixes.ignores, ...fixes.reasons);
  }
  return out;
}

async function pinActions(deps: CodeActionDeps, doc: TextDocument, a: CurrentAnalysis, diagnostics: Diagnostic[], fixAll: boolean): Promise<CodeAction[]> {
  const relevant = diagnostics.filter((d) => PIN_RULES.has(d.code as string) || d.code === STALE_RULE);
  const targets = pinTargets(a.model, a.findings);
  if (!relevant.length && !(fixAll && targets.length)) return [];
  const caps = deps.caps();
  const { offline } = await deps.pins.forResource(doc.uri);
  if (offline && !caps.disabled) return [];
  const base = { uri: doc.uri, version: doc.version };
  const out: CodeAction[] = [];
  const offered = new Set<string>();
  for (const d of relevant) {
    const span = rangeSpan(doc, a.bom, d.range);
    const c = candidateAt(a.model, span);
    const update = d.code === STALE_RULE;
    if (!c || (update ? !c.currentDigest : !!c.currentDigest)) continue;
    const key = `${update}:${span.start}:${span.end}`;
    if (offered.has(key)) continue;
    offered.add(key);
    const title = update ? 'Update digest' : c.implicitLatest ? `Pin to today's digest of \`${c.query}\`` : 'Pin to digest';
    const data: PinActionData = { knownGood: update ? 'update' : 'pin', ...base, span, query: c.query };
    out.push({ title, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: true, data });
  }
  const pinDiagnostics = relevant.filter((d) => d.code !== STALE_RULE);
  if (out.some((x) => (x.data as PinActionData).knownGood === 'pin') && targets.length > 1) {
    out.push({ title: PIN_FILE_TITLE, kind: CodeActionKind.QuickFix, diagnostics: pinDiagnostics, data: { knownGood: 'pin-file', ...base } satisfies PinActionData });
  }
  if (fixAll && targets.length) out.push({ title: PIN_FILE_TITLE, kind: FIX_ALL_KIND, data: { knownGood: 'pin-file', ...base } satisfies PinActionData });
  if (offline) for (const x of out) x.disabled = { reason: offline };
  return out;
}

const disableKey = (d: Diagnostic) => `${String(d.code)}:${d.range.start.line}`;

/** "Disable <rule> for this line" actions, and the rule:line keys they cover. */
function disableActions(doc: TextDocument, a: CurrentAnalysis, diagnostics: Diagnostic[], caps: ClientCaps): { actions: CodeAction[]; lines: Set<string> } {
  const out: CodeAction[] = [];
  const seen = new Set<string>();
  const lines = new Set<string>();
  const text = doc.getText();
  for (const d of diagnostics) {
    const rule = d.code as string;
    if (rule === CONFIG_ERROR || rule === INTERNAL_ERROR || rule === SKIPPED_FILE) continue;
    const key = disableKey(d);
    if (seen.has(key)) continue;
    seen.add(key);
    const insertion = disableLineEdit(text, a.kind, a.file, d.range.start.line, rule);
    if (!insertion) continue;
    lines.add(key);
    const at = { line: insertion.line, character: insertion.character };
    out.push({
      title: `Disable ${rule} for this line`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      edit: documentEdit(doc, [{ range: { start: at, end: at }, newText: insertion.newText }], caps),
    });
  }
  return { actions: out, lines };
}
