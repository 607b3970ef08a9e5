// Shared by the extractor tests: readable views of a FileModel's sites and the real-file corpus.
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { mapSpan, type FileModel, type ShellSource } from '../../../server/src/core/model';
import type { Span } from '../../../server/src/core/types';

/** The repository root (tests run from out/test/unit/extract) and the shared corpus beside it. */
export const REPO_ROOT = path.resolve(__dirname, '../../../..');
export const CORPUS = path.resolve(REPO_ROOT, '../shared/corpus');

export interface CorpusEntry {
  id: string;
  file: string;
  kind: string;
  expect: { category: string; line: number; text: string; note: string }[];
}

export function corpusEntries(kind: string): CorpusEntry[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(CORPUS, 'manifest.json'), 'utf8')) as CorpusEntry[];
  return manifest.filter((e) => e.kind === kind);
}

export function corpusText(entry: CorpusEntry): string {
  return fs.readFileSync(path.join(CORPUS, entry.file), 'utf8');
}

export function slice(text: string, span: Span): string {
  return text.slice(span.start, span.end);
}

/** 1-based line of an offset. */
export function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

/** Lines a span covers (1-based, inclusive). */
export function linesOf(text: string, span: Span): [number, number] {
  return [lineOf(text, span.start), lineOf(text, Math.max(span.start, span.end - 1))];
}

/** The document text a sub-range of a source maps to. */
export function mapped(text: string, source: ShellSource, s: number, e: number): string {
  return slice(text, mapSpan(source, s, e));
}

/** Every span the model holds lies inside the text, and exact sources map inside it in order. */
export function assertSpansInside(model: FileModel): void {
  const n = model.text.length;
  const check = (s: Span, what: string) => assert.ok(s.start >= 0 && s.start <= s.end && s.end <= n, `${what} span ${s.start}-${s.end} outside 0-${n}`);
  const checkSource = (src: ShellSource, what: string) => {
    if (src.coarse) return check(src.coarse, what);
    assert.equal(src.map.length, src.text.length + 1, `${what} map length`);
    for (let i = 1; i < src.map.length; i++) assert.ok(src.map[i] >= src.map[i - 1], `${what} map not increasing`);
    check({ start: src.map[0], end: src.map[src.map.length - 1] }, what);
  };
  for (const i of model.images) check(i.span, 'image');
  for (const c of model.commands) {
    check(c.span, 'command');
    if (c.script) checkSource(c.script, 'script');
    for (const a of c.argv ?? []) checkSource(a, 'argv');
  }
  for (const r of model.ecrRepositories) check(r.span, 'ecr');
  for (const v of model.versionConsistency) check(v.span, 'version consistency');
  for (const p of model.problems) check(p.span, 'problem');
}

/** A compact view of the image sites for deepEqual. */
export function images(model: FileModel) {
  return model.images.map((i) => ({
    text: slice(model.text, i.span),
    resolved: i.resolved,
    ...(i.variable ? { variable: { ...i.variable } } : {}),
    ...(i.pointer !== undefined ? { pointer: i.pointer } : {}),
  }));
}

/** A compact view of the command sites: context, and script text or argv texts. */
export function commands(model: FileModel) {
  return model.commands.map((c) => ({
    context: c.context,
    ...(c.script ? { script: c.script.text } : {}),
    ...(c.argv ? { argv: c.argv.map((a) => a.text) } : {}),
  }));
}

/** The exact document text behind every argv element / the script (undefined when coarse). */
export function commandSourceTexts(model: FileModel): (string | undefined)[][] {
  return model.commands.map((c) =>
    (c.script ? [c.script] : (c.argv ?? [])).map((s) => (s.coarse ? undefined : model.text.slice(s.map[0], s.map[s.text.length]))),
  );
}

/** Whether the extractor turns a corpus label's line into the site its category needs. */
export function coversLabel(model: FileModel, label: CorpusEntry['expect'][number]): boolean {
  const t = model.text;
  const onLine = (s: Span) => {
    const [a, b] = linesOf(t, s);
    return a <= label.line && label.line <= b;
  };
  switch (label.category) {
    case 'latest-or-untagged':
    case 'tag-without-digest':
      return model.images.some((i) => onLine(i.span) && i.resolved !== undefined && i.variable?.covers !== 'tag-or-whole' && label.text.includes(slice(t, i.span)));
    case 'variable-image':
      return model.images.some((i) => onLine(i.span) && i.variable?.covers === 'tag-or-whole' && label.text.includes(slice(t, i.span)));
    case 'ecr-mutable':
      return model.ecrRepositories.some((r) => onLine(r.span) && slice(t, r.span).includes(label.text));
    case 'version-consistency-disabled':
      return model.versionConsistency.some((v) => onLine(v.span) && slice(t, v.span) === label.text);
    case 'runtime-download':
      return model.commands.some((c) => onLine(c.span) && [c.script, ...(c.argv ?? [])].some((s) => s?.text.includes(label.text)));
    default:
      return false;
  }
}

/**
 * Sites a rule could report without any shell analysis: images, mutable or omitted ECR settings,
 * disabled version consistency. Returns their first lines.
 */
export function reportableLines(model: FileModel): number[] {
  const t = model.text;
  const lines: number[] = [];
  for (const i of model.images) if (i.resolved !== undefined || i.variable?.covers === 'tag-or-whole') lines.push(lineOf(t, i.span.start));
  for (const r of model.ecrRepositories) {
    const m = r.mutability?.toUpperCase();
    if (m === undefined || m === 'MUTABLE' || m === 'MUTABLE_WITH_EXCLUSION') lines.push(lineOf(t, r.span.start));
  }
  for (const v of model.versionConsistency) lines.push(lineOf(t, v.span.start));
  return lines;
}

const TOKENS = ['"', "'", '{', '}', '[', ']', ':', ',', '\n', '\r\n', '${', '%{', '}}', '!Ref ', '!Sub ', '<<EOF\n', '<<-X\n', '#', '//', '/*', '\\', '\\u00', '&a ', '*a', '<<: *a\n', '- ', '|\n', '>-\n', '---\n', '=', '\t', 'é', '😀'];

/**
 * Deterministic mutations of a text (seeded): deletions, insertions of syntax-heavy tokens and
 * duplicated ranges, for "never throws, spans stay inside" checks.
 */
export function mutations(text: string, count: number, seed = 1): string[] {
  let state = seed >>> 0 || 1;
  const rand = (n: number) => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return n <= 0 ? 0 : (state >>> 8) % n;
  };
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    let t = text;
    for (let ops = 1 + rand(3); ops > 0; ops--) {
      const at = rand(t.length + 1);
      const len = rand(Math.min(40, t.length - at) + 1);
      switch (rand(3)) {
        case 0:
          t = t.slice(0, at) + t.slice(at + len);
          break;
        case 1:
          t = t.slice(0, at) + TOKENS[rand(TOKENS.length)] + t.slice(at);
          break;
        default:
          t = t.slice(0, at) + t.slice(at, at + len) + t.slice(at);
      }
    }
    out.push(t);
  }
  return out;
}
