// Dockerfile → FileModel: image references, start-time commands, remote ADDs, entrypoint scripts.
import { DockerfileParser, type Argument, type Flag, type Heredoc, type Instruction, type Property } from 'dockerfile-ast';
import type { Range as AstRange } from 'vscode-languageserver-types';
import { parseTree, type Node as JsonNode } from 'jsonc-parser';
import * as path from 'path';
import { jsonStringSource } from '../json-source';
import { LineIndex } from '../line-index';
import { emptyModel, exactSource, type CommandContext, type CommandSite, type ExtractContext, type FileModel, type ImageContext, type ShellSource } from '../model';
import { invokedScripts } from '../shell/analyze';
import type { Span } from '../types';
import { imageVariable, substitute } from './dockerfile-vars';
import { resolveScripts, type CopyInfo } from './dockerfile-scripts';

interface Stage {
  name?: string;
  /** Index of the stage this one builds on, when `FROM <stage>`. */
  parent?: number;
  instructions: Instruction[];
}

export function extractDockerfile(file: string, text: string, ctx: ExtractContext): FileModel {
  const model = emptyModel('dockerfile', file, text);
  const index = new LineIndex(text);
  const span = (r: AstRange): Span => ({ start: index.offset(r.start), end: index.offset(r.end) });
  const dockerfile = DockerfileParser.parse(text);
  const escape = dockerfile.getEscapeCharacter();

  for (const d of dockerfile.getDirectives()) {
    if (d.getName().toLowerCase() === 'syntax' && d.getValue()) {
      addImage(model, d.getValue(), span(d.getValueRange()), 'syntax-directive', new Map());
    }
  }

  const globals = new Map<string, string>();
  const stages: Stage[] = [];
  let current: Stage | undefined;
  let scope = new Map<string, string>();
  for (const ins of dockerfile.getInstructions()) {
    const keyword = ins.getKeyword().toUpperCase();
    if (keyword === 'FROM') {
      current = fromInstruction(ins, stages, globals, model, span);
      stages.push(current);
      scope = new Map(globals);
      continue;
    }
    if (keyword === 'ARG' || keyword === 'ENV') {
      for (const [k, v] of properties(ins)) {
        const value = v ?? globals.get(k);
        if (value === undefined) continue;
        if (!current) globals.set(k, value);
        else scope.set(k, substitute(value, scope).value ?? value);
      }
    }
    if (!current) continue;
    current.instructions.push(ins);
    if (keyword === 'COPY') {
      const from = flag(ins, 'from');
      if (from?.getValue() && !isStageRef(from.getValue()!, stages)) addImage(model, from.getValue()!, span(from.getValueRange()!), 'copy-from', scope, stages);
    } else if (keyword === 'RUN') {
      for (const mount of flags(ins, 'mount')) {
        const opt = mount.getOption('from');
        const value = opt?.getValue();
        if (value && opt?.getValueRange() && !isStageRef(value, stages)) addImage(model, value, span(opt.getValueRange()!), 'mount-from', scope, stages);
      }
    } else if (keyword === 'ADD') {
      remoteAdds(ins, model, span);
    }
  }

  // Start-time commands: the last CMD / ENTRYPOINT / HEALTHCHECK along the final stage's ancestry.
  const chain: Stage[] = [];
  for (let i: number | undefined = stages.length - 1; i !== undefined && i >= 0 && !chain.includes(stages[i]); i = stages[i].parent) chain.unshift(stages[i]);
  const effective = new Map<string, Instruction>();
  let shell: string[] | undefined;
  const chainInstructions: Instruction[] = [];
  for (const s of chain) chainInstructions.push(...s.instructions);
  for (const ins of chainInstructions) {
    const k = ins.getKeyword().toUpperCase();
    if (k === 'CMD' || k === 'ENTRYPOINT' || k === 'HEALTHCHECK') effective.set(k, ins);
    if (k === 'SHELL') shell = jsonArgs(argsSpan(ins.getArguments(), span), text, escape)?.map((a) => a.text);
  }
  const posixShell = !shell || !/(pwsh|powershell|cmd(\.exe)?)$/i.test(shell[0] ?? '');
  const copies: CopyInfo[] = [];
  let workdir = '/';
  for (const ins of chainInstructions) {
    const k = ins.getKeyword().toUpperCase();
    const dir = k === 'WORKDIR' ? ins.getArgumentsContent() : null;
    if (dir) workdir = path.posix.resolve(workdir, dir.trim());
    if ((k === 'COPY' || k === 'ADD' || k === 'RUN') && !flag(ins, 'from')) {
      const copy = copyInfo(ins, k, text, span, escape, workdir, file);
      if (copy) copies.push(copy);
    }
  }
  for (const [k, ins] of effective) {
    const command = commandSite(k, ins, text, span, escape, posixShell);
    if (!command) continue;
    model.commands.push(command);
    if (k === 'HEALTHCHECK') continue;
    for (const script of invokedScripts(command)) {
      resolveScripts(model, file, script, path.posix.resolve(workdir, script.path), copies, ctx, { file, span: command.span });
    }
  }
  return model;
}

