// stale-digest in the editor: after an analysis with the rule on and the network allowed, resolve the
// document's pinned tags in the background and re-analyse it once with what was learnt.
import { pinCandidates } from '../core/fixes/pin';
import type { FileModel } from '../core/model';
import type { Settings } from '../core/types';
import { STALE_RULE } from './doc-model';
import type { PinManager } from './pin-manager';

/** A tag that failed to resolve is not asked for again for this long (edits re-analyse often). */
const FAILURE_BACKOFF_MS = 5 * 60_000;

export interface StaleCheckDeps {
  pins: PinManager;
  /** Re-analyse a document now. */
  reanalyse: (uri: string) => void;
  log: (message: string) => void;
  now?: () => number;
}

/** Whether the settings turn stale-digest on (it is off unless configured). */
export function staleDigestEnabled(settings: Settings): boolean {
  const level = settings.rules[STALE_RULE];
  return level !== undefined && level !== 'off';
}

export class StaleDigestChecker {
  /** Current digest per `name:tag`, as last learnt. */
  private readonly known = new Map<string, string>();
  private readonly failedAt = new Map<string, number>();
  private readonly now: () => number;

  constructor(private readonly deps: StaleCheckDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** The digests to analyse with (a snapshot: what this analysis used is compared later). */
  snapshot(): Map<string, string> {
    return new Map(this.known);
  }

  /** Forget everything learnt (the network or trust changed). */
  clear(): void {
    this.known.clear();
    this.failedAt.clear();
  }

  /**
   * An analysis of `uri` finished with `used` digests. When stale-digest is on, resolve its pinned
   * tags; re-analyse only when a digest differs from what the analysis used (so no loop).
   */
  analysed(uri: string, model: FileModel | undefined, settings: Settings, used: ReadonlyMap<string, string>): void {
    if (!model || !staleDigestEnabled(settings)) return;
    const now = this.now();
    const queries = [...new Set(pinCandidates(model).filter((c) => c.currentDigest && !c.implicitLatest).map((c) => c.query))].filter(
      (q) => now - (this.failedAt.get(q) ?? -Infinity) >= FAILURE_BACKOFF_MS,
    );
    if (!queries.length) return;
    void this.check(uri, queries, used).catch((e: unknown) => this.deps.log(`Known Good: stale-digest check of ${uri} failed: ${String(e)}`));
  }

  private async check(uri: string, queries: string[], used: ReadonlyMap<string, string>): Promise<void> {
    const access = await this.deps.pins.forResource(uri);
    if (access.offline) return;
    const resolved = await access.service.resolve(queries);
    let learnt = false;
    for (const [q, r] of resolved) {
      if (!r.ok) {
        if (r.reason !== 'network-disabled') this.failedAt.set(q, this.now());
        this.deps.log(`Known Good: stale-digest could not check ${q}: ${r.message}`);
        continue;
      }
      this.failedAt.delete(q);
      this.known.set(q, r.digest);
      if (used.get(q) !== r.digest) learnt = true;
    }
    if (learnt) this.deps.reanalyse(uri);
  }
}
