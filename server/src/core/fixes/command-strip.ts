// Removes vendored downloads from a task-definition, CloudFormation, Terraform or compose command in the
// file's own form: a `sh -c` list left with one plain command becomes that command's list of strings,
// written in the list's quoting; the result is re-read to check it says what was meant.
import { extractCloudFormation } from '../extract/cloudformation';
import { extractCompose } from '../extract/compose';
import type { DSeq, DString } from '../extract/doc-tree';
import { extractEcsJson } from '../extract/ecs-json';
import { extractTerraform } from '../extract/terraform';
import type { CommandSite, ExtractContext, FileModel, ShellSource } from '../model';
import { analyzeArgv, analyzeScript } from '../shell/analyze';
import type { FileKind } from '../types';
import { containerOf, itemAt, type ValueFormat } from './container-node';
import { applyEdits } from './pin';
import { simpleArgv } from './shell-remove';
import { notFixable, type TextEditSpan } from './types';

const EXTRACTORS: Partial<Record<FileKind, (file: string, text: string, ctx: ExtractContext) => FileModel>> = {
  'ecs-json': extractEcsJson,
  cloudformation: extractCloudFormation,
  terraform: extractTerraform,
  compose: extractCompose,
};

/** The file holding the command, as the fix reads it. */
export interface CommandDoc {
  file: string;
  /** Text without a byte-order mark. */
  text: string;
  model: FileModel;
  files: ReadonlyMap<string, string>;
}

/** An exec-form `sh -c <payload>` whose payload is the list's last element: argv indices of the shell and payload. */
export interface ExecShell {
  argv: ShellSource[];
  shell: number;
  payload: number;
}

/** The model of `text` read as `doc`'s kind. */
export function reextract(doc: CommandDoc, text: string): FileModel {
  const extract = EXTRACTORS[doc.model.kind];
  if (!extract) notFixable(`${doc.model.kind} files are not rewritten`);
  return extract(doc.file, text, { files: doc.files });
}

const texts = (site: CommandSite) => (site.argv ? site.argv.map((a) => a.text) : [site.script?.text ?? '']);
const downloadsOf = (site: CommandSite) => (site.script ? analyzeScript(site.script) : site.argv ? analyzeArgv(site.argv) : []).map((d) => `${d.kind}:${d.command}`);

/** The command at `index` of `after`, checked against the original file: same shape, no new parse problem. */
function reread(doc: CommandDoc, after: string, index: number): CommandSite {
  const model = reextract(doc, after);
  if (model.problems.length > doc.model.problems.length) notFixable('removing the install would leave the file unparsable');
  const site = model.commands[index];
  if (model.commands.length !== doc.model.commands.length || site?.context !== doc.model.commands[index].context)
    notFixable('removing the install would change which commands the file runs');
  return site;
}

/**
 * The edits that remove the vendored downloads from command `index` of `doc`: `removal` (deletions
 * inside the command's strings), or, when they leave an exec-form `sh -c` with one plain command, the
 * list rewritten as that command's words. Checked by reading the result back: it parses, runs the same
 * commands minus the removed downloads, and adds none.
 */
export function stripEdits(doc: CommandDoc, index: number, removal: TextEditSpan[], exec: ExecShell | undefined): TextEditSpan[] {
  const site = doc.model.commands[index];
  const after = applyEdits(doc.text, removal);
  const stripped = reread(doc, after, index);
  const before = downloadsOf(site);
  const left = downloadsOf(stripped);
  const pool = [...before];
  for (const d of left) {
    const at = pool.indexOf(d);
    if (at < 0) notFixable('removing the install would change another command');
    pool.splice(at, 1);
  }
  if (left.length >= before.length) notFixable('the install could not be removed from the command');
  const words = exec && stripped.argv ? simpleArgv(stripped.argv[exec.payload]?.text ?? '') : undefined;
  if (!exec || !words) return removal;
  const rewrite = listRewrite(doc, site, exec, words);
  if (!rewrite) return removal;
  const expected = [...texts(site).slice(0, exec.shell), ...words];
  try {
    const now = reread(doc, applyEdits(doc.text, [rewrite]), index);
    if (JSON.stringify(texts(now)) === JSON.stringify(expected)) return [rewrite];
  } catch {
    // The rewrite did not read back as meant: the deletions alone are correct too.
  }
  return removal;
}

/** Replace the `sh`, `-c`, `payload` elements of the list by `words`, written like the list's strings. */
function listRewrite(doc: CommandDoc, site: CommandSite, exec: ExecShell, words: string[]): TextEditSpan | undefined {
  const container = containerOf(doc.model, doc.text, site.span);
  const first = itemAt(container, exec.argv[exec.shell].map[0] ?? -1);
  const last = itemAt(container, exec.argv[exec.payload].map[0] ?? -1);
  if (!first || !last || first.seq !== last.seq || last.index - first.index !== exec.payload - exec.shell) return undefined;
  const items = first.seq.items.slice(first.index, last.index + 1) as DString[];
  if (items.some((i) => i.kind !== 'string' || i.tag || i.parts)) return undefined;
  const end = (i: DString) => (/^["']/.test(doc.text[i.span.start]) ? i.span.end : i.inner.end);
  const sep = doc.text.slice(end(items[0]), items[1].span.start);
  const rendered = words.map((w) => renderString(w, items[0], first.seq, container.format, doc.model.kind === 'compose', doc.text));
  if (rendered.some((r) => r === undefined)) return undefined;
  return { span: { start: items[0].span.start, end: end(items[items.length - 1]) }, newText: rendered.join(sep) };
}

/** `value` as a string of the list, quoted like `like`; undefined when it cannot be written safely. */
export function renderString(value: string, like: DString, seq: DSeq, format: ValueFormat, compose: boolean, text: string): string | undefined {
  switch (format) {
    case 'json':
      return JSON.stringify(value);
    case 'hcl':
    case 'json-in-hcl':
      // HCL has no `\b` or `\f` escapes, and reads `${` and `%{` in strings (heredocs included) as templates.
      if (/[\b\f]/.test(value)) return undefined;
      return JSON.stringify(value).replace(/\$\{/g, '$$$${').replace(/%\{/g, '%%{');
    case 'yaml': {
      const v = compose ? value.replace(/\$/g, '$$$$') : value;
      const quote = text[like.span.start];
      if (quote === "'" && !/[\x00-\x1f]/.test(v)) return `'${v.replace(/'/g, "''")}'`;
      if (quote === '"' || quote === "'") return JSON.stringify(v);
      const flow = text[seq.span.start] === '[';
      // Plain only when it reads back as the same string; a colon is kept plain in block lists (`app:app`).
      const safe = /^([A-Za-z0-9_./]|--?[A-Za-z0-9])[A-Za-z0-9_./@%+=:-]*$/.test(v) && !v.endsWith(':') && !(flow && /[,[\]{}:]/.test(v));
      const special = /^(true|false|yes|no|on|off|y|n|null|~)$/i.test(v) || /^[-+.]?\d/.test(v) || /^\.(inf|nan)$/i.test(v);
      return safe && !special ? v : JSON.stringify(v);
    }
  }
}