/**
 * What a COPY/ADD puts where (`COPY a b /dest/`, `COPY <<EOF /start.sh`), or the script a
 * `RUN <<EOF cat > /start.sh` writes. Heredoc bodies are kept as spans of this Dockerfile.
 */
function copyInfo(ins: Instruction, keyword: string, text: string, span: (r: AstRange) => Span, escape: string, workdir: string, file: string): CopyInfo | undefined {
  const whole = span(ins.getRange());
  // A RUN writes a script only through a heredoc, which needs an argument starting with `<<`: not
  // without a `<` in its text (reading the arguments costs as much as parsing them).
  if (keyword === 'RUN' && !text.slice(whole.start, whole.end).includes('<')) return undefined;
  const all = ins.getArguments();
  const heredocs = heredocsOf(ins, all);
  const firstLine = ins.getRange().start.line;
  // Heredoc bodies follow the instruction's first line; only the first line holds its arguments.
  const args = all.filter((a) => !heredocs.length || a.getRange().start.line === firstLine).map((a) => a.getValue());
  const location = { file, span: whole };
  const body = heredocs[0]?.getContentRange();
  if (keyword === 'RUN') {
    // `RUN <<EOF cat > /start.sh` / `RUN <<EOF tee /start.sh`
    const rest = args.filter((a) => !a.startsWith('--') && !a.startsWith('<<'));
    const dest = rest[0] === 'cat' && (rest[1] === '>' || rest[1] === '>>') ? rest[2] : rest[0] === 'tee' ? rest[1] : undefined;
    if (!dest || !body) return undefined;
    return { sources: ['<<heredoc'], dest: path.posix.resolve(workdir, dest), location, heredoc: span(body) };
  }
  const json = heredocs.length ? undefined : jsonArgs(argsSpan(all, span), text, escape);
  const values = json ? json.map((j) => j.text) : args.filter((a) => !a.startsWith('--'));
  if (values.length < 2) return undefined;
  const last = values[values.length - 1];
  const dest = path.posix.resolve(workdir, last) + (last.endsWith('/') && last !== '/' ? '/' : '');
  const heredoc = body && values.length === 2 && values[0].startsWith('<<') ? span(body) : undefined;
  return { sources: values.slice(0, -1), dest, location, heredoc };
}

/**
 * The heredocs of an instruction whose arguments are `args`. dockerfile-ast throws on some
 * unterminated ones (a continuation before a lone `\r` line end): then the instruction has none we
 * can use. It finds a heredoc only at an argument that starts with `<<` (without one it returns none
 * or throws), so that is checked first: reading heredocs reads the arguments again.
 */
