// `known-good pin`, the planning half: every pin candidate in a scanned workspace, each distinct
// `name:tag` resolved once, and per file the new text (only the reference spans replaced).
import type { WorkspaceModels } from '../audit';
import { isIgnored } from '../core/config';
import { applyEdits, pinCandidate, pinEdit, type PinCandidate, type PinStyle } from '../core/fixes/pin';
import { LineIndex } from '../core/line-index';
import type { FileModel } from '../core/model';
import { isSuppressed } from '../core/suppress';
import type { Span } from '../core/types';
import { DigestCache, type FailureReason, type Resolution } from '../registry';

/** A reference in a file, with 1-based line and column. */
export interface PinSite {
  file: string;
  line: number;
  column: number;
  /** The reference as written. */
  raw: string;
  /** The `name:tag` asked of the registry. */
  query: string;
}

export interface PlannedFile {
  file: string;
  /** The text as read (BOM included) and the text to write. */
  before: string;
  after: string;
  /** References this file's edits pin (or re-pin, with `update`). */
  pinned: (PinSite & { newText: string; digest: string })[];
}

export interface PinFailureSite extends PinSite {
  registry: string;
  reason: FailureReason;
  /** The registry client's message (names the registry and says why). */
  message: string;
}

export interface PinPlan {
  /** Files with at least one edit, sorted. */
  files: PlannedFile[];
  /** References that could not be resolved, by file and position. */
  failures: PinFailureSite[];
  /** Distinct tags resolved (each once). */
  queries: number;
  /** Pinned references left as they are (without `update`), or whose tag still points at their digest (with it). */
  alreadyPinned: number;
  /** References silenced for the pin rules by an inline `known-good-ignore` or a `.knowngood.yaml` entry. */
  suppressed: number;
  /** References built from variables (`${BASE}`, `!Ref`, `var.image`): never edited. */
  variable: number;
}

export interface PlanOptions {
  /** Also re-pin `tag@sha256:` references whose tag now points at another digest. */
  update?: boolean;
  style?: PinStyle;
}

/** Resolves distinct `name:tag` queries (PinService.resolve). */
export type Resolver = (queries: readonly string[]) => Promise<Map<string, Resolution>>;

/** Rules whose silencing on a reference means "leave this reference as it is". */
const UNPINNED_RULES = ['missing-digest', 'latest-tag'];
const PINNED_RULES = ['stale-digest'];

interface Target {
  model: FileModel;
  candidate: PinCandidate;
  site: PinSite;
  key: string;
}

/** Plan the pins of every model in `ws`, resolving through `resolve` (one call, distinct queries). */
export async function planPins(ws: WorkspaceModels, resolve: Resolver, options: PlanOptions = {}): Promise<PinPlan> {
  const targets: Target[] = [];
  let alreadyPinned = 0;
  let suppressed = 0;
  let variable = 0;
  for (const model of ws.models) {
    const index = new LineIndex(model.text);
    for (const s of model.images) {
      if (s.variable) variable++;
      const c = pinCandidate(model.text, s);
      if (!c) continue;
      if (c.currentDigest && !options.update) {
        alreadyPinned++;
        continue;
      }
      const range = index.range(s.span);
      const rules = c.currentDigest ? PINNED_RULES : UNPINNED_RULES;
      if (rules.some((r) => isSuppressed(model.suppressions, r, range.start.line, range.end.line) || isIgnored(ws.config, model.file, r, s.pointer))) {
        suppressed++;
        continue;
      }
      const site = { file: model.file, line: range.start.line + 1, column: range.start.character + 1, raw: c.raw, query: c.query };
      targets.push({ model, candidate: c, site, key: DigestCache.key(c.query) });
    }
  }

  // One query per registry key: `node:20` and `docker.io/library/node:20` are asked once.
  const byKey = new Map<string, string>();
  for (const t of targets) if (!byKey.has(t.key)) byKey.set(t.key, t.candidate.query);
  const resolved = await resolve([...byKey.values()]);

  const failures: PinFailureSite[] = [];
  const edits = new Map<FileModel, { span: Span; newText: string; pin: PlannedFile['pinned'][number] }[]>();
  for (const t of targets) {
    const r = resolved.get(byKey.get(t.key)!);
    if (!r) throw new Error(`no resolution for ${t.candidate.query}`);
    if (!r.ok) {
      failures.push({ ...t.site, registry: r.registry, reason: r.reason, message: r.message });
      continue;
    }
    if (t.candidate.currentDigest === r.digest) {
      alreadyPinned++;
      continue;
    }
    const edit = pinEdit(t.candidate, r.digest, options.style);
    const list = edits.get(t.model) ?? [];
    list.push({ ...edit, pin: { ...t.site, newText: edit.newText, digest: r.digest } });
    edits.set(t.model, list);
  }

  const texts = new Map(ws.files.map((f) => [f.file, f.text]));
  const files: PlannedFile[] = [];
  for (const [model, list] of edits) {
    const before = texts.get(model.file) ?? model.text;
    const bom = before.charCodeAt(0) === 0xfeff ? '\ufeff' : '';
    if (before !== bom + model.text) throw new Error(`${model.file}: the model's text is not the file's text`);
    files.push({ file: model.file, before, after: bom + applyEdits(model.text, list), pinned: list.map((e) => e.pin) });
  }
  files.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  failures.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.column - b.column);
  return { files, failures, queries: byKey.size, alreadyPinned, suppressed, variable };
}
