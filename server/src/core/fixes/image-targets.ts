// Which Dockerfile in the workspace builds the image a container runs: the compose service's `build:`, a
// `.knowngood.yaml` `images:` entry, or (unconfirmed) a Dockerfile in the same folder.
import * as path from 'path';
import { stripBom } from '../analyze';
import { CONFIG_FILE_NAMES, parseConfig } from '../config';
import { parseImageRef } from '../image-ref';
import type { FileModel, ImageSite } from '../model';
import { RULE_IDS } from '../rules';
import type { Span } from '../types';

/** A Dockerfile that builds (or may build) the container's image. */
export interface DockerfileTarget {
  kind: 'compose-build' | 'config' | 'same-folder';
  /** Workspace path (posix). */
  file: string;
  /** The stage the service builds (`build.target`), when given. */
  stage?: string;
  /** Undefined when the Dockerfile is known but cannot be used (remote context, inline Dockerfile). */
  usable: boolean;
}

const posix = (p: string) => p.replace(/\\/g, '/');

/** The compose `build:` of the service whose command sits at `pointer` (`/services/<name>/…`). */
function composeBuild(model: FileModel, pointer: string | undefined): DockerfileTarget | undefined {
  const service = pointer?.split('/').slice(0, 3).join('/');
  const build = service ? model.builds?.find((b) => b.pointer.startsWith(`${service}/`)) : undefined;
  if (!build) return undefined;
  return { kind: 'compose-build', file: build.dockerfile ?? '', stage: build.target, usable: build.dockerfile !== undefined };
}

/** The `images:` map of the workspace's `.knowngood.yaml`, when it has one. */
export function configImages(files: ReadonlyMap<string, string>, root = ''): Record<string, string> {
  const name = CONFIG_FILE_NAMES.map((n) => (root ? path.posix.join(posix(root), n) : n)).find((n) => files.has(n));
  if (!name) return {};
  return parseConfig(stripBom(files.get(name)!), RULE_IDS).config.images ?? {};
}

/** A path's first component names a registry host (Docker's rule), or is a variable standing for one. */
const isRegistry = (part: string) => part.includes('.') || part.includes(':') || part.includes('$') || part === 'localhost';

/** The names an image reference answers to in `images:`: with its registry, and without it. */
export function repositoryNames(site: Pick<ImageSite, 'text' | 'resolved'>): Set<string> {
  const out = new Set<string>();
  const add = (full: string) => {
    out.add(full);
    const parts = full.split('/');
    if (parts.length > 1 && isRegistry(parts[0])) out.add(parts.slice(1).join('/'));
    if (parts[parts.length - 2] === 'library') out.add(parts[parts.length - 1]);
  };
  const parsed = site.resolved ? parseImageRef(site.resolved) : undefined;
  if (parsed?.ok) {
    add(parsed.ref.name);
    if (!parsed.ref.explicitRegistry) add(parsed.ref.repository);
  }
  // As written, tag and digest cut off: keeps the repository when the registry part is a variable.
  const written = site.text.trim().replace(/@.*$/, '');
  const slash = written.lastIndexOf('/');
  const colon = written.lastIndexOf(':');
  add(colon > slash ? written.slice(0, colon) : written);
  return out;
}

/** The image site written inside `span` (the container's map). */
export function imageIn(model: FileModel, span: Span): ImageSite | undefined {
  return model.images.find((i) => i.context !== 'from' && span.start <= i.span.start && i.span.end <= span.end);
}

/** The Dockerfile known to build the container's image (compose `build:`, then `images:`), if any. */
export function mappedDockerfile(
  model: FileModel,
  pointer: string | undefined,
  image: ImageSite | undefined,
  files: ReadonlyMap<string, string>,
  root = '',
): DockerfileTarget | undefined {
  const build = model.kind === 'compose' ? composeBuild(model, pointer) : undefined;
  if (build) return build;
  if (!image) return undefined;
  const names = repositoryNames(image);
  const images = configImages(files, root);
  const key = Object.keys(images).find((k) => names.has(k));
  if (key === undefined) return undefined;
  return { kind: 'config', file: path.posix.normalize(path.posix.join(posix(root) || '.', images[key])), usable: true };
}

/** `Dockerfile` in the folder of `file`, when the workspace has it. */
export function sameFolderDockerfile(file: string, files: ReadonlyMap<string, string>): DockerfileTarget | undefined {
  const candidate = path.posix.join(path.posix.dirname(posix(file)), 'Dockerfile');
  return files.has(candidate) ? { kind: 'same-folder', file: candidate, usable: true } : undefined;
}

/**
 * Dockerfiles the vendoring fixes of `model`'s commands may edit: compose `build:` Dockerfiles, every
 * `images:` target of the config in `files`, and `Dockerfile` next to the file. A caller loads those
 * that exist into `FixInput.files` (with the requirement and lock files next to them) before asking for fixes.
 */
export function vendorDockerfileCandidates(model: FileModel, files: ReadonlyMap<string, string>, root = ''): string[] {
  if (model.kind === 'dockerfile' || model.kind === 'shell') return [];
  const out = new Set<string>();
  for (const b of model.builds ?? []) if (b.dockerfile) out.add(b.dockerfile);
  for (const p of Object.values(configImages(files, root))) out.add(path.posix.normalize(path.posix.join(posix(root) || '.', p)));
  out.add(path.posix.join(path.posix.dirname(posix(model.file)), 'Dockerfile'));
  return [...out];
}
