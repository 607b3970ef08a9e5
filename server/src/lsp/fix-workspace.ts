// `knownGood/vendorWorkspace`: find every runtime install/fetch in the workspace folders (the audit),
// vendor them one by one in memory (fetching checksums once, with one consent for all URLs), and
// answer one WorkspaceEdit (one edit per changed file, needing confirmation) with what was left and why.
import * as path from 'path';
import { LSPErrorCodes, ResponseError, type CancellationToken, type TextEdit, type WorkDoneProgressReporter } from 'vscode-languageserver';
import { auditWorkspace, type AuditResult } from '../audit';
import { stripBom } from '../core/analyze';
import type { FixNeed } from '../core/fixes';
import { fixFiles, sessionOf, type FixContextDeps, type FixSession } from './fix-context';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { EditCollector } from './fix-edit';
import type { FileSource, FixFiles } from './fix-files';
import { askDownloadConsent, downloadAll, needsText, networkOff, pending, resolveImages, type NeedsDeps } from './fix-needs';
import type { VendorSkip, VendorWorkspaceParams, VendorWorkspaceResult } from './fix-protocol';
import { analyseTarget, RUNTIME_RULES, runtimeFindings, vendorPass, type PassResult, type PassTarget } from './fix-workspace-pass';
import type { Folder } from './settings';
import { documentPath, isInside, pathToUri } from './uri';

export interface VendorWorkspaceDeps extends FixContextDeps, NeedsDeps {
  log: (message: string) => void;
}

interface FolderRun {
  folder: Folder;
  files: FixFiles;
  pass: PassResult;
  /** Where each runtime finding was before the pass (key → uri and range). */
  initial: Map<string, { uri: string; line: number; character: number; ruleId: string }>;
  remaining: { key: string; uri: string; line: number; character: number; ruleId: string }[];
}

let lastBreath = performance.now();
/** Analysis is synchronous: give the event loop a turn every ~20 ms so requests and cancellation get through. */
async function breathe(): Promise<void> {
  if (performance.now() - lastBreath < 20) return;
  await new Promise<void>((resolve) => setImmediate(resolve));
  lastBreath = performance.now();
}

