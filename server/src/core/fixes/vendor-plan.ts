// What a vendoring transform produces (a build stage, lines before the start command) and the checks
// every ecosystem shares; also the generic plan: the same command as a `RUN` before the start command.
import * as path from 'path';
import type { Download } from '../shell/types';
import { basename, type Word } from '../shell/words';
import { copiesAt, type DfLayout, type DfStage } from './dockerfile-layout';
import { cwdOf, elementText, type ChainCommand, type Level, type Located } from './shell-chain';
import { shellQuote } from './text';
import { notFixable, type FixNeed } from './types';

/** Everything a planner may read about where the fix goes. */
export interface VendorContext {
  layout: DfLayout;
  /** The Dockerfile's path. */
  file: string;
  files: ReadonlyMap<string, string>;
  /** Where lines before the start command go. */
  insertAt: number;
  /** The stage that gets those lines (the final stage). */
  stage: DfStage;
  /** The base image of the final stage with ARG defaults applied, when known. */
  baseResolved?: string;
  /** WORKDIR in effect at the start command (`/` by default, undefined when it uses a variable). */
  runtimeWorkdir?: string;
  /** WORKDIR in effect at `insertAt`. */
  workdir?: string;
  /** ENV names in effect at `insertAt` (usable by a `RUN` there). */
  env: Set<string>;
  checksums?: ReadonlyMap<string, string>;
}

/** One download of the group being vendored, with its command. */
export interface Step extends Located {
  /** The program and its arguments, wrappers removed. */
  argv: Word[];
  command: ChainCommand;
}

export interface VendorPlan {
  id: 'vendor-build-stage' | 'vendor-run' | 'vendor-add';
  title: string;
  /** A build stage inserted before the final stage: lines after its `FROM … AS <name>`. */
  builder?: { name: string; lines: string[] };
  /** Lines inserted before the start command; `{stage}` stands for the build stage's name. */
  final: string[];
  /** The lines must run as root (OS packages): wrapped in `USER root` … `USER <user>` when needed. */
  asRoot: boolean;
  /** More statements to remove with the downloads (the `chmod` of a fetched file). */
  alsoRemove?: { level: Level; index: number }[];
  needs?: FixNeed[];
  /** The plan writes `ADD --checksum` for an http source: needs Dockerfile frontend 1.6+. */
  frontend?: 'http';
}

export type Planner = (steps: Step[], ctx: VendorContext) => VendorPlan;

const ALWAYS_SET = new Set(['HOME', 'PATH', 'PWD', 'HOSTNAME']);

/** Refuse words that expand variables a build-time `RUN` would not see as the start command did. */
export function requireStatic(words: readonly { value: string; dynamic: boolean }[], ctx: VendorContext): void {
  for (const w of words) {
    if (!w.dynamic) continue;
    if (/\$\(|`/.test(w.value)) notFixable(`\`${w.value}\` runs a command substitution when the container starts`);
    for (const m of w.value.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)) {
      if (!ctx.env.has(m[1]) && !ALWAYS_SET.has(m[1])) notFixable(`the install depends on \`$${m[1]}\`, which is only known when the container starts`);
    }
  }
}

/** The runtime directory of a step (WORKDIR plus `cd` steps before it). */
export function stepCwd(step: Step, ctx: VendorContext): string {
  const cwd = cwdOf(step, ctx.runtimeWorkdir);
  if (cwd === undefined) notFixable('the directory the command runs in is not known from the Dockerfile');
  return cwd;
}

/** `FOO=1` prefixes of a step, checked to be static. */
export function assignments(step: Step, ctx: VendorContext): string[] {
  requireStatic(step.command.assignments.map((a) => ({ value: a.text, dynamic: a.dynamic })), ctx);
  return step.command.assignments.map((a) => a.text);
}

/** A word as shell text: as written when it expands something, else its value quoted where needed. */
export function wordText(w: Word): string {
  return w.dynamic ? w.source.text.slice(w.start, w.end) : shellQuote(w.value);
}

/** Words as shell text. */
export function words(ws: readonly Word[]): string {
  return ws.map(wordText).join(' ');
}

/** Program name of a step. */
export function program(step: Step): string {
  return basename(step.argv[0]?.value ?? '');
}

