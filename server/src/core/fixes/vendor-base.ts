// What the base image of a new build stage is known to hold: official images and tools the Dockerfile installs itself.
import { parseImageRef } from '../image-ref';
import type { VendorContext } from './vendor-plan';

/** Whether `reference` names an official image `name` (any registry mirror, any tag): `python:3.12`, `docker.io/library/python`. */
export function isOfficial(reference: string | undefined, name: string): boolean {
  if (!reference) return false;
  const parsed = parseImageRef(reference);
  if (!parsed.ok) return false;
  const repo = parsed.ref.repository;
  return repo === name || repo === `library/${name}` || repo.endsWith(`/library/${name}`) || repo.endsWith(`/docker/library/${name}`);
}

/**
 * Whether a `RUN` of the final stage itself (before the insertion point) mentions installing the tool:
 * then a build stage `FROM` the same base would not have it.
 */
export function toolInstalledInStage(ctx: VendorContext, pattern: RegExp): boolean {
  return ctx.stage.instructions.some((i) => i.keyword === 'RUN' && i.span.start < ctx.insertAt && pattern.test(ctx.layout.text.slice(i.span.start, i.span.end)));
}