/** The files to vendor in: those with runtime findings, the Dockerfiles that run their scripts, open documents with some. */
async function targetsOf(deps: VendorWorkspaceDeps, folder: Folder, audit: AuditResult): Promise<PassTarget[]> {
  const kinds = new Map(audit.files.map((f) => [path.posix.join(folder.path, f.file), f.kind]));
  const abs = (f: string) => (path.posix.isAbsolute(f) ? f : path.posix.join(folder.path, f));
  const wanted = new Set<string>();
  for (const f of audit.findings) {
    if (!RUNTIME_RULES.has(f.ruleId)) continue;
    if (kinds.has(abs(f.location.file))) wanted.add(abs(f.location.file));
    for (const r of f.related ?? []) if (kinds.get(abs(r.location.file)) === 'dockerfile') wanted.add(abs(r.location.file));
  }
  for (const doc of deps.documents.all()) {
    const file = documentPath(doc.uri);
    if (isInside(folder.path, file) && deps.scheduler.latest(doc.uri)?.result.findings.some((f) => RUNTIME_RULES.has(f.ruleId))) wanted.add(file);
  }
  const targets: (PassTarget & { dockerfile: boolean })[] = [];
  for (const file of wanted) {
    const open = deps.documents.all().find((d) => documentPath(d.uri) === file);
    const resolved = await deps.settings.resolve(open?.uri ?? pathToUri(file), file);
    if (!resolved.included) continue;
    const dockerfile = kinds.get(file) === 'dockerfile' || open?.languageId === 'dockerfile';
    targets.push({ file, settings: resolved.settings, languageId: open?.languageId, dockerfile });
  }
  // Dockerfiles first: a script's install is moved through the Dockerfile that runs it.
  return targets.sort((a, b) => Number(b.dockerfile) - Number(a.dockerfile) || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/** Analyse each target before and after the pass over a fresh copy of the folder's texts. */
async function runFolder(deps: VendorWorkspaceDeps, folder: Folder, targets: PassTarget[], session: FixSession, signal: AbortSignal): Promise<FolderRun> {
  const { files } = fixFiles(deps, folder.path);
  const facts = () => deps.index.facts();
  const where = (file: string) => files.source(file)?.uri ?? pathToUri(file);
  const initial: FolderRun['initial'] = new Map();
  for (const t of targets) {
    await breathe();
    for (const { key, finding } of runtimeFindings(await analyseTarget({ files, facts }, t), files)) {
      if (!initial.has(key)) initial.set(key, { uri: where(finding.location.file), ...finding.range.start, ruleId: finding.ruleId });
    }
  }
  const pass = await vendorPass({ files, root: folder.path, session, facts, signal, breathe }, targets);
  const remaining: FolderRun['remaining'] = [];
  const seen = new Set<string>();
  for (const t of targets) {
    await breathe();
    for (const { key, finding } of runtimeFindings(await analyseTarget({ files, facts }, t), files)) {
      if (seen.has(key)) continue;
      seen.add(key);
      const at = initial.get(key);
      remaining.push({ key, uri: at?.uri ?? where(finding.location.file), line: at?.line ?? finding.range.start.line, character: at?.character ?? finding.range.start.character, ruleId: finding.ruleId });
    }
  }
  return { folder, files, pass, initial, remaining };
}

/** One edit per changed file: the smallest span that differs (positions as the editor shows the file). */
export function diffEdit(original: FileSource, text: string): TextEdit | undefined {
  const shown = (t: string) => (original.version === null ? stripBom(t) : t);
  const a = shown(original.text);
  const b = shown(text);
  if (a === b) return undefined;
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  // Never split a CRLF pair.
  if (start > 0 && a[start - 1] === '\r') start--;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  if (end > 0 && a[a.length - end] === '\n' && a[a.length - end - 1] === '\r' && a.length - end - 1 >= start) end--;
  const doc = TextDocument.create(original.uri, 'plaintext', 0, a);
  return { range: { start: doc.positionAt(start), end: doc.positionAt(a.length - end) }, newText: b.slice(start, b.length - end) };
}

function buildEdit(deps: VendorWorkspaceDeps, runs: FolderRun[], result: VendorWorkspaceResult): void {
  const out = new EditCollector(deps.caps());
  for (const run of runs) {
    for (const [file, original] of run.pass.originals) {
      const now = run.files.source(file);
      if (!now) continue;
      const rel = path.posix.relative(run.folder.path, file) || file;
      const annotationId = out.annotate(`vendor ${now.uri}`, { label: `Vendor runtime installs: ${rel}`, needsConfirmation: true });
      if (original === 'created') {
        if (out.create(now.uri, now.text, annotationId)) result.changedFiles++;
        continue;
      }
      const edit = diffEdit(original, now.text);
      if (!edit) continue;
      out.edit(original.uri, original.version, [edit], annotationId);
      result.changedFiles++;
    }
  }
  if (!out.empty) result.edit = out.build();
}

function skipsOf(runs: FolderRun[], session: FixSession, why: (needs: FixNeed[]) => string): VendorSkip[] {
  const out: VendorSkip[] = [];
  for (const run of runs) {
    const reasons = new Map(run.pass.skipped.map((s) => [s.key, s]));
    for (const r of run.remaining) {
      const s = reasons.get(r.key);
      const message = !s ? 'Left as it is (no fix was tried).' : s.needs ? `${s.message.replace(/: needs data from the network$/, '')}: needs ${needsText(pending(s.needs, session))}; ${why(s.needs)}` : s.message;
      out.push({ uri: r.uri, line: r.line, character: r.character, ruleId: r.ruleId, message });
    }
  }
  return out;
}

async function reporterFor(deps: VendorWorkspaceDeps, params: VendorWorkspaceParams): Promise<WorkDoneProgressReporter | undefined> {
  if (params.workDoneToken !== undefined) return deps.connection.window.attachWorkDoneProgress(params.workDoneToken);
  if (deps.caps().serverProgress) return deps.connection.window.createWorkDoneProgress();
  return undefined;
}

/** Run the request (cancelling it rejects with RequestCancelled). */
export async function vendorWorkspaceRequest(deps: VendorWorkspaceDeps, params: VendorWorkspaceParams | null, token: CancellationToken): Promise<VendorWorkspaceResult> {
  const p = params ?? {};
  const result: VendorWorkspaceResult = { files: 0, findings: 0, vendored: 0, changedFiles: 0, applied: [], skipped: [], downloads: [] };
  const folders = deps.settings.folders.filter((f) => !p.folders || p.folders.includes(f.uri));
  const abort = new AbortController();
  token.onCancellationRequested(() => abort.abort());
  const progress = await reporterFor(deps, p);
  progress?.begin('Known Good: vendoring runtime installs', 0, 'auditing…', true);
  (progress as { token?: CancellationToken } | undefined)?.token?.onCancellationRequested(() => abort.abort());
  const session = sessionOf(deps.documents);
  try {
    const plans: { folder: Folder; targets: PassTarget[] }[] = [];
    for (const folder of folders) {
      const editor = await deps.settings.editorSettings(folder.uri);
      const audit = await auditWorkspace(folder.path, undefined, { editorRules: editor.rules, signal: abort.signal });
      result.files += audit.files.length;
      plans.push({ folder, targets: await targetsOf(deps, folder, audit) });
    }
    const runAll = async () => {
      const runs: FolderRun[] = [];
      for (const plan of plans) runs.push(await runFolder(deps, plan.folder, plan.targets, session, abort.signal));
      return runs;
    };
    progress?.report(30, 'vendoring…');
    let runs = await runAll();
    const needs = runs.flatMap((r) => r.pass.skipped.flatMap((s) => s.needs ?? []));
    const wanted = pending(needs, session);
    let why: (n: FixNeed[]) => string = () => 'it was not fetched';
    if ((wanted.urls.length || wanted.images.length) && folders.length) {
      const off = await networkOff(deps, folders[0].uri);
      if (off) {
        result.networkOff = off;
        why = () => `but ${off}`;
      } else {
        const failedImage = await resolveImages(deps, folders[0].uri, wanted.images, session);
        const consent = wanted.urls.length ? await askDownloadConsent(deps.connection, wanted.urls) : false;
        if (consent) {
          progress?.report(50, `downloading ${wanted.urls.length} file(s) to compute checksums…`);
          result.downloads = await downloadAll(deps, wanted.urls, session, abort.signal);
        }
        const failed = new Map(result.downloads.filter((d) => !d.ok).map((d) => [d.url, d.detail]));
        why = (n) => {
          const url = n.find((x) => x.kind === 'download-sha256' && failed.has(x.url));
          if (url && url.kind === 'download-sha256') return failed.get(url.url)!;
          if (n.some((x) => x.kind === 'download-sha256') && !consent) return 'the download was declined';
          return failedImage ?? 'it could not be fetched';
        };
        progress?.report(70, 'vendoring…');
        runs = await runAll();
      }
    }
    for (const run of runs) {
      result.findings += run.initial.size;
      result.vendored += [...run.initial.keys()].filter((k) => !run.remaining.some((r) => r.key === k)).length;
      result.applied.push(...run.pass.applied);
    }
    result.skipped = skipsOf(runs, session, why);
    buildEdit(deps, runs, result);
    deps.log(`Known Good: vendor workspace: ${result.applied.length} fix(es) in ${result.changedFiles} file(s), ${result.skipped.length} left`);
    if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'Vendoring cancelled');
    return result;
  } catch (e) {
    if (abort.signal.aborted) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'Vendoring cancelled');
    throw e;
  } finally {
    progress?.done();
  }
}
