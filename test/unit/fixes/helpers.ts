// Shared by the fix tests: apply a fix to a set of files, and check the safety invariants on the result.
import * as path from 'path';
import { DockerfileParser } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import { parseTree, type ParseError } from 'jsonc-parser';
import { parseAllDocuments } from 'yaml';
import { analyze, stripBom } from '../../../server/src/core/analyze';
import { CONFIG_FILE_NAMES, parseConfig } from '../../../server/src/core/config';
import { detectKind } from '../../../server/src/core/detect';
import { fixFinding, type Fix, type FixInput, type FixResult } from '../../../server/src/core/fixes';
import { applyEdits } from '../../../server/src/core/fixes/pin';
import { RULE_IDS } from '../../../server/src/core/rules';
import { bashParser, terraformParser } from '../../../server/src/core/treesitter';
import type { Finding, Settings } from '../../../server/src/core/types';
import { combineFacts, factsOf } from '../../../server/src/core/workspace';

export const REPO = path.resolve(__dirname, '..', '..', '..', '..');

/** A set of files (posix paths) and the one analysed. */
export interface Workspace {
  file: string;
  files: Map<string, string>;
  root?: string;
  checksums?: Map<string, string>;
  digests?: Map<string, string>;
}

function settingsOf(ws: Workspace): Settings {
  const root = ws.root ?? '';
  const name = CONFIG_FILE_NAMES.map((n) => (root ? path.posix.join(root, n) : n)).find((n) => ws.files.has(n));
  if (!name) return { rules: {}, ignore: [], root };
  const { config } = parseConfig(stripBom(ws.files.get(name)!), RULE_IDS);
  return { rules: config.rules, ignore: config.ignore, root };
}

/** Analyse `ws.file` with every other file available (scripts, lock files, the config). */
export function analyzeWs(ws: Workspace) {
  const others = [...ws.files].filter(([f]) => f !== ws.file).map(([f, t]) => analyze({ file: f, text: t, files: ws.files }).model);
  const workspace = combineFacts(others.filter((m) => m !== undefined).map(factsOf));
  return analyze({ file: ws.file, text: ws.files.get(ws.file)!, files: ws.files, settings: settingsOf(ws), workspace });
}

export function fixInput(ws: Workspace, model: NonNullable<ReturnType<typeof analyzeWs>['model']>): FixInput {
  return { file: ws.file, text: ws.files.get(ws.file)!, model, files: ws.files, checksums: ws.checksums, digests: ws.digests, root: ws.root };
}

/** Fixes of one finding in `ws`. */
export function fixesOf(ws: Workspace, finding: Finding): FixResult {
  const r = analyzeWs(ws);
  return fixFinding(finding, fixInput(ws, r.model!));
}

/** The files after applying `fix` (a byte-order mark is kept where the file had one). */
export function applyFix(files: Map<string, string>, fix: Fix): Map<string, string> {
  const out = new Map(files);
  for (const fe of fix.edits) {
    const original = fe.create ? '' : (files.get(fe.file) ?? '');
    if (!fe.create && !files.has(fe.file)) throw new Error(`fix edits ${fe.file}, which does not exist`);
    if (fe.create && files.has(fe.file)) throw new Error(`fix creates ${fe.file}, which exists`);
    const bom = original.charCodeAt(0) === 0xfeff ? '\ufeff' : '';
    out.set(fe.file, bom + applyEdits(stripBom(original), fe.edits));
  }
  return out;
}

/** Text a finding covers, whitespace collapsed: identifies it across edits that move it. */
export function findingKey(f: Finding, files: Map<string, string>): string {
  const text = stripBom(files.get(f.location.file) ?? '');
  return `${f.ruleId}|${f.location.file}|${text.slice(f.location.span.start, f.location.span.end).replace(/\s+/g, ' ').trim()}`;
}

