// Quick fixes from the fixes core for the diagnostics of a code action request: one CodeAction per
// Fix (edit computed in codeAction/resolve), and a disabled action carrying the reason when there is no cure.
import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { CONFIG_ERROR, INTERNAL_ERROR } from '../core/analyze';
import type { AnalyzeResult } from '../core/analyze';
import type { FixResult } from '../core/fixes';
import { findingAt, fixContext, fixInput, isIgnoreFix, safeFixes, sessionOf, type FixContext, type FixContextDeps } from './fix-context';
import { fixWorkspaceEdit } from './fix-edit';
import { networkOff, pending } from './fix-needs';
import type { FixActionData } from './fix-protocol';
import type { ClientCaps } from './pin-feedback';
import type { PinManager } from './pin-manager';

export interface FixActionDeps extends FixContextDeps {
  pins: PinManager;
  caps: () => ClientCaps;
}

/**
 * Fixes computed for an analysis, reused while it is the document's latest (the editor asks for code
 * actions on every cursor move; the core's ignore check re-parses the whole file). A new analysis (an
 * edit, a changed dependency) or a newly fetched checksum starts afresh; resolve always recomputes.
 */
const CACHE = new WeakMap<AnalyzeResult, { generation: number; byKey: Map<string, FixResult> }>();

function cachedFixes(ctx: FixContext, generation: number, key: string, compute: () => FixResult): FixResult {
  if (!ctx.analysis) return compute();
  let entry = CACHE.get(ctx.analysis);
  if (!entry || entry.generation !== generation) CACHE.set(ctx.analysis, (entry = { generation, byKey: new Map() }));
  let result = entry.byKey.get(key);
  if (!result) entry.byKey.set(key, (result = compute()));
  return result;
}

/** The actions by group, so the caller can order them around its own. */
export interface FixActions {
  /** Fixes that cure the finding. */
  cures: CodeAction[];
  /** Fixes that only silence it. */
  ignores: CodeAction[];
  /** Disabled actions whose title says why there is no cure. */
  reasons: CodeAction[];
}

/**
 * The core's fixes for `diagnostics` (ours, on `doc`). Ignore fixes are offered only for diagnostics
 * that have no "Disable <rule> for this line" action (`hasDisable`): that action stays the one way to
 * add an inline pragma, and the core's `.knowngood.yaml` entry covers JSON and places a comment cannot go.
 */
export async function fixActions(deps: FixActionDeps, doc: TextDocument, diagnostics: readonly Diagnostic[], hasDisable: (d: Diagnostic) => boolean): Promise<FixActions> {
  const none: FixActions = { cures: [], ignores: [], reasons: [] };
  const relevant = diagnostics.filter((d) => d.code !== CONFIG_ERROR && d.code !== INTERNAL_ERROR);
  if (!relevant.length) return none;
  const ctx = await fixContext(deps, doc);
  if (!ctx || deps.documents.get(doc.uri)?.version !== doc.version) return none;
  const caps = deps.caps();
  const lazy = caps.resolveEdit && caps.data;
  const session = sessionOf(deps.documents);
  const input = fixInput(ctx, session);
  let offline: Promise<string | undefined> | undefined;
  const cures: CodeAction[] = [];
  const ignores: CodeAction[] = [];
  const reasons: CodeAction[] = [];
  const seen = new Set<string>();
  for (const d of relevant) {
    const ruleId = String(d.code);
    const key = `${ruleId}:${d.range.start.line}:${d.range.start.character}:${d.range.end.line}:${d.range.end.character}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const finding = findingAt(ctx, ruleId, d.range);
    if (!finding) continue;
    const result = cachedFixes(ctx, session.generation, `${key}\0${doc.version}`, () => safeFixes(finding, input));
    const ordinals = new Map<string, number>();
    for (const fix of result.fixes) {
      const ordinal = ordinals.get(fix.id) ?? 0;
      ordinals.set(fix.id, ordinal + 1);
      const ignore = isIgnoreFix(fix);
      if (ignore && hasDisable(d)) continue;
      const action: CodeAction = { title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [d] };
      if (fix.preferred) action.isPreferred = true;
      const p = pending(fix.needs ?? [], session);
      if (p.urls.length || p.images.length) {
        offline ??= networkOff(deps, doc.uri);
        const off = await offline;
        if (off) {
          if (!caps.disabled) continue;
          action.disabled = { reason: `This fix needs the network, but ${off}` };
        }
      }
      if (lazy) {
        action.data = { knownGood: 'fix', uri: doc.uri, version: doc.version, fixId: fix.id, ordinal, ruleId, range: d.range } satisfies FixActionData;
      } else {
        // Without resolve support only fixes that need nothing fetched can be offered, with their edit.
        if (fix.needs?.length || action.disabled) continue;
        const built = fixWorkspaceEdit(fix, ctx.files, caps);
        if ('error' in built) continue;
        action.edit = built.edit;
      }
      (ignore ? ignores : cures).push(action);
    }
    if (result.reason && caps.disabled) reasons.push({ title: result.reason, kind: CodeActionKind.QuickFix, diagnostics: [d], disabled: { reason: result.reason } });
  }
  return { cures, ignores, reasons };
}
