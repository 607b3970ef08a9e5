// Workspace-wide facts built from every file's model: image tags in use, scripts Dockerfiles run.
import { parseImageRef } from './image-ref';
import type { FileModel } from './model';
import type { ScriptRunner, WorkspaceFacts } from './rule';

/** Per-file contribution to the workspace facts, kept small so an index can hold one per file. */
export interface FileFacts {
  imageTags: WorkspaceFacts['imageTags'];
  scripts: { path: string; runner: ScriptRunner }[];
}

export function factsOf(model: FileModel): FileFacts {
  const imageTags: FileFacts['imageTags'] = [];
  if (model.kind !== 'dockerfile') {
    for (const image of model.images) {
      if (!image.resolved) continue;
      const parsed = parseImageRef(image.resolved);
      if (parsed.ok && parsed.ref.tag && !parsed.ref.digest) {
        imageTags.push({ repository: parsed.ref.repository, tag: parsed.ref.tag, file: model.file });
      }
    }
  }
  const scripts = model.scripts.map((s) => ({ path: s.path, runner: { runBy: s.runBy, copiedBy: s.copiedBy } }));
  return { imageTags, scripts };
}

/** Combine per-file facts (in any order) into the facts rules read. */
export function combineFacts(all: Iterable<FileFacts>): WorkspaceFacts {
  const imageTags: WorkspaceFacts['imageTags'] = [];
  const scriptRunners = new Map<string, ScriptRunner[]>();
  for (const f of all) {
    imageTags.push(...f.imageTags);
    for (const s of f.scripts) {
      const list = scriptRunners.get(s.path) ?? [];
      list.push(s.runner);
      scriptRunners.set(s.path, list);
    }
  }
  return { imageTags, scriptRunners };
}

/**
 * Which workspace facts a file's findings depend on: `scripts` for a shell script (the Dockerfiles
 * that run it), `image-tags` for a template declaring an ECR repository with mutable exclusions
 * (ecr-mutable-tags reads the tags the workspace uses). Files that need none are final after one
 * analysis without facts; the others are analysed again once every file's facts are known.
 */
export function factsNeeded(model: FileModel): 'scripts' | 'image-tags' | undefined {
  if (model.kind === 'shell') return 'scripts';
  if (model.ecrRepositories.some((r) => r.mutability?.toUpperCase() === 'IMMUTABLE_WITH_EXCLUSION')) return 'image-tags';
  return undefined;
}

/** The part of the workspace facts a file's findings depend on, as a string that changes when they do. */
export function factsKey(file: string, needed: 'scripts' | 'image-tags', facts: WorkspaceFacts): string {
  return needed === 'scripts' ? JSON.stringify(facts.scriptRunners.get(file) ?? []) : JSON.stringify(facts.imageTags);
}
