// `codeAction/resolve` for the pin actions: resolves the digests (with progress), refuses when the
// document changed, reports registry failures with `window/showMessage`, returns the edit. The fixes
// core's actions are resolved by fix-resolve.
import type { CodeAction, Connection, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { PinCandidate } from '../core/fixes/pin';
import type { PinFailure } from '../pin/service';
import type { PinActionData } from './code-actions';
import { candidateAt, currentAnalysis, pinTargets, spanRange, type AnalysisSource } from './doc-model';
import { CHANGED_REASON, isFixData, resolveFixAction } from './fix-resolve';
import { documentEdit, notify, withProgress, type ClientCaps } from './pin-feedback';
import type { PinManager } from './pin-manager';

export interface ResolveDeps extends AnalysisSource {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  pins: PinManager;
  caps: () => ClientCaps;
}

export { CHANGED_REASON };

function isPinData(data: unknown): data is PinActionData {
  const d = data as PinActionData | undefined;
  return !!d && typeof d === 'object' && ['pin', 'update', 'pin-file'].includes(d.knownGood) && typeof d.uri === 'string' && typeof d.version === 'number';
}

/** Summary of failures: one line per distinct reference. */
export function describeFailures(failures: readonly PinFailure[]): string {
  const byQuery = new Map<string, string>();
  for (const f of failures) if (!byQuery.has(f.query)) byQuery.set(f.query, f.message);
  return [...byQuery].map(([q, m]) => `\`${q}\`: ${m}`).join('; ');
}

/** Fill in the edit of a pin or fix action (other actions come back unchanged). */
export async function resolveCodeAction(deps: ResolveDeps, action: CodeAction): Promise<CodeAction> {
  const data = action.data;
  if (isFixData(data)) return resolveFixAction(deps, action, data);
  if (!isPinData(data)) return action;
  const refuse = (reason: string, type: 'warning' | 'info' = 'warning'): CodeAction => {
    delete action.edit;
    action.disabled = { reason };
    notify(deps.connection, type, `Known Good: ${reason}`);
    return action;
  };
  const doc = deps.documents.get(data.uri);
  if (!doc || doc.version !== data.version) return refuse(CHANGED_REASON);
  const access = await deps.pins.forResource(doc.uri);
  if (access.offline) return refuse(`${access.offline}.`);
  const analysis = await currentAnalysis(deps, doc);
  if (!analysis.model || deps.documents.get(doc.uri)?.version !== data.version) return refuse(CHANGED_REASON);
  let targets: PinCandidate[];
  if (data.knownGood === 'pin-file') {
    targets = pinTargets(analysis.model, analysis.findings);
  } else {
    const c = data.span ? candidateAt(analysis.model, data.span) : undefined;
    if (!c || c.query !== data.query) return refuse(CHANGED_REASON);
    targets = [c];
  }
  if (!targets.length) return refuse('Nothing left to pin in this file.', 'info');
  const queries = [...new Set(targets.map((t) => t.query))];
  // An explicit pin asks the registry now, whatever an earlier hover or check remembered.
  for (const q of queries) access.service.cache.invalidate(q);
  const title = queries.length === 1 ? `Known Good: resolving ${queries[0]}` : `Known Good: resolving ${queries.length} image tags`;
  const { edits, failures } = await withProgress(deps.connection, deps.caps(), title, 'asking the registry…', () =>
    access.service.edits(analysis.model!, { only: targets.map((t) => t.span), update: data.knownGood === 'update', style: access.style }),
  );
  // The registry took time: the edit is only valid for the text it was computed on.
  if (deps.documents.get(doc.uri)?.version !== data.version) return refuse(CHANGED_REASON);
  if (failures.length) {
    const pinned = edits.length ? `pinned ${edits.length} of ${targets.length} image reference(s); ` : '';
    notify(deps.connection, edits.length ? 'warning' : 'error', `Known Good ${pinned}could not pin ${describeFailures(failures)}. ${edits.length ? 'The others were pinned.' : 'Nothing was edited.'}`);
  }
  if (!edits.length) {
    delete action.edit;
    if (!failures.length) notify(deps.connection, 'info', `Known Good: \`${queries.join('`, `')}\` already points to the pinned digest.`);
    return action;
  }
  action.edit = documentEdit(doc, edits.map((e) => ({ range: spanRange(doc, analysis.bom, e.span), newText: e.newText })), deps.caps());
  return action;
}