function heredocsOf(ins: Instruction, args: Argument[]): Heredoc[] {
  if (!args.some((a) => a.getValue().startsWith('<<'))) return [];
  try {
    return (ins as Instruction & { getHeredocs?: () => Heredoc[] }).getHeredocs?.() ?? [];
  } catch {
    return [];
  }
}

function fromInstruction(ins: Instruction, stages: Stage[], globals: Map<string, string>, model: FileModel, span: (r: AstRange) => Span): Stage {
  const args = ins.getArguments().filter((a) => !a.getValue().startsWith('--'));
  const stage: Stage = { instructions: [] };
  const image = args[0];
  if (args.length >= 3 && args[1].getValue().toLowerCase() === 'as') stage.name = args[2].getValue().toLowerCase();
  if (!image) return stage;
  const value = image.getValue();
  const resolved = substitute(value, globals).value ?? value;
  const parent = stages.findIndex((s) => s.name !== undefined && s.name === resolved.toLowerCase());
  if (parent >= 0) stage.parent = parent;
  else addImage(model, value, span(image.getRange()), 'from', globals, stages);
  return stage;
}

function isStageRef(value: string, stages: Stage[]): boolean {
  return /^\d+$/.test(value) || stages.some((s) => s.name === value.toLowerCase());
}

function addImage(model: FileModel, text: string, span: Span, context: ImageContext, values: ReadonlyMap<string, string>, stages: Stage[] = []): void {
  if (text.toLowerCase() === 'scratch') return;
  const v = imageVariable(text, values);
  if (v && v.resolved && isStageRef(v.resolved, stages)) return;
  model.images.push({ span, text, context, resolved: v ? v.resolved : text, variable: v?.variable });
}

/** Flags of an instruction that has them (COPY, ADD, RUN, FROM); others have none. */
function flags(ins: Instruction, name: string): Flag[] {
  const withFlags = ins as Instruction & { getFlags?: () => Flag[] };
  return (withFlags.getFlags?.() ?? []).filter((f) => f.getName().toLowerCase() === name);
}
function flag(ins: Instruction, name: string): Flag | undefined {
  return flags(ins, name)[0];
}

/** `ARG name[=value]` / `ENV name=value …` as name/value pairs. */
function properties(ins: Instruction): [string, string | undefined][] {
  const p = ins as Instruction & { getProperties?: () => Property[]; getProperty?: () => Property | null };
  const list = p.getProperties?.() ?? [p.getProperty?.()].filter((x): x is Property => !!x);
  return list.map((x) => [x.getName(), x.getValue() ?? undefined]);
}