function parseProblems(file: string, before: string, after: string): string[] {
  const kind = detectKind(file, after);
  const base = path.posix.basename(file);
  if (CONFIG_FILE_NAMES.includes(base)) {
    const p = parseConfig(after, RULE_IDS).problems;
    return p.length ? [`${file}: config problems ${p.map((x) => x.message).join('; ')}`] : [];
  }
  if (kind === 'dockerfile') {
    const errors = (t: string) => {
      const out = new Set(validate(t).filter((d) => d.severity === 1).map((d) => d.message));
      // Exec-form instructions must hold a JSON array of strings.
      for (const ins of DockerfileParser.parse(t).getInstructions()) {
        const args = ins.getRawArgumentsContent()?.replace(/\\\r?\n/g, ' ').trim() ?? '';
        if (!/^(CMD|ENTRYPOINT|RUN|SHELL)$/i.test(ins.getKeyword()) || !args.startsWith('[')) continue;
        const errs: ParseError[] = [];
        const tree = parseTree(args, errs);
        if (errs.length || tree?.type !== 'array' || !tree.children?.every((c) => c.type === 'string')) out.add(`broken exec form: ${args}`);
      }
      return out;
    };
    const was = errors(before);
    const now = [...errors(after)].filter((m) => !was.has(m));
    return now.length ? [`${file}: new Dockerfile errors: ${now.join('; ')}`] : [];
  }
  if (kind === 'ecs-json' || ((kind === 'cloudformation' || kind === undefined) && /^\s*[{[]/.test(after))) {
    const errs: ParseError[] = [];
    parseTree(after, errs, { allowTrailingComma: false, disallowComments: true });
    return errs.length ? [`${file}: JSON errors`] : [];
  }
  if (kind === 'cloudformation' || kind === 'compose' || /\.ya?ml$/.test(file)) {
    const docs = parseAllDocuments(after);
    return Array.isArray(docs) && docs.some((d) => d.errors.length) ? [`${file}: YAML errors`] : [];
  }
  const tree = (parse: () => { parse(t: string): { rootNode: { hasError: boolean }; delete(): void } | null }, t: string) => {
    const x = parse().parse(t);
    const e = !!x?.rootNode.hasError;
    x?.delete();
    return e;
  };
  if (kind === 'terraform') return tree(terraformParser, after) && !tree(terraformParser, before) ? [`${file}: HCL syntax errors`] : [];
  return tree(bashParser, after) && !tree(bashParser, before) ? [`${file}: shell syntax errors`] : [];
}

/** Lines of `before` that no edit touches must be in `after`, byte for byte (line ends included). */
function untouchedProblems(file: string, before: string, after: string, edits: { span: { start: number; end: number }; newText: string }[]): string[] {
  const out: string[] = [];
  const re = /[^\r\n]*(\r\n|\r|\n|$)/g;
  for (let m = re.exec(before); m && m[0].length; m = re.exec(before)) {
    const s = m.index;
    const e = s + m[0].length;
    const touched = edits.some((x) => (x.span.start < e && x.span.end > s) || (x.span.start > s && x.span.start < e));
    if (touched) continue;
    const shift = edits.filter((x) => x.span.end <= s).reduce((n, x) => n + x.newText.length - (x.span.end - x.span.start), 0);
    if (after.slice(s + shift, e + shift) !== m[0]) out.push(`${file}: untouched line changed: ${JSON.stringify(m[0])}`);
  }
  return out;
}

/** Every invariant a fix must keep; returns the broken ones (empty: all hold). */
export function invariantProblems(ws: Workspace, finding: Finding, fix: Fix): string[] {
  const problems: string[] = [];
  if (fix.needs?.length) return fix.edits.length ? ['a fix with needs carries edits'] : [];
  const after = applyFix(ws.files, fix);
  for (const fe of fix.edits) {
    const before = stripBom(fe.create ? '' : ws.files.get(fe.file)!);
    const now = stripBom(after.get(fe.file)!);
    problems.push(...parseProblems(fe.file, before, now));
    if (!fe.create) problems.push(...untouchedProblems(fe.file, before, now, fe.edits));
    if (/\r\n/.test(before) && !/(^|[^\r])\n/.test(before) && /(^|[^\r])\n/.test(now)) problems.push(`${fe.file}: CRLF file got bare LF line ends`);
    if (detectKind(fe.file, before) === 'dockerfile') {
      const esc = (t: string) => DockerfileParser.parse(t).getEscapeCharacter();
      if (esc(before) !== esc(now)) problems.push(`${fe.file}: escape directive changed`);
    }
  }
  const was = analyzeWs(ws).findings;
  const now = analyzeWs({ ...ws, files: after }).findings;
  const key = findingKey(finding, ws.files);
  const count = (list: Finding[], files: Map<string, string>) => list.filter((f) => findingKey(f, files) === key).length;
  if (count(now, after) >= count(was, ws.files)) problems.push(`the finding is still reported: ${key}`);
  const known = new Set(was.map((f) => findingKey(f, ws.files)));
  for (const f of now) if (!known.has(findingKey(f, after))) problems.push(`new finding: ${findingKey(f, after)}`);
  problems.push(...otherFileFindings(ws, fix, after, was));
  return problems;
}

const IMAGE_RULES = new Set(['latest-tag', 'missing-digest', 'variable-image']);

/**
 * The other files a fix edits or creates (the Dockerfile a task definition's install moves into) gain no
 * finding; a created file may only repeat the image findings the analysed file has for the same reference.
 */
function otherFileFindings(ws: Workspace, fix: Fix, after: Map<string, string>, was: Finding[]): string[] {
  const out: string[] = [];
  const text = (f: Finding, files: Map<string, string>) => stripBom(files.get(f.location.file) ?? '').slice(f.location.span.start, f.location.span.end);
  const images = new Set(was.filter((f) => IMAGE_RULES.has(f.ruleId)).map((f) => `${f.ruleId}|${text(f, ws.files)}`));
  for (const fe of fix.edits) {
    if (fe.file === ws.file || !detectKind(fe.file, after.get(fe.file)!)) continue;
    const before = fe.create ? [] : analyzeWs({ ...ws, file: fe.file }).findings;
    const keys = new Set(before.map((f) => findingKey(f, ws.files)));
    for (const f of analyzeWs({ ...ws, file: fe.file, files: after }).findings) {
      if (keys.has(findingKey(f, after))) continue;
      if (fe.create && IMAGE_RULES.has(f.ruleId) && images.has(`${f.ruleId}|${text(f, after)}`)) continue;
      out.push(`new finding in ${fe.file}: ${findingKey(f, after)}`);
    }
  }
  return out;
}

/** Fill every need with a fake value (`sha256:` + 64 hex derived from the key) and compute the fixes again. */
export function withFakeNeeds(ws: Workspace, finding: Finding, fix: Fix): { ws: Workspace; fix: Fix | undefined } {
  if (!fix.needs?.length) return { ws, fix };
  const checksums = new Map(ws.checksums ?? []);
  const digests = new Map(ws.digests ?? []);
  for (const n of fix.needs) {
    if (n.kind === 'download-sha256') checksums.set(n.url, fakeHash(n.url));
    else digests.set(n.reference, fakeHash(n.reference));
  }
  const filled = { ...ws, checksums, digests };
  return { ws: filled, fix: fixesOf(filled, finding).fixes.find((f) => f.id === fix.id) };
}

export function fakeHash(key: string): string {
  let h = 0x811c9dc5;
  let out = '';
  for (let round = 0; out.length < 64; round++) {
    for (const c of `${key}#${round}`) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return `sha256:${out.slice(0, 64)}`;
}
