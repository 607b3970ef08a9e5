// Turns a group of located downloads into vendoring fixes: picks the planners for the ecosystem, then
// writes the build stage, the lines before the start command, the removal and the frontend directive.
import type { FileModel, ShellSource } from '../model';
import type { Download } from '../shell/types';
import type { Span } from '../types';
import { insertionPoint, isRoot, parseLayout, uniqueStageName, userAt, workdirAt, envNamesAt, type DfLayout } from './dockerfile-layout';
import { frontendEdits } from './frontend';
import { locate, locateIn, type Level, type Located } from './shell-chain';
import { removeElements } from './shell-remove';
import { eolAt, insertLines } from './text';
import { NotFixable, notFixable, type Fix, type FixResult, type TextEditSpan } from './types';
import { cargoPlan, goPlan, rubyPlan } from './vendor-compiled';
import { fetchPlan } from './vendor-fetch';
import { nodePlan } from './vendor-node';
import { osPlan } from './vendor-os';
import { inPlacePlan, isRunner, type Planner, type Step, type VendorContext, type VendorPlan } from './vendor-plan';
import { pipPlan } from './vendor-python';

const PLANNERS: Partial<Record<Download['ecosystem'], Planner[]>> = {
  pip: [pipPlan, inPlacePlan],
  conda: [inPlacePlan],
  npm: [nodePlan, inPlacePlan],
  apt: [osPlan],
  apk: [osPlan],
  rpm: [osPlan],
  zypper: [osPlan],
  gem: [rubyPlan, inPlacePlan],
  go: [goPlan, inPlacePlan],
  cargo: [cargoPlan, inPlacePlan],
  composer: [inPlacePlan],
  dotnet: [inPlacePlan],
  http: [fetchPlan],
};

const NOT_VENDORED: Partial<Record<Download['ecosystem'], string>> = {
  git: 'a `git clone` at start has no build-time equivalent Known Good can write safely: use `ADD --checksum=<commit> <repo>.git#<ref> <dir>` (Dockerfile 1.16+)',
  s3: '`aws s3` needs credentials at build time; copy the object into the build context (or use a secret mount) instead',
};

/** The Dockerfile a vendoring fix edits. */
export interface TargetDockerfile {
  file: string;
  text: string;
  model: FileModel;
}

/** Where the downloads are: a start command or heredoc script of the Dockerfile, or a script file. */
export interface DownloadSource {
  file: string;
  /** The text the removal edits apply to (the Dockerfile's, or the script's). */
  text: string;
  site: { argv?: ShellSource[]; script?: ShellSource };
}

/** Locate the finding's download and the others of its ecosystem in the same command. */
export function locateGroup(src: DownloadSource, downloads: Download[], span: Span, kind: Download['kind']): Located[] {
  const primary = downloads.find((d) => d.kind === kind && d.span.start === span.start && d.span.end === span.end);
  if (!primary) notFixable('the download was not found in the command any more');
  const reason = NOT_VENDORED[primary.ecosystem];
  if (reason) notFixable(reason);
  const first = locate(src.site, primary);
  const out: Located[] = [first];
  // Each fetch is its own fix (its own URL and checksum); installs of one ecosystem move together.
  if (primary.ecosystem === 'http') return out;
  for (const d of downloads) {
    if (d === primary || d.kind !== kind || d.ecosystem !== primary.ecosystem) continue;
    try {
      out.push(locateIn(rootOf(first.level), d));
    } catch (e) {
      if (!(e instanceof NotFixable)) throw e;
    }
  }
  return out.sort((a, b) => a.download.span.start - b.download.span.start);
}

function rootOf(level: Level): Level {
  let l = level;
  while (l.parent) l = l.parent.level;
  return l;
}

/** The vendoring fixes for a group of downloads (best first), or NotFixable with the first planner's reason. */
export function vendorFixes(target: TargetDockerfile, src: DownloadSource, group: Located[], ruleId: string, input: { files: ReadonlyMap<string, string>; checksums?: ReadonlyMap<string, string>; digests?: ReadonlyMap<string, string> }): FixResult {
  const layout = parseLayout(target.text);
  if (!layout.stages.length) notFixable('the Dockerfile has no FROM');
  const steps: Step[] = group.map((g) => ({ ...g, argv: g.command.resolved.argv }));
  if (steps.some((s) => isRunner(s.download, s.argv))) notFixable(`\`${steps[0].download.command}\` downloads and runs a package in one step: install it at build time and call its program directly`);
  const ctx = context(layout, target, input);
  const planners = PLANNERS[steps[0].download.ecosystem] ?? [];
  const fixes: Fix[] = [];
  let reason: string | undefined;
  for (const planner of planners) {
    try {
      fixes.push(toFix(planner(steps, ctx), layout, ctx, target, src, steps, ruleId, input.digests));
    } catch (e) {
      if (!(e instanceof NotFixable)) throw e;
      reason ??= e.message;
    }
  }
  if (!fixes.length) notFixable(reason ?? `${steps[0].download.ecosystem} downloads are not vendored automatically`);
  fixes[0].preferred = true;
  return { fixes };
}

