// Makes the `# syntax=` directive select a Dockerfile frontend that supports `ADD --checksum`:
// 1.6+ for http(s) sources, 1.16+ for git sources (docs/rules/add-without-checksum.md). A directive
// the fix writes is always pinned by digest, so the fix adds no unpinned reference.
import { SHA256_DIGEST } from '../image-ref';
import type { DfLayout } from './dockerfile-layout';
import { notFixable, type FixNeed, type TextEditSpan } from './types';

/** Minimum 1.x minor version per source kind. */
export const MIN_MINOR = { http: 6, git: 16 } as const;

/** The directive written when a file has none: tracks the latest 1.x, frozen by its digest. */
export const DEFAULT_FRONTEND = 'docker/dockerfile:1';

const FRONTEND = /^((?:docker\.io\/)?docker\/dockerfile(?:-upstream)?)(?::([^@\s]+))?(?:@(\S+))?$/;

/** Whether a frontend tag is new enough: none, `latest`, `labs`, `master*`, `1`, `1-labs`, or `1.N…` with N ≥ min. */
function tagSupports(tag: string | undefined, min: number): boolean | undefined {
  if (tag === undefined || /^(latest|labs|master(-labs)?)$/.test(tag)) return true;
  const m = /^(\d+)(?:\.(\d+))?(?:\.\d+)?(-labs)?$/.exec(tag);
  if (!m) return undefined;
  const major = Number(m[1]);
  if (major !== 1) return major > 1;
  return m[2] === undefined || Number(m[2]) >= min;
}

/**
 * Edits that make the file's frontend support `ADD --checksum` for `kind` sources, with the digests
 * they need. Throws NotFixable for a directive naming another frontend or a variable.
 */
export function frontendEdits(layout: DfLayout, kind: 'http' | 'git', digests?: ReadonlyMap<string, string>): { edits: TextEditSpan[]; needs: FixNeed[] } {
  const min = MIN_MINOR[kind];
  const directive = layout.directives.find((d) => d.name === 'syntax');
  const pinned = (reference: string): { text: string; needs: FixNeed[] } => {
    const digest = digests?.get(reference);
    if (digest && SHA256_DIGEST.test(digest)) return { text: `${reference}@${digest}`, needs: [] };
    return { text: `${reference}@sha256:<pending>`, needs: [{ kind: 'image-digest', reference }] };
  };
  if (!directive) {
    const p = pinned(DEFAULT_FRONTEND);
    return { edits: [{ span: { start: 0, end: 0 }, newText: `# syntax=${p.text}${layout.eol}` }], needs: p.needs };
  }
  const m = FRONTEND.exec(directive.value.trim());
  if (!m) notFixable(`the \`# syntax=${directive.value}\` directive selects a frontend whose support for \`ADD --checksum\` is not known`);
  const supports = tagSupports(m[2], min);
  if (supports === undefined) notFixable(`the frontend tag \`${m[2]}\` is not a version Known Good can compare`);
  if (supports) return { edits: [], needs: [] };
  const labs = m[2]?.endsWith('-labs') ? '-labs' : '';
  const p = pinned(`${m[1]}:1.${min}${labs}`);
  return { edits: [{ span: { ...directive.valueSpan }, newText: p.text }], needs: p.needs };
}
