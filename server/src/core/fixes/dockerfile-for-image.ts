// "Create a Dockerfile that vendors it": a new Dockerfile next to the task definition or compose file,
// `FROM <the image>` + the install (the same build-stage / RUN plans as for a Dockerfile's own CMD) + the
// container's start command without it; the command in the file is stripped in the same edit.
import * as path from 'path';
import { extractDockerfile } from '../extract/dockerfile';
import { entryOf, type DNode } from '../extract/doc-tree';
import { parseImageRef } from '../image-ref';
import type { ImageSite } from '../model';
import { reextract } from './command-strip';
import { containerOf } from './container-node';
import { applyEdits } from './pin';
import { simpleArgv } from './shell-remove';
import { notFixable, type Fix } from './types';
import { vendorFixes, type TargetDockerfile } from './vendor-core';
import { checkRuntimePaths, finish, locateFor, withFakeNeeds, type ExternalCase } from './external-case';

/** The id of the fix that creates a Dockerfile. */
export const CREATE_DOCKERFILE = 'dockerfile-for-image';

/** A path for the new Dockerfile next to `file`: `<container>.Dockerfile`, else `Dockerfile.known-good`; never one that exists. */
export function newDockerfilePath(file: string, name: string | undefined, files: ReadonlyMap<string, string>): string {
  const dir = path.posix.dirname(file.replace(/\\/g, '/'));
  const stem = name?.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '');
  const base = (n: number) => (stem ? `${stem}${n > 1 ? `-${n}` : ''}.Dockerfile` : `Dockerfile.known-good${n > 1 ? `-${n}` : ''}`);
  for (let n = 1; ; n++) {
    const p = path.posix.join(dir, base(n));
    if (!files.has(p)) return p;
  }
}

/** The values of a command list as the container runs them; NotFixable when one is only known at deploy time. */
function values(node: DNode, compose: boolean): string[] {
  const items = node.kind === 'seq' ? node.items : [node];
  return items.map((i) => {
    if (i.kind === 'scalar' && i.value !== null && !i.tag) return i.raw;
    if (i.kind !== 'string' || i.tag || i.parts) notFixable('the start command uses values that are only known when the stack is deployed');
    if (compose && /\$(?!\$)/.test(i.value.replace(/\$\$/g, ''))) notFixable('the start command uses compose variables');
    return compose ? i.value.replace(/\$\$/g, '$') : i.value;
  });
}

/** `ENTRYPOINT`/`CMD` lines equivalent to the container's (stripped) entry point and command. */
function startLines(container: ReturnType<typeof containerOf>, compose: boolean): string[] {
  const out: string[] = [];
  for (const [key, keyword] of [
    ['entryPoint', 'ENTRYPOINT'],
    ['command', 'CMD'],
  ] as const) {
    const node = entryOf(container.map, key)?.value;
    if (!node || (node.kind === 'scalar' && node.value === null)) continue;
    if (node.kind === 'string') {
      // Compose splits a string into words without a shell: the exec form of those words.
      const words = simpleArgv(values(node, compose)[0]);
      if (!words) notFixable('the start command is a string that is not a plain list of words, so its CMD equivalent is not certain');
      out.push(`${keyword} [${words.map((w) => JSON.stringify(w)).join(', ')}]`);
      continue;
    }
    const list = values(node, compose);
    if (list.length && list.some((v) => v !== '')) out.push(`${keyword} [${list.map((v) => JSON.stringify(v)).join(', ')}]`);
  }
  return out;
}

/** The image written as `FROM` can use it: spelled out, no variable, a valid reference. */
function fromImage(c: ExternalCase, image: ImageSite | undefined): string {
  if (!image) notFixable(`the ${c.doc.model.kind === 'compose' ? 'service' : 'container'} names no image to build on`);
  if (image.variable || image.resolved === undefined) notFixable('the image is a variable, so a Dockerfile cannot name it');
  if (c.doc.text.slice(image.span.start, image.span.end) !== image.text || /[\s$]/.test(image.text)) notFixable('the image reference is not written out plainly');
  if (!parseImageRef(image.text).ok) notFixable('the image reference is not valid');
  return image.text;
}

/** The fix creating `<container>.Dockerfile` that vendors the download, with the command stripped. */
export function createDockerfileFix(c: ExternalCase, image: ImageSite | undefined): Fix {
  const from = fromImage(c, image);
  const wd = c.container.workingDir;
  if (wd === null || (wd !== undefined && (/[$\r\n]/.test(wd) || !wd.trim()))) notFixable('the container\'s working directory is not a plain path');
  const file = newDockerfilePath(c.doc.file, c.container.name, c.input.files);
  const virtual = `FROM ${from}\n${wd ? `WORKDIR ${wd.trim()}\n` : ''}`;
  const target: TargetDockerfile = { file, text: virtual, model: extractDockerfile(file, virtual, { files: c.input.files }) };
  const run = (input = c.input) => {
    const { src, group, exec } = locateFor(c);
    checkRuntimePaths(c, group, undefined);
    const fix = vendorFixes(target, src, group, c.finding.ruleId, input).fixes[0];
    return { fix, exec };
  };
  const { fix, exec } = run();
  const compose = c.doc.model.kind === 'compose';
  const then = compose ? 'the service must then build it or run the image built from it' : 'the task definition must then point at the image built from it';
  const title = `Create a Dockerfile that vendors it (${path.posix.basename(file)}): ${fix.title.charAt(0).toLowerCase()}${fix.title.slice(1)}; ${then}`;
  const base = { id: CREATE_DOCKERFILE, title, ruleId: fix.ruleId, needsConfirmation: true };
  if (fix.needs?.length) {
    const probe = run(withFakeNeeds(c.input, fix));
    build(c, probe.fix, probe.exec, virtual, compose);
    return { ...base, edits: [], needs: fix.needs };
  }
  const { strip, content } = build(c, fix, exec, virtual, compose);
  return { ...base, edits: [strip, { file, create: true, edits: [{ span: { start: 0, end: 0 }, newText: content }] }] };
}

/** The stripped command file's edits and the new Dockerfile's text. */
function build(c: ExternalCase, fix: Fix, exec: ReturnType<typeof locateFor>['exec'], virtual: string, compose: boolean) {
  const done = finish(c, fix, exec);
  const strip = done.edits[0];
  const dockerfile = fix.edits.find((e) => e.file !== c.doc.file)?.edits ?? [];
  const after = applyEdits(c.doc.text, strip.edits);
  const model = reextract(c.doc, after);
  const container = containerOf(model, after, model.commands[c.index].span);
  const body = applyEdits(virtual, dockerfile);
  const content = [body.replace(/\n*$/, '\n'), ...startLines(container, compose).map((l) => `${l}\n`)].join('');
  return { strip, content };
}
