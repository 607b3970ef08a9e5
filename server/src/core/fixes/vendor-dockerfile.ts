// runtime-install / runtime-fetch fixes: in a Dockerfile's start command (or a heredoc script it
// writes), and in an entrypoint script the Dockerfile copies and runs (a two-file fix).
import { extractDockerfile } from '../extract/dockerfile';
import { exactSource } from '../model';
import { analyzeArgv, analyzeScript } from '../shell/analyze';
import type { Download } from '../shell/types';
import { stripBom } from '../analyze';
import type { RawFinding, Span } from '../types';
import { notFixable, type FixInput, type FixResult } from './types';
import { locateGroup, vendorFixes, type DownloadSource, type TargetDockerfile } from './vendor-core';

const within = (inner: Span, outer: Span) => outer.start <= inner.start && inner.end <= outer.end;
const KIND: Record<string, Download['kind']> = { 'runtime-install': 'install', 'runtime-fetch': 'fetch' };

/** Fixes for a runtime download in the analysed Dockerfile itself. */
function inDockerfile(finding: RawFinding, input: FixInput, kind: Download['kind']): FixResult {
  const text = stripBom(input.text);
  const site = input.model.commands.find((c) => within(finding.location.span, c.span));
  if (!site) notFixable('the start command was not found');
  const downloads = site.script ? analyzeScript(site.script) : site.argv ? analyzeArgv(site.argv) : [];
  const src: DownloadSource = { file: input.file, text, site };
  const group = locateGroup(src, downloads, finding.location.span, kind);
  const target: TargetDockerfile = { file: input.file, text, model: input.model };
  return vendorFixes(target, src, group, finding.ruleId, input);
}

/** The Dockerfile that copies and runs the script, when the workspace has it. */
function runnerDockerfile(finding: RawFinding, input: FixInput): TargetDockerfile {
  if (input.model.kind === 'dockerfile') return { file: input.file, text: stripBom(input.text), model: input.model };
  const runner = finding.related?.find((r) => r.location.file !== finding.location.file)?.location.file;
  const text = runner === undefined ? undefined : input.files.get(runner);
  if (runner === undefined || text === undefined) notFixable('the Dockerfile that runs this script is not open in the workspace');
  const clean = stripBom(text);
  return { file: runner, text: clean, model: extractDockerfile(runner, clean, { files: input.files }) };
}

/** Fixes for a runtime download in an entrypoint script: remove it there, add the build-time step to the Dockerfile. */
function inScript(finding: RawFinding, input: FixInput, kind: Download['kind']): FixResult {
  const file = finding.location.file;
  const raw = file === input.file ? input.text : input.files.get(file);
  if (raw === undefined) notFixable('the script is not available');
  const target = runnerDockerfile(finding, input);
  const runners = new Set(target.model.scripts.filter((s) => s.path === file).map((s) => s.runBy.file));
  if (!runners.size) notFixable(`${target.file} does not run this script`);
  const text = stripBom(raw);
  const site = { script: exactSource(text, 0) };
  const src: DownloadSource = { file, text, site };
  const group = locateGroup(src, analyzeScript(site.script), finding.location.span, kind);
  return vendorFixes(target, src, group, finding.ruleId, input);
}

/** runtime-install / runtime-fetch: move the download to build time. */
export function vendorFixesFor(finding: RawFinding, input: FixInput): FixResult {
  const kind = KIND[finding.ruleId];
  if (!kind) return { fixes: [] };
  if (finding.location.file !== input.file) return inScript(finding, input, kind);
  if (input.model.kind === 'shell') return inScript(finding, input, kind);
  if (input.model.kind !== 'dockerfile')
    notFixable('the image is built elsewhere: move the install into the Dockerfile that builds it, and start the program directly here');
  return inDockerfile(finding, input, kind);
}
