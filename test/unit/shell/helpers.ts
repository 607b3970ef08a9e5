// Shared by the shell-analysis tests: run the analysis on a document and view results as text.
import * as fs from 'fs';
import * as path from 'path';
import { exactSource, type ShellSource } from '../../../server/src/core/model';
import { analyzeArgv, analyzeScript, invokedScripts } from '../../../server/src/core/shell/analyze';
import type { Download } from '../../../server/src/core/shell/types';
import type { Span } from '../../../server/src/core/types';

/** The shared real-file corpus beside the repository (tests run from out/test/unit/shell). */
export const CORPUS = path.resolve(__dirname, '../../../../../shared/corpus');

export function slice(doc: string, span: Span): string {
  return doc.slice(span.start, span.end);
}

/** A download as the tests compare it: the document text its span covers instead of offsets. */
export interface DownloadView {
  kind: Download['kind'];
  tool: string;
  ecosystem: Download['ecosystem'];
  at: string;
  command: string;
  packages: string[];
  pipedToShell: boolean;
}

export function view(doc: string, d: Download): DownloadView {
  return { kind: d.kind, tool: d.tool, ecosystem: d.ecosystem, at: slice(doc, d.span), command: d.command, packages: d.packages, pipedToShell: d.pipedToShell };
}

/** Analyse `script` as it stands at offset `base` of `doc` (the whole document by default). */
export function scriptDownloads(doc: string, script = doc, base = doc.indexOf(script)): DownloadView[] {
  return analyzeScript(exactSource(script, base)).map((d) => view(doc, d));
}

/** Sources of an exec-form argv written as a JSON array in `doc` (each string without its quotes). */
export function argvSources(doc: string): ShellSource[] {
  const args = JSON.parse(doc.slice(doc.indexOf('['), doc.lastIndexOf(']') + 1)) as string[];
  let pos = doc.indexOf('[');
  return args.map((a) => {
    const quoted = JSON.stringify(a);
    const at = doc.indexOf(quoted, pos);
    pos = at + quoted.length;
    return jsonStringSource(doc, at);
  });
}

/** The decoded value of the JSON string literal whose opening quote is at `at`, mapped back into `doc`. */
export function jsonStringSource(doc: string, at: number): ShellSource {
  let text = '';
  const map: number[] = [];
  let i = at + 1;
  while (i < doc.length && doc[i] !== '"') {
    map.push(i);
    if (doc[i] === '\\') {
      const c = doc[i + 1];
      text += c === 'n' ? '\n' : c === 't' ? '\t' : c;
      i += 2;
    } else text += doc[i++];
  }
  map.push(i);
  return { text, map };
}

export function argvDownloads(doc: string): DownloadView[] {
  return analyzeArgv(argvSources(doc)).map((d) => view(doc, d));
}

/** Scripts a command runs, as `path` and the document text of its span. */
export function scriptsOf(doc: string, form: 'script' | 'argv'): { path: string; at: string }[] {
  const cmd = form === 'argv' ? { argv: argvSources(doc) } : { script: exactSource(doc, 0) };
  return invokedScripts(cmd).map((s) => ({ path: s.path, at: slice(doc, s.span) }));
}

export function corpusFile(rel: string): string | undefined {
  const p = path.join(CORPUS, 'files', rel);
  return fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined;
}

/** 1-based line of an offset. */
export function lineOf(doc: string, offset: number): number {
  return doc.slice(0, offset).split('\n').length;
}