/** The build-context path the final stage copies to `imagePath`, or NotFixable. */
export function contextPath(ctx: VendorContext, imagePath: string, what: string): string {
  const copies = copiesAt(ctx.layout, ctx.insertAt);
  for (let i = copies.length - 1; i >= 0; i--) {
    const c = copies[i];
    const rel = sourceIn(c.sources, c.dest, imagePath);
    if (rel !== undefined) return rel;
  }
  notFixable(`${what} (${imagePath}) is not copied into the image from the build context, so a build stage cannot copy it first`);
}

function sourceIn(sources: string[], destRaw: string, target: string): string | undefined {
  const destIsDir = destRaw.endsWith('/') || sources.length > 1;
  const dest = destRaw.replace(/\/+$/, '') || '/';
  for (const src of sources) {
    if (/^(https?|git):\/\//.test(src) || /[*?[]/.test(src)) continue;
    const clean = src.replace(/\/+$/, '').replace(/^\.\//, '') || '.';
    if (!destIsDir && target === dest) return clean;
    if (target === path.posix.join(dest, path.posix.basename(clean))) return clean;
    if (target.startsWith(dest === '/' ? '/' : `${dest}/`) && (clean === '.' || !path.posix.extname(clean))) {
      return path.posix.join(clean, target.slice(dest === '/' ? 1 : dest.length + 1));
    }
  }
  return undefined;
}

/** The text of a build-context file, when the workspace has it (the context is the Dockerfile's folder or one above). */
export function contextFile(ctx: VendorContext, rel: string): { found: boolean; text?: string; known: boolean } {
  let dir = path.posix.dirname(ctx.file);
  let knownDir = false;
  for (let i = 0; i < 5; i++) {
    const p = path.posix.normalize(path.posix.join(dir, rel));
    if (ctx.files.has(p)) return { found: true, text: ctx.files.get(p), known: true };
    if ([...ctx.files.keys()].some((k) => path.posix.dirname(k) === path.posix.dirname(p))) knownDir = true;
    const up = path.posix.dirname(dir);
    if (up === dir || dir === '.' || dir === '') break;
    dir = up;
  }
  return { found: false, known: knownDir };
}

/** Programs that download and run in one step: nothing to install ahead. */
export function isRunner(d: Download, argv: readonly Word[]): boolean {
  const name = basename(argv[0]?.value ?? d.tool);
  const sub = argv.slice(1).find((w) => !w.value.startsWith('-'))?.value;
  if (['npx', 'bunx', 'pnpx', 'uvx'].includes(name)) return true;
  if ((name === 'npm' || name === 'bun') && (sub === 'exec' || sub === 'x')) return true;
  if ((name === 'yarn' || name === 'pnpm') && sub === 'dlx') return true;
  if (name === 'go' && sub === 'run') return true;
  if (d.tool === 'pipx' && argv.some((w) => w.value === 'run')) return true;
  if (d.tool === 'uv' && argv.some((w) => w.value === 'run')) return true;
  return false;
}

/** The generic plan: repeat the statements as they are in one `RUN` before the start command. */
export const inPlacePlan: Planner = (steps, ctx) => {
  const cwd = stepCwd(steps[0], ctx);
  if (steps.some((s) => stepCwd(s, ctx) !== cwd)) notFixable('the installs run in different directories');
  const parts: string[] = [];
  for (const s of steps) {
    requireStatic(s.command.words, ctx);
    assignments(s, ctx);
    const text = elementText(s.level, s.index).replace(/^exec\s+/, '').trim();
    if (/[\r\n]/.test(text)) notFixable('the install spans several lines (a heredoc or a multi-line string)');
    parts.push(text);
  }
  const cd = cwd !== ctx.workdir ? `cd ${shellQuote(cwd)} && ` : '';
  const os = ['apt', 'apk', 'rpm', 'zypper'].includes(steps[0].download.ecosystem);
  return {
    id: 'vendor-run',
    title: `Run \`${steps.map((s) => s.download.command).join(' && ')}\` at build time (a RUN before the start command)`,
    final: [`RUN ${cd}${parts.join(' && ')}`],
    asRoot: os,
  };
};
