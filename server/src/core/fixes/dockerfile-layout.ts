// A Dockerfile's layout for rewriting it: directives, stages, instructions with offsets, and what is in effect where.
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { parseTree } from 'jsonc-parser';
import * as path from 'path';
import type { CopyInfo } from '../extract/dockerfile-scripts';
import { LineIndex } from '../line-index';
import type { Span } from '../types';
import { eolAt, lineStart } from './text';

export interface DfInstruction {
  keyword: string;
  /** The whole instruction (continuation lines and heredoc bodies included). */
  span: Span;
  ins: Instruction;
}

export interface DfStage {
  index: number;
  /** Lower-cased `AS` name. */
  name?: string;
  from: DfInstruction;
  /** What follows `FROM` up to ` AS name`, as written (flags and the image reference). */
  baseText: string;
  /** The image (or stage) reference as written. */
  image?: string;
  /** The stage this one builds on (`FROM <stage>`). */
  parent?: number;
  instructions: DfInstruction[];
}

export interface DfLayout {
  text: string;
  escape: string;
  eol: string;
  directives: { name: string; value: string; line: Span; valueSpan: Span }[];
  /** Offset of the first line after the parser directives. */
  directivesEnd: number;
  stages: DfStage[];
  /** Stage indices from the root ancestor to the final stage. */
  chain: number[];
  /** Offsets of the starts of comment lines (outside instructions). */
  commentLines: Set<number>;
}

/** Parse `text` into its layout (never throws; an empty file has no stages). */
export function parseLayout(text: string): DfLayout {
  const df = DockerfileParser.parse(text);
  const index = new LineIndex(text);
  const span = (r: { start: { line: number; character: number }; end: { line: number; character: number } }): Span => ({
    start: index.offset(r.start),
    end: index.offset(r.end),
  });
  const directives = df.getDirectives().map((d) => ({ name: d.getName().toLowerCase(), value: d.getValue(), line: span(d.getRange()), valueSpan: span(d.getValueRange()) }));
  const last = directives[directives.length - 1];
  const directivesEnd = last ? index.lineStart(index.position(last.line.end).line + 1) : 0;
  const stages: DfStage[] = [];
  for (const ins of df.getInstructions()) {
    const item: DfInstruction = { keyword: ins.getKeyword().toUpperCase(), span: span(ins.getRange()), ins };
    if (item.keyword !== 'FROM') {
      stages[stages.length - 1]?.instructions.push(item);
      continue;
    }
    const args = ins.getArguments();
    const asAt = args.findIndex((a, i) => i > 0 && a.getValue().toLowerCase() === 'as');
    const argsRange = ins.getArgumentsRange();
    const argsStart = argsRange ? span(argsRange).start : item.span.end;
    const baseEnd = asAt > 0 ? span(args[asAt - 1].getRange()).end : argsRange ? span(argsRange).end : item.span.end;
    const image = args.find((a) => !a.getValue().startsWith('--'))?.getValue();
    const stage: DfStage = { index: stages.length, from: item, baseText: text.slice(argsStart, baseEnd), image, instructions: [] };
    if (asAt > 0 && args[asAt + 1]) stage.name = args[asAt + 1].getValue().toLowerCase();
    const parent = image ? stages.findIndex((s) => s.name !== undefined && s.name === image.toLowerCase()) : -1;
    if (parent >= 0) stage.parent = parent;
    stages.push(stage);
  }
  const chain: number[] = [];
  for (let i: number | undefined = stages.length - 1; i !== undefined && i >= 0 && !chain.includes(i); i = stages[i].parent) chain.unshift(i);
  const commentLines = new Set(df.getComments().map((c) => lineStart(text, span(c.getRange()).start)));
  return { text, escape: df.getEscapeCharacter(), eol: eolAt(text), directives, directivesEnd, stages, chain, commentLines };
}

/** Instructions of the final stage and its ancestors, in order. */
export function chainInstructions(layout: DfLayout): DfInstruction[] {
  return layout.chain.flatMap((i) => [layout.stages[i].from, ...layout.stages[i].instructions]);
}

/** The stage whose instructions hold `offset`. */
export function stageAt(layout: DfLayout, offset: number): DfStage | undefined {
  for (let i = layout.stages.length - 1; i >= 0; i--) if (layout.stages[i].from.span.start <= offset) return layout.stages[i];
  return undefined;
}

/**
 * Where to insert lines before instruction `ins` so that comment lines directly above it (its
 * description, an ignore pragma) stay attached to it. Never above the parser directives.
 */
export function insertionPoint(layout: DfLayout, ins: DfInstruction): number {
  let at = lineStart(layout.text, ins.span.start);
  for (;;) {
    if (at <= layout.directivesEnd) return Math.max(at, layout.directivesEnd);
    const prev = lineStart(layout.text, at - 1);
    if (!layout.commentLines.has(prev)) return at;
    at = prev;
  }
}

/** Chain instructions that start before `offset`. */
function before(layout: DfLayout, offset: number): DfInstruction[] {
  return chainInstructions(layout).filter((i) => i.span.start < offset);
}

/** The WORKDIR in effect at `offset` (`/` when none; undefined when it uses a variable). */
export function workdirAt(layout: DfLayout, offset: number): string | undefined {
  let dir: string | undefined = '/';
  for (const i of before(layout, offset)) {
    if (i.keyword !== 'WORKDIR') continue;
    const arg = i.ins.getArgumentsContent()?.trim();
    if (!arg) continue;
    dir = arg.includes('$') || dir === undefined ? undefined : path.posix.resolve(dir, arg);
  }
  return dir;
}

