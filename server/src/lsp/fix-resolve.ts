// `codeAction/resolve` for the fixes core's actions: re-checks the document version, recomputes the
// fix for the same finding, fetches what it needs (consent first for downloads), returns the edit.
import type { CodeAction, Connection } from 'vscode-languageserver';
import { findingAt, fixContext, fixInput, pickFix, safeFixes, sessionOf, type FixContextDeps } from './fix-context';
import { fixWorkspaceEdit } from './fix-edit';
import { fulfilNeeds, type NeedsDeps } from './fix-needs';
import type { FixActionData } from './fix-protocol';
import { notify, type ClientCaps } from './pin-feedback';
import type { PinManager } from './pin-manager';

/** Shown (as `disabled` and as a message) when the document was edited after the action was offered. */
export const CHANGED_REASON = 'The document changed after this fix was offered; nothing was edited. Ask for the fix again.';

export interface FixResolveDeps extends FixContextDeps, NeedsDeps {
  connection: Connection;
  pins: PinManager;
  caps: () => ClientCaps;
}

/** Needs are fetched at most this often per resolve (a checksum, then a frontend digest, then done). */
const MAX_ROUNDS = 4;

/** Whether `data` names a fixes-core action. */
export function isFixData(data: unknown): data is FixActionData {
  const d = data as FixActionData | undefined;
  return (
    !!d && typeof d === 'object' && d.knownGood === 'fix' && typeof d.uri === 'string' && typeof d.version === 'number' && typeof d.fixId === 'string' &&
    typeof d.ordinal === 'number' && typeof d.ruleId === 'string' && !!d.range && typeof d.range === 'object'
  );
}

/** Fill in the edit of a fix action, or return it disabled with the reason (also shown as a message). */
export async function resolveFixAction(deps: FixResolveDeps, action: CodeAction, data: FixActionData): Promise<CodeAction> {
  const refuse = (reason: string, type: 'error' | 'warning' | 'info' = 'warning'): CodeAction => {
    delete action.edit;
    action.disabled = { reason };
    notify(deps.connection, type, `Known Good: ${reason}`);
    return action;
  };
  const current = () => deps.documents.get(data.uri)?.version === data.version;
  const doc = deps.documents.get(data.uri);
  if (!doc || !current()) return refuse(CHANGED_REASON);
  const ctx = await fixContext(deps, doc);
  if (!ctx || !current()) return refuse(CHANGED_REASON);
  const finding = findingAt(ctx, data.ruleId, data.range);
  if (!finding) return refuse(CHANGED_REASON);
  const session = sessionOf(deps.documents);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const result = safeFixes(finding, fixInput(ctx, session));
    const fix = pickFix(result.fixes, data);
    if (!fix) return refuse(`This fix no longer applies${result.reason ? `: ${result.reason}` : '.'} Nothing was edited.`);
    if (fix.needs?.length) {
      const got = await fulfilNeeds(deps, doc.uri, fix.needs, session);
      if (!got.ok) return refuse(got.message, got.type);
      // Downloads and registry requests take time: the edit is only valid for the text it was computed on.
      if (!current()) return refuse(CHANGED_REASON);
      continue;
    }
    const built = fixWorkspaceEdit(fix, ctx.files, deps.caps());
    if ('error' in built) return refuse(`${built.error}. Nothing was edited.`, 'error');
    delete action.disabled;
    action.edit = built.edit;
    return action;
  }
  return refuse('The fix still needs data after fetching it; nothing was edited. Please report this.', 'error');
}
