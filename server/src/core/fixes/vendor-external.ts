// runtime-install / runtime-fetch in an ECS task definition, CloudFormation, Terraform or compose command:
// one edit adds the install to the Dockerfile that builds the image and strips it from the command; with no
// known Dockerfile, a Dockerfile in the same folder (to confirm) and a new Dockerfile that vendors it.
import * as path from 'path';
import { stripBom } from '../analyze';
import { extractDockerfile } from '../extract/dockerfile';
import type { Download } from '../shell/types';
import type { RawFinding, Span } from '../types';
import type { CommandDoc } from './command-strip';
import { containerOf } from './container-node';
import { createDockerfileFix } from './dockerfile-for-image';
import { parseLayout, workdirAt } from './dockerfile-layout';
import { checkRuntimePaths, finish, locateFor, withFakeNeeds, type ExternalCase } from './external-case';
import { imageIn, mappedDockerfile, sameFolderDockerfile, type DockerfileTarget } from './image-targets';
import { NotFixable, notFixable, type Fix, type FixInput, type FixResult } from './types';
import { vendorFixes, type TargetDockerfile } from './vendor-core';

const within = (inner: Span, outer: Span) => outer.start <= inner.start && inner.end <= outer.end;

/** Where a path is shown in a title: `./name` next to the command file, else its workspace path. */
export function shown(from: string, to: string): string {
  return path.posix.dirname(from) === path.posix.dirname(to) ? `./${path.posix.basename(to)}` : to;
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/** The vendoring fixes into an existing Dockerfile, the command stripped in the same edit. */
function intoDockerfile(c: ExternalCase, target: DockerfileTarget): Fix[] {
  const raw = c.input.files.get(target.file);
  if (raw === undefined) notFixable(`${target.file} is not available to edit`);
  const text = stripBom(raw);
  const layout = parseLayout(text);
  const last = layout.stages[layout.stages.length - 1];
  if (!last) notFixable(`${target.file} has no FROM`);
  if (target.stage && last.name !== target.stage.toLowerCase()) notFixable(`the service builds stage \`${target.stage}\`, not the last stage of ${target.file}`);
  const dockerfile: TargetDockerfile = { file: target.file, text, model: extractDockerfile(target.file, text, { files: c.input.files }) };
  const run = (input = c.input) => {
    const { src, group, exec } = locateFor(c);
    checkRuntimePaths(c, group, workdirAt(layout, text.length + 1));
    return { result: vendorFixes(dockerfile, src, group, c.finding.ruleId, input), exec };
  };
  const { result, exec } = run();
  const where = shown(c.doc.file, target.file);
  return result.fixes.map((f) => {
    const title =
      target.kind === 'same-folder'
        ? `Vendor into ${where} (same folder — check it builds this image): ${lowerFirst(f.title)}, and remove it from the command`
        : `${f.title} in ${where}, and remove it from the command`;
    if (f.needs?.length) {
      // Check now that the command can be stripped, so the fix does not vanish once the download is done.
      const probe = run(withFakeNeeds(c.input, f)).result.fixes.find((p) => p.id === f.id);
      if (probe) finish(c, probe, exec);
      return { ...f, title, preferred: false };
    }
    return { ...finish(c, f, exec), title, preferred: false };
  });
}

/** runtime-install / runtime-fetch in the command of a container or compose service. */
export function externalVendorFixes(finding: RawFinding, input: FixInput, kind: Download['kind']): FixResult {
  const text = stripBom(input.text);
  const index = input.model.commands.findIndex((s) => within(finding.location.span, s.span));
  if (index < 0) notFixable('the start command was not found');
  const site = input.model.commands[index];
  const doc: CommandDoc = { file: input.file, text, model: input.model, files: input.files };
  const c: ExternalCase = { finding, input, kind, doc, index, site, container: containerOf(input.model, text, site.span) };
  const image = imageIn(input.model, c.container.map.span);
  const mapped = mappedDockerfile(input.model, site.pointer, image, input.files, input.root);
  if (mapped) {
    if (!mapped.usable) notFixable('the service builds from a remote context or an inline Dockerfile, which Known Good does not edit');
    const fixes = intoDockerfile(c, mapped);
    if (fixes.length) fixes[0].preferred = true;
    return { fixes };
  }
  const fixes: Fix[] = [];
  let reason: string | undefined;
  const attempt = (make: () => Fix[]) => {
    try {
      fixes.push(...make());
    } catch (e) {
      if (!(e instanceof NotFixable)) throw e;
      reason ??= e.message;
    }
  };
  const same = sameFolderDockerfile(input.file, input.files);
  if (same) attempt(() => intoDockerfile(c, same));
  attempt(() => [createDockerfileFix(c, image)]);
  if (!fixes.length) notFixable(reason ?? 'the install could not be moved into an image');
  return { fixes };
}