/** The USER in effect at `offset` as written (undefined: the base image's user). */
export function userAt(layout: DfLayout, offset: number): string | undefined {
  let user: string | undefined;
  for (const i of before(layout, offset)) if (i.keyword === 'USER') user = i.ins.getArgumentsContent()?.trim() || user;
  return user;
}

/** Whether `user` (as written in USER) is root. */
export function isRoot(user: string | undefined): boolean {
  return user === undefined || /^(root|0)(:(root|0))?$/.test(user);
}

/** Names set by ENV along the chain before `offset`. */
export function envNamesAt(layout: DfLayout, offset: number): Set<string> {
  const out = new Set<string>();
  for (const i of before(layout, offset)) {
    if (i.keyword !== 'ENV') continue;
    const props = (i.ins as Instruction & { getProperties?: () => { getName(): string }[] }).getProperties?.() ?? [];
    for (const p of props) out.add(p.getName());
  }
  return out;
}

/** A variable's value at some point of the Dockerfile, and whether a build argument can override it. */
export interface VariableValue {
  value: string;
  /** Set by ARG (a `--build-arg` may change it), not by ENV. */
  fromArg: boolean;
}

/**
 * ARG defaults and ENV values in effect at `offset` (global ARGs, then the stage holding `offset` and
 * the stages it builds on), with earlier variables substituted into later values.
 */
export function variablesAt(layout: DfLayout, offset: number, globals: { name: string; value?: string }[]): Map<string, VariableValue> {
  const global = new Map<string, string>();
  for (const g of globals) if (g.value !== undefined) global.set(g.name, g.value);
  const stage = stageAt(layout, offset);
  const stages: DfStage[] = [];
  for (let s = stage; s && !stages.includes(s); s = s.parent === undefined ? undefined : layout.stages[s.parent]) stages.unshift(s);
  const out = new Map<string, VariableValue>();
  const expand = (v: string) => v.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (m, n: string) => out.get(n)?.value ?? m);
  for (const i of stages.flatMap((s) => s.instructions)) {
    if (i.span.start >= offset || (i.keyword !== 'ARG' && i.keyword !== 'ENV')) continue;
    const props = (i.ins as Instruction & { getProperties?: () => { getName(): string; getValue(): string | null }[] }).getProperties?.() ?? [];
    for (const p of props) {
      const raw = p.getValue() ?? (i.keyword === 'ARG' ? global.get(p.getName()) : undefined);
      if (raw === undefined || raw === null) continue;
      out.set(p.getName(), { value: expand(raw), fromArg: i.keyword === 'ARG' });
    }
  }
  return out;
}

/** Global ARGs (before the first FROM) with their defaults. */
export function globalArgs(text: string): { name: string; value?: string }[] {
  const out: { name: string; value?: string }[] = [];
  for (const i of DockerfileParser.parse(text).getInstructions()) {
    const k = i.getKeyword().toUpperCase();
    if (k === 'FROM') break;
    if (k !== 'ARG') continue;
    const props = (i as Instruction & { getProperties?: () => { getName(): string; getValue(): string | null }[] }).getProperties?.() ?? [];
    for (const p of props) out.push({ name: p.getName(), value: p.getValue() ?? undefined });
  }
  return out;
}

/** COPY/ADD from the build context along the chain before `offset`, with WORKDIR applied. */
export function copiesAt(layout: DfLayout, offset: number): CopyInfo[] {
  const out: CopyInfo[] = [];
  let dir = '/';
  for (const i of before(layout, offset)) {
    if (i.keyword === 'WORKDIR') {
      const arg = i.ins.getArgumentsContent()?.trim();
      if (arg && !arg.includes('$')) dir = path.posix.resolve(dir, arg);
    }
    if (i.keyword !== 'COPY' && i.keyword !== 'ADD') continue;
    const args = i.ins.getArguments().map((a) => a.getValue());
    if (args.some((a) => /^--from=/i.test(a) || a.startsWith('<<'))) continue;
    const raw = i.ins.getArgumentsContent() ?? '';
    const jsonAt = raw.indexOf('[');
    const tree = jsonAt >= 0 && raw.slice(0, jsonAt).split(/\s+/).every((w) => w === '' || w.startsWith('--')) ? parseTree(raw.slice(jsonAt)) : undefined;
    const values = tree?.type === 'array' ? (tree.children ?? []).map((c) => String(c.value)) : args.filter((a) => !a.startsWith('--'));
    if (values.length < 2) continue;
    const lastArg = values[values.length - 1];
    const dest = path.posix.resolve(dir, lastArg) + (lastArg.endsWith('/') && lastArg !== '/' ? '/' : '');
    out.push({ sources: values.slice(0, -1), dest, location: { file: '', span: i.span } });
  }
  return out;
}

/** Stage names in use (lower case), for picking a new one. */
export function uniqueStageName(layout: DfLayout, wanted: string): string {
  const taken = new Set(layout.stages.map((s) => s.name).filter((n): n is string => !!n));
  if (!taken.has(wanted)) return wanted;
  for (let n = 2; ; n++) if (!taken.has(`${wanted}-${n}`)) return `${wanted}-${n}`;
}
