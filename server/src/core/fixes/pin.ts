// Pin to digest, the pure part: which references can be pinned and the edit that pins one.
import { parseImageRef, splitReference, SHA256_DIGEST } from '../image-ref';
import type { FileModel, ImageContext, ImageSite } from '../model';
import type { Span } from '../types';

/** How a pinned reference is written: `name:tag@sha256:…` (default) or `name@sha256:…`. */
export type PinStyle = 'tag-and-digest' | 'digest-only';

export interface PinCandidate {
  /** The reference's span in the document. */
  span: Span;
  /** The reference as it stands in the document (raw source). */
  raw: string;
  /** What to ask the registry for: the reference with its tag (`latest` when it has none), no digest. */
  query: string;
  tag: string;
  /** The reference has no tag: pinning writes today's `latest` explicitly. */
  implicitLatest: boolean;
  /** The digest it is pinned to now, if any (for stale-digest). */
  currentDigest?: string;
  context: ImageContext;
}

const ECS_CONTEXTS: ReadonlySet<ImageContext> = new Set(['ecs-image', 'cfn-image', 'tf-image']);

/**
 * A reference can be pinned when the file spells it out: no variable anywhere in it, a valid
 * reference, and a tag to resolve. Returns undefined otherwise.
 */
export function pinCandidate(text: string, site: ImageSite): PinCandidate | undefined {
  if (site.variable || site.resolved === undefined) return undefined;
  const raw = text.slice(site.span.start, site.span.end);
  if (raw !== site.text) return undefined; // escaped in the source: do not guess an edit
  const parsed = parseImageRef(site.text);
  if (!parsed.ok) return undefined;
  const { tag, digest } = parsed.ref;
  if (digest && !tag) return undefined; // digest only: nothing left to resolve
  const parts = splitReference(raw);
  return {
    span: site.span,
    raw,
    query: `${parts.name}:${tag ?? 'latest'}`,
    tag: tag ?? 'latest',
    implicitLatest: tag === undefined,
    currentDigest: digest,
    context: site.context,
  };
}

export function pinCandidates(model: FileModel): PinCandidate[] {
  return model.images.map((s) => pinCandidate(model.text, s)).filter((c): c is PinCandidate => c !== undefined);
}

/** The edit that pins `c` to `digest`: replaces exactly the reference's span, nothing else. */
export function pinEdit(c: PinCandidate, digest: string, style: PinStyle = 'tag-and-digest'): { span: Span; newText: string } {
  if (!SHA256_DIGEST.test(digest)) throw new Error(`refusing to write an invalid digest "${digest}"`);
  const parts = splitReference(c.raw);
  const digestOnly = style === 'digest-only' && ECS_CONTEXTS.has(c.context);
  const newText = digestOnly ? `${parts.name}@${digest}` : `${parts.name}:${parts.tag ?? 'latest'}@${digest}`;
  return { span: c.span, newText };
}

/** Apply non-overlapping edits to a text (used by the CLI and tests; editors apply their own). */
export function applyEdits(text: string, edits: { span: Span; newText: string }[]): string {
  const sorted = [...edits].sort((a, b) => b.span.start - a.span.start);
  let out = text;
  let limit = Infinity;
  for (const e of sorted) {
    if (e.span.end > limit) throw new Error('overlapping edits');
    out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
    limit = e.span.start;
  }
  return out;
}