function context(layout: DfLayout, target: TargetDockerfile, input: { files: ReadonlyMap<string, string>; checksums?: ReadonlyMap<string, string> }): VendorContext {
  const stage = layout.stages[layout.chain[layout.chain.length - 1]];
  const start = stage.instructions.find((i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT' || i.keyword === 'HEALTHCHECK');
  const insertAt = start ? insertionPoint(layout, start) : layout.text.length;
  let root = stage;
  while (root.parent !== undefined) root = layout.stages[root.parent];
  const site = target.model.images.find((i) => i.context === 'from' && root.from.span.start <= i.span.start && i.span.end <= root.from.span.end);
  return {
    layout,
    file: target.file,
    files: input.files,
    insertAt,
    stage,
    baseResolved: site ? site.resolved : root.image,
    runtimeWorkdir: workdirAt(layout, layout.text.length + 1),
    workdir: workdirAt(layout, insertAt),
    env: envNamesAt(layout, insertAt),
    checksums: input.checksums,
  };
}

function toFix(plan: VendorPlan, layout: DfLayout, ctx: VendorContext, target: TargetDockerfile, src: DownloadSource, steps: Step[], ruleId: string, digests?: ReadonlyMap<string, string>): Fix {
  const eol = eolAt(layout.text, ctx.insertAt);
  const dockerfile: TextEditSpan[] = [];
  const needs = [...(plan.needs ?? [])];
  if (plan.frontend) {
    const f = frontendEdits(layout, plan.frontend, digests);
    dockerfile.push(...f.edits);
    needs.push(...f.needs);
  }
  const name = plan.builder ? uniqueStageName(layout, plan.builder.name) : '';
  if (plan.builder) {
    const at = insertionPoint(layout, ctx.stage.from);
    dockerfile.push(insertLines(at, [`FROM ${ctx.stage.baseText} AS ${name}`, ...plan.builder.lines, ''], eolAt(layout.text, at)));
  }
  if (plan.final.length) {
    const user = userAt(layout, ctx.insertAt);
    let lines = plan.final.map((l) => l.replace('{stage}', name));
    if (plan.asRoot && !isRoot(user)) lines = ['USER root', ...lines, `USER ${user}`];
    const edit = insertLines(ctx.insertAt, lines, eolAt(layout.text, ctx.insertAt));
    if (ctx.insertAt === layout.text.length && layout.text.length && !/[\r\n]$/.test(layout.text)) edit.newText = eol + edit.newText;
    dockerfile.push(edit);
  }
  const byLevel = new Map<Level, Set<number>>();
  for (const r of [...steps, ...(plan.alsoRemove ?? [])]) byLevel.set(r.level, (byLevel.get(r.level) ?? new Set()).add(r.index));
  const removal = [...byLevel].flatMap(([level, idx]) => removeElements(level, idx, src.text));
  const base = { id: plan.id, title: plan.title, ruleId, needsConfirmation: true };
  if (needs.length) return { ...base, edits: [], needs };
  const edits = src.file === target.file ? [{ file: target.file, edits: merge([...dockerfile, ...removal]) }] : [{ file: src.file, edits: merge(removal) }, { file: target.file, edits: merge(dockerfile) }];
  return { ...base, edits: edits.filter((e) => e.edits.length) };
}

/** Sort edits; insertions at the same offset become one edit, in the order they were made. */
function merge(edits: TextEditSpan[]): TextEditSpan[] {
  const out: TextEditSpan[] = [];
  for (const e of edits) {
    const same = out.find((o) => o.span.start === e.span.start && o.span.end === o.span.start && e.span.end === e.span.start);
    if (same) same.newText += e.newText;
    else out.push({ ...e, span: { ...e.span } });
  }
  out.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  for (let i = 1; i < out.length; i++) if (out[i].span.start < out[i - 1].span.end) notFixable('the edits of this fix would overlap');
  return out;
}

