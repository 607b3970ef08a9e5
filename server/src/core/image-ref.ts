// Parses image references as Docker does (distribution/reference) and classifies their tags.

export interface ImageRef {
  /** Registry host (with port), e.g. `docker.io`, `localhost:5000`, `123.dkr.ecr.us-east-1.amazonaws.com`. */
  registry: string;
  /** Repository path, e.g. `library/node`, `sdmrepo/relay`. */
  repository: string;
  /** Tag as written; undefined when absent. */
  tag?: string;
  /** `sha256:<64 hex>` (or another algorithm) when present. */
  digest?: string;
  /** The fully-qualified name `registry/repository`. */
  name: string;
  /** Whether the registry was written explicitly. */
  explicitRegistry: boolean;
}

export type ParseResult = { ok: true; ref: ImageRef } | { ok: false; error: string };

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
export const SHA256_DIGEST = /^sha256:[a-f0-9]{64}$/;

/** Whether the first path component names a registry host (Docker's rule). */
function isHost(component: string): boolean {
  return component.includes('.') || component.includes(':') || component === 'localhost' || /[A-Z]/.test(component);
}

/** Parse an image reference such as `node:20`, `ghcr.io/o/r:1@sha256:…`, `localhost:5000/app`. */
export function parseImageRef(input: string): ParseResult {
  const text = input.trim();
  if (!text) return { ok: false, error: 'empty image reference' };
  if (text.length > 4096) return { ok: false, error: 'image reference is too long' };
  if (/\s/.test(text)) return { ok: false, error: `image reference "${text}" contains whitespace` };
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return { ok: false, error: `"${digest}" is not a valid digest (expected sha256:<64 hex>)` };
    if (digest.startsWith('sha256:') && !SHA256_DIGEST.test(digest)) {
      return { ok: false, error: `"${digest}" is not a valid sha256 digest (expected 64 lowercase hex characters)` };
    }
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return { ok: false, error: `"${tag}" is not a valid tag` };
  }
  const parts = splitSlash(rest);
  let registry = 'docker.io';
  let explicitRegistry = false;
  if (parts.length > 1 && isHost(parts[0])) {
    registry = parts.shift()!;
    explicitRegistry = true;
    if (!/^[a-zA-Z0-9.-]+(?::\d+)?$/.test(registry) && !/^\[[0-9a-fA-F:]+\](?::\d+)?$/.test(registry)) {
      return { ok: false, error: `"${registry}" is not a valid registry host` };
    }
  }
  let valid = parts.length > 0;
  for (let i = 0; valid && i < parts.length; i++) valid = COMPONENT.test(parts[i]);
  if (!valid) {
    return { ok: false, error: `"${text}" is not a valid image reference (repository names are lowercase letters, digits and separators)` };
  }
  if (registry === 'index.docker.io') registry = 'docker.io';
  const repository = registry === 'docker.io' && parts.length === 1 ? `library/${parts[0]}` : parts.join('/');
  return { ok: true, ref: { registry, repository, tag, digest, name: `${registry}/${repository}`, explicitRegistry } };
}

/** `s.split('/')` (which is slow on the sliced strings it gets here). */
function splitSlash(s: string): string[] {
  const parts: string[] = [];
  let from = 0;
  for (let i = s.indexOf('/'); i >= 0; i = s.indexOf('/', from)) {
    parts.push(s.slice(from, i));
    from = i + 1;
  }
  parts.push(s.slice(from));
  return parts;
}

export type TagKind = 'latest' | 'floating' | 'exact';

const CHANNEL_WORDS = new Set([
  'latest', 'lts', 'stable', 'current', 'edge', 'mainline', 'alpine', 'slim', 'bookworm', 'bullseye', 'buster', 'trixie',
  'jammy', 'focal', 'noble', 'nightly', 'dev', 'develop', 'main', 'master', 'release', 'beta', 'rc', 'canary', 'next',
  'fpm', 'apache', 'cli', 'jdk', 'jre', 'windowsservercore', 'nanoserver', 'musl', 'glibc', 'uclibc', 'focal', 'ubi',
]);

/**
 * Classify a tag: `latest`; `floating` when it moves with new releases by design (`20`, `3.12`,
 * `lts-alpine`, `alpine`, `stable`); `exact` when it names one release (`1.25.3-alpine`, a date, a
 * commit SHA). Exact-looking tags are still mutable pointers: they only move less often.
 */
export function classifyTag(tag: string | undefined): TagKind {
  if (tag === undefined || tag === 'latest') return 'latest';
  const lower = tag.toLowerCase();
  // A full version (three numeric parts), a build date, or a commit-like hex string names one build.
  const version = lower.match(/^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:[.+_-](.*))?$/);
  if (version) {
    if (version[3] !== undefined) return 'exact';
    if (/^\d{8}/.test(lower) || /^\d{4}[.-]\d{2}[.-]\d{2}/.test(lower)) return 'exact';
    return 'floating';
  }
  if (/^[0-9a-f]{7,40}$/.test(lower)) return 'exact';
  if (/\d{4}-?\d{2}-?\d{2}/.test(lower) || /\d+\.\d+\.\d+/.test(lower)) return 'exact';
  const words = lower.split(/[-_.]/);
  if (words.every((w) => CHANNEL_WORDS.has(w) || /^[a-z]+\d*$/.test(w))) return 'floating';
  return 'exact';
}

/** Split `name[:tag][@digest]` at the tag and digest without validating, for edits on partial text. */
export function splitReference(text: string): { name: string; tag?: string; digest?: string } {
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) return { name: rest.slice(0, colon), tag: rest.slice(colon + 1), digest };
  return { name: rest, digest };
}
