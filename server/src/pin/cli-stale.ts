// `known-good audit --check-stale`: the current digest of every pinned `tag@sha256:` reference,
// each distinct tag asked once, with the tags that could not be checked and where they are used.
import { pinCandidate } from '../core/fixes/pin';
import { LineIndex } from '../core/line-index';
import type { FileModel } from '../core/model';
import { DigestCache } from '../registry';
import type { Resolver } from './cli-plan';

/** A tag that could not be checked: the registry's message and the places it is pinned. */
export interface StaleCheckFailure {
  query: string;
  registry: string;
  message: string;
  /** `file:line` of each reference pinning this tag. */
  places: string[];
}

export interface StaleCheck {
  /** Current digest by `name:tag` query, as the stale-digest rule looks them up. */
  digests: Map<string, string>;
  failures: StaleCheckFailure[];
  /** Distinct tags asked of registries. */
  queries: number;
}

/** Resolve the tags of the pinned references in `models` (one resolution per distinct tag). */
export async function checkPinnedTags(models: readonly FileModel[], resolve: Resolver): Promise<StaleCheck> {
  const byKey = new Map<string, { query: string; queries: Set<string>; places: string[] }>();
  for (const model of models) {
    let index: LineIndex | undefined;
    for (const site of model.images) {
      const c = pinCandidate(model.text, site);
      if (!c?.currentDigest || c.implicitLatest) continue;
      const key = DigestCache.key(c.query);
      const entry = byKey.get(key) ?? { query: c.query, queries: new Set<string>(), places: [] };
      entry.queries.add(c.query);
      index ??= new LineIndex(model.text);
      entry.places.push(`${model.file}:${index.position(site.span.start).line + 1}`);
      byKey.set(key, entry);
    }
  }
  const resolved = await resolve([...byKey.values()].map((e) => e.query));
  const digests = new Map<string, string>();
  const failures: StaleCheckFailure[] = [];
  for (const entry of byKey.values()) {
    const r = resolved.get(entry.query)!;
    if (r.ok) for (const q of entry.queries) digests.set(q, r.digest);
    else failures.push({ query: entry.query, registry: r.registry, message: r.message, places: entry.places });
  }
  return { digests, failures, queries: byKey.size };
}