function remoteAdds(ins: Instruction, model: FileModel, span: (r: AstRange) => Span): void {
  const hasChecksum = flags(ins, 'checksum').length > 0;
  for (const a of ins.getArguments()) {
    const url = a.getValue();
    const git = /^(git@|git:\/\/)|^https?:\/\/\S+\.git([#?]|$)/.test(url);
    if (!git && !/^https?:\/\//i.test(url)) continue;
    model.remoteAdds.push({ span: span(ins.getRange()), urlSpan: span(a.getRange()), url, hasChecksum, kind: git ? 'git' : 'http' });
  }
}

/**
 * The document span of an instruction's arguments (as `getArgumentsRange()`, from arguments already
 * read: dockerfile-ast recomputes them on every call).
 */
function argsSpan(args: Argument[], span: (r: AstRange) => Span): Span | undefined {
  if (args.length === 0) return undefined;
  return span({ start: args[0].getRange().start, end: args[args.length - 1].getRange().end });
}

/** The strings of an exec-form (JSON array) instruction whose arguments span `whole`, or undefined for shell form. */
function jsonArgs(whole: Span | undefined, text: string, escape: string, after?: number): ShellSource[] | undefined {
  if (!whole) return undefined;
  const start = after ?? whole.start;
  let raw = text.slice(start, whole.end);
  // Line continuations inside the array become spaces of the same length, so offsets still match.
  if (raw.includes('\n') || raw.includes('\r')) {
    const cont = escape === '`' ? /`(\r\n|\r|\n)/g : /\\[ \t]*(\r\n|\r|\n)/g;
    raw = raw.replace(cont, (m) => ' '.repeat(m.length));
  }
  if (!raw.trimStart().startsWith('[')) return undefined;
  const strings = stringArray(raw) ?? treeStrings(raw);
  if (!strings) return undefined;
  const out: ShellSource[] = [];
  for (const [offset, length] of strings) {
    const src = jsonStringSource(raw.slice(offset, offset + length), start + offset);
    if (!src) return undefined;
    out.push(src);
  }
  return out;
}

/** The string literals (offset, length) of a JSON array that holds only strings, as jsonc-parser reads it (errors tolerated). */
function treeStrings(raw: string): [number, number][] | undefined {
  const tree: JsonNode | undefined = parseTree(raw);
  if (!tree || tree.type !== 'array' || !tree.children?.every((c) => c.type === 'string')) return undefined;
  return tree.children.map((c) => [c.offset, c.length]);
}

/**
 * The string literals of `raw` when it is strictly valid JSON: an array of strings, JSON whitespace
 * only, nothing after it. Anything else (comments, trailing commas, other values, odd escapes) is
 * left to {@link treeStrings}, which agrees with this on valid input.
 */
function stringArray(raw: string): [number, number][] | undefined {
  if (!STRICT_ARRAY.test(raw)) return undefined;
  const out: [number, number][] = [];
  JSON_STRING.lastIndex = 0;
  for (let m = JSON_STRING.exec(raw); m; m = JSON_STRING.exec(raw)) out.push([m.index, m[0].length]);
  return out;
}

const STRING = String.raw`"(?:[^"\\\u0000-\u001f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"`;
const STRICT_ARRAY = new RegExp(String.raw`^[ \t\r\n]*\[[ \t\r\n]*(?:${STRING}[ \t\r\n]*(?:,[ \t\r\n]*${STRING}[ \t\r\n]*)*)?\][ \t\r\n]*$`);
const JSON_STRING = new RegExp(STRING, 'g');

/** The shell text of a shell-form instruction from `start`, with continuations and comment lines neutralised. */
function shellSource(text: string, start: number, end: number, escape: string): ShellSource {
  let raw = text.slice(start, end);
  if (escape === '`') raw = raw.replace(/`(\r\n|\r|\n)/g, (m, nl: string) => `\\${nl}`.padEnd(m.length, ' '));
  // Docker drops comment lines inside a continued instruction; blank them (same length, newline kept inside).
  raw = raw.replace(/(\r\n|\r|\n)([ \t]*#[^\r\n]*)(?=\r\n|\r|\n)/g, (m, nl: string, c: string) => nl + ' '.repeat(c.length - 1) + '\\');
  return exactSource(raw, start);
}

const CONTEXT: Record<string, CommandContext> = { CMD: 'cmd', ENTRYPOINT: 'entrypoint', HEALTHCHECK: 'healthcheck' };

function commandSite(keyword: string, ins: Instruction, text: string, span: (r: AstRange) => Span, escape: string, posixShell: boolean): CommandSite | undefined {
  const args = ins.getArguments();
  const whole = argsSpan(args, span);
  if (!whole) return undefined;
  let start = whole.start;
  if (keyword === 'HEALTHCHECK') {
    const sub = args.findIndex((a) => !a.getValue().startsWith('--'));
    if (sub < 0 || args[sub].getValue().toUpperCase() !== 'CMD') return undefined;
    start = span(args[sub].getRange()).end;
    while (start < whole.end && /\s/.test(text[start])) start++;
    if (start >= whole.end) return undefined;
  }
  const site: CommandSite = { context: CONTEXT[keyword], span: { start: span(ins.getRange()).start, end: whole.end } };
  const argv = jsonArgs(whole, text, escape, start);
  if (argv) site.argv = argv;
  else if (posixShell) site.script = shellSource(text, start, whole.end, escape);
  else return undefined;
  return site;
}
