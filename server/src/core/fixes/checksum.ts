// add-without-checksum: `ADD --checksum=sha256:<hex>` (http, from one download) or `--checksum=<commit>` (git,
// when the URL names a full commit), with a `# syntax=` directive new enough for it.
import { stripBom } from '../analyze';
import type { RawFinding } from '../types';
import { LineIndex } from '../line-index';
import { globalArgs, parseLayout, variablesAt, type DfLayout } from './dockerfile-layout';
import { frontendEdits } from './frontend';
import { notFixable, type Fix, type FixInput, type FixResult, type FixNeed } from './types';
import { normaliseChecksum } from './vendor-fetch';

/** The commit a git source's fragment names, when it is a full 40-hex SHA (`repo.git#<sha>[:subdir]`). */
export function gitCommit(url: string): string | undefined {
  const ref = url.split('#')[1]?.split(':')[0];
  return ref && /^[0-9a-f]{40}$/i.test(ref) ? ref.toLowerCase() : undefined;
}

/** The URL with ARG defaults and ENV values substituted, and the ARGs it depends on; NotFixable when one has no value. */
function resolveUrl(text: string, layout: DfLayout, offset: number, raw: string): { url: string; viaArg: string[] } {
  if (!raw.includes('$')) return { url: raw, viaArg: [] };
  const vars = variablesAt(layout, offset, globalArgs(text));
  const viaArg: string[] = [];
  const url = raw.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g, (_m, a: string | undefined, b: string | undefined) => {
    const name = a ?? b ?? '';
    const v = vars.get(name);
    if (!v) notFixable(`the URL uses \`$${name}\`, which has no value in the Dockerfile, so what to hash is not known`);
    if (v.fromArg) viaArg.push(name);
    return v.value;
  });
  if (url.includes('$')) notFixable('the URL uses a variable form Known Good does not expand');
  return { url, viaArg };
}

export function checksumFixes(finding: RawFinding, input: FixInput): FixResult {
  const text = stripBom(input.text);
  const span = finding.location.span;
  const site = input.model.remoteAdds.find((a) => a.span.start === span.start && a.span.end === span.end && !a.hasChecksum);
  if (!site) notFixable('the ADD was not found');
  const layout = parseLayout(text);
  const ins = layout.stages.flatMap((s) => s.instructions).find((i) => i.span.start === span.start && i.keyword === 'ADD');
  if (!ins) notFixable('the ADD was not found');
  const sources = ins.ins.getArguments().map((a) => a.getValue()).filter((v) => !v.startsWith('--'));
  if (sources.length !== 2) notFixable('`--checksum` applies to an ADD with a single source; split this ADD into one per URL');
  const { url, viaArg } = resolveUrl(text, layout, site.span.start, site.url);
  const needs: FixNeed[] = [];
  let checksum: string;
  if (site.kind === 'git') {
    const commit = gitCommit(url);
    if (!commit) notFixable('the git source names a branch or tag, not a commit: pin `#<40-hex commit>` first, then add `--checksum=<commit>`');
    checksum = commit;
  } else {
    const sum = normaliseChecksum(input.checksums?.get(url));
    if (!sum) needs.push({ kind: 'download-sha256', url });
    checksum = sum ?? '';
  }
  const directive = frontendEdits(layout, site.kind, input.digests);
  needs.push(...directive.needs);
  const index = new LineIndex(text);
  const argsStart = index.offset(ins.ins.getArgumentsRange()!.start);
  const defaults = viaArg.length ? ` (for the default ${viaArg.map((a) => `ARG ${a}`).join(', ')}: another --build-arg value will fail the build)` : '';
  const title = (site.kind === 'git' ? `Add --checksum=${checksum.slice(0, 12)}… (the commit the URL names)` : `Add --checksum=sha256:… (hash of one download of ${url})`) + defaults;
  const fix: Fix = {
    id: 'add-checksum',
    title: directive.edits.length ? `${title}, and a # syntax= directive that supports it` : title,
    ruleId: finding.ruleId,
    edits: [],
    needsConfirmation: directive.edits.length > 0,
    preferred: true,
  };
  if (needs.length) return { fixes: [{ ...fix, needs }] };
  const edits = [...directive.edits, { span: { start: argsStart, end: argsStart }, newText: `--checksum=${checksum} ` }];
  return { fixes: [{ ...fix, edits: [{ file: input.file, edits: edits.sort((a, b) => a.span.start - b.span.start) }] }] };
}
