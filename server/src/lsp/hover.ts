// Hover on an image reference: the reference as parsed, what its tag means, what ECS does with it,
// and the findings reported on it.
import { MarkupKind, type Hover } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { classifyTag, parseImageRef, type ImageRef } from '../core/image-ref';
import type { ImageSite } from '../core/model';
import type { Finding } from '../core/types';

const TAG_MEANING = {
  latest: 'moves every time the publisher pushes: the newest image, whatever it is.',
  floating: 'a floating tag: it moves to each new release in its line (a new patch, a rebuilt base).',
  exact: 'names one release, but a tag is still a mutable pointer: it can be pushed again with different content.',
};

const ECS_TAG =
  'ECS pulls whatever the tag points to when a task starts. Software version consistency resolves the tag to a digest once per deployment only: a new deployment, a scale-out after one, or a standalone `RunTask` can get a different image.';
const ECS_DIGEST = 'ECS pulls exactly this digest at every task start: every task runs the same image.';
const BUILD_TAG =
  'Resolved at build time: each build can get a different image. On ECS, the image built from it runs; deployed by tag, ECS pulls whatever that tag points to when a task starts (software version consistency pins it per deployment only).';
const BUILD_DIGEST = 'Every build uses exactly this image. On ECS, pin the built image by digest too: ECS pulls whatever a tag points to when a task starts.';

const BUILD_CONTEXTS = new Set(['from', 'copy-from', 'mount-from', 'syntax-directive']);

/** The image reference under `offset`, if any (the innermost one when references nest). */
export function imageAt(images: readonly ImageSite[], offset: number): ImageSite | undefined {
  let best: ImageSite | undefined;
  for (const site of images) {
    if (site.span.start <= offset && offset <= site.span.end && (!best || site.span.end - site.span.start < best.span.end - best.span.start)) best = site;
  }
  return best;
}

const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;

function describeRef(ref: ImageRef): string[] {
  const lines = [
    `| | |`,
    `|---|---|`,
    `| Registry | ${code(ref.registry)}${ref.explicitRegistry ? '' : ' (default)'} |`,
    `| Repository | ${code(ref.repository)} |`,
    `| Tag | ${ref.tag === undefined ? 'none (means `latest`)' : code(ref.tag)} |`,
    `| Digest | ${ref.digest ? code(ref.digest) : 'none'} |`,
  ];
  return lines;
}

/** Markdown hover for an image site, with the findings whose range overlaps it. */
export function imageHover(doc: TextDocument, site: ImageSite, findings: readonly Finding[], file: string): Hover {
  const parts: string[] = [`**Image reference** ${code(site.text)}`];
  const analysed = site.resolved ?? site.text;
  if (site.variable) {
    parts.push(
      site.resolved !== undefined && site.resolved !== site.text
        ? `Uses the variable ${code(site.variable.expression)}; analysed as ${code(site.resolved)}${site.variable.defaultSource ? ` (default from ${site.variable.defaultSource})` : ''}.`
        : `Uses the variable ${code(site.variable.expression)}, which has no default in this file: the image is decided elsewhere.`,
    );
  }
  const parsed = site.resolved === undefined && site.variable ? undefined : parseImageRef(analysed);
  const buildTime = BUILD_CONTEXTS.has(site.context);
  if (parsed && !parsed.ok) parts.push(`Not a valid image reference: ${parsed.error}.`);
  if (parsed?.ok) {
    const ref = parsed.ref;
    parts.push(describeRef(ref).join('\n'));
    if (ref.digest) {
      parts.push(`Pinned by digest: the content cannot change.${ref.tag ? ` The tag ${code(ref.tag)} is only a label here.` : ''}`);
      parts.push(buildTime ? BUILD_DIGEST : ECS_DIGEST);
    } else {
      const kind = classifyTag(ref.tag);
      parts.push(`Tag: **${kind}** — ${TAG_MEANING[kind]}`);
      parts.push(buildTime ? BUILD_TAG : ECS_TAG);
    }
  }
  const start = doc.positionAt(site.span.start);
  const end = doc.positionAt(site.span.end);
  const mine = findings.filter((f) => f.location.file === file && f.location.span.start <= site.span.end && site.span.start <= f.location.span.end);
  if (mine.length) parts.push(mine.map((f) => `**${f.ruleId}** (${f.severity}): ${f.message}`).join('\n\n'));
  return { contents: { kind: MarkupKind.Markdown, value: parts.join('\n\n') }, range: { start, end } };
}
