// Manifest media types, digest verification of fetched bytes, and the platforms of an index.
import { createHash } from 'node:crypto';
import { SHA256_DIGEST } from '../core/image-ref';

/** Media types asked for, so a multi-platform tag yields its index (never a schema-1 conversion). */
export const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

const INDEX_TYPES = new Set(['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json']);

/** Whether a media type is an image index / manifest list. */
export function isIndex(mediaType: string): boolean {
  return INDEX_TYPES.has(mediaType);
}

/** Whether a media type is a deprecated schema-1 manifest, whose digest is not worth pinning. */
export function isSchema1(mediaType: string): boolean {
  return /^application\/vnd\.docker\.distribution\.manifest\.v1\+(json|prettyjws)$/.test(mediaType);
}

/** `Content-Type` without parameters, lower case; '' when absent. */
export function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

/** Whether a string is `sha256:` followed by 64 lowercase hex digits. */
export function isSha256Digest(value: string | undefined): value is string {
  return value !== undefined && SHA256_DIGEST.test(value);
}

/** `sha256:<hex>` of the exact bytes. */
export function sha256Digest(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/**
 * Check a `Docker-Content-Digest` header against the bytes it describes. Returns an error text, or
 * undefined when the header is absent or matches (sha256 or sha512).
 */
export function digestMismatch(header: string | undefined, bytes: Buffer): string | undefined {
  if (header === undefined || header === '') return undefined;
  const m = /^(sha256|sha512):([a-f0-9]+)$/.exec(header);
  if (!m || m[2].length !== (m[1] === 'sha256' ? 64 : 128)) return `malformed Docker-Content-Digest "${header.slice(0, 80)}"`;
  const actual = `${m[1]}:${createHash(m[1]).update(bytes).digest('hex')}`;
  return actual === header ? undefined : `Docker-Content-Digest ${header} does not match the manifest bytes (${actual})`;
}

/** The media type named inside a manifest body, '' when unreadable. */
export function bodyMediaType(bytes: Buffer): string {
  try {
    const doc = JSON.parse(bytes.toString('utf8')) as { mediaType?: unknown };
    return typeof doc.mediaType === 'string' ? doc.mediaType : '';
  } catch {
    return '';
  }
}

/** `os/arch[/variant]` of an index's manifests, in order, without duplicates or attestation entries (`unknown/unknown`). */
export function indexPlatforms(bytes: Buffer): string[] | undefined {
  let doc: { manifests?: { platform?: { os?: unknown; architecture?: unknown; variant?: unknown } }[] };
  try {
    doc = JSON.parse(bytes.toString('utf8')) as typeof doc;
  } catch {
    return undefined;
  }
  if (!Array.isArray(doc.manifests)) return undefined;
  const out: string[] = [];
  for (const m of doc.manifests) {
    const p = m?.platform;
    if (!p || typeof p.os !== 'string' || typeof p.architecture !== 'string' || p.os === 'unknown') continue;
    const name = [p.os, p.architecture, typeof p.variant === 'string' && p.variant ? p.variant : undefined].filter(Boolean).join('/');
    if (!out.includes(name)) out.push(name);
  }
  return out;
}
