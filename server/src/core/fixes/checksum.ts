// add-without-checksum: `ADD --checksum=sha256:<hex>` (http, from one download) or `--checksum=<commit>` (git,
// when the URL names a full commit), with a `# syntax=` directive new enough for it.
import { stripBom } from '../analyze';
import type { RawFinding } from '../types';
import { LineIndex } from '../line-index';
import { parseLayout } from './dockerfile-layout';
import { frontendEdits } from './frontend';
import { notFixable, type Fix, type FixInput, type FixResult, type FixNeed } from './types';
import { normaliseChecksum } from './vendor-fetch';

/** The commit a git source's fragment names, when it is a full 40-hex SHA (`repo.git#<sha>[:subdir]`). */
export function gitCommit(url: string): string | undefined {
  const ref = url.split('#')[1]?.split(':')[0];
  return ref && /^[0-9a-f]{40}$/i.test(ref) ? ref.toLowerCase() : undefined;
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
  if (site.url.includes('$')) notFixable('the URL uses a variable, so what to hash is not known from the file');
  const needs: FixNeed[] = [];
  let checksum: string;
  if (site.kind === 'git') {
    const commit = gitCommit(site.url);
    if (!commit) notFixable('the git source names a branch or tag, not a commit: pin `#<40-hex commit>` first, then add `--checksum=<commit>`');
    checksum = commit;
  } else {
    const sum = normaliseChecksum(input.checksums?.get(site.url));
    if (!sum) needs.push({ kind: 'download-sha256', url: site.url });
    checksum = sum ?? '';
  }
  const directive = frontendEdits(layout, site.kind, input.digests);
  needs.push(...directive.needs);
  const index = new LineIndex(text);
  const argsStart = index.offset(ins.ins.getArgumentsRange()!.start);
  const title = site.kind === 'git' ? `Add --checksum=${checksum.slice(0, 12)}… (the commit the URL names)` : `Add --checksum=sha256:… (hash of one download of ${site.url})`;
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
