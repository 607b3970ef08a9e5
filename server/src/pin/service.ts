// Pinning for the language server and the CLI: resolves references through the registry client
// and turns the core's pin candidates into edits. Nothing is edited on a failure.
import { pinCandidates, pinEdit, type PinCandidate, type PinStyle } from '../core/fixes/pin';
import type { FileModel } from '../core/model';
import type { Span } from '../core/types';
import { DigestCache, type Resolution } from '../registry';

export interface PinServiceOptions {
  /** False: no request at all (setting off, or an untrusted workspace). */
  network: boolean;
  /** Run `docker-credential-*` helpers from the user's Docker config (false in untrusted workspaces). */
  allowCredentialHelpers: boolean;
  insecureRegistries?: string[];
  /** How pins are written in ECS task definitions / CloudFormation / Terraform. */
  style?: PinStyle;
  /** Persist resolved digests here (extension global storage, or the CLI cache dir). */
  cacheFile?: string;
  /** Per-resolution time budget. */
  timeoutMs?: number;
  ttlMs?: number;
  dockerConfigPath?: string;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

export interface PinEdit {
  span: Span;
  newText: string;
  /** The `name:tag` that was resolved, and its digest. */
  query: string;
  digest: string;
}

export interface PinFailure {
  query: string;
  span: Span;
  message: string;
}

export class PinService {
  readonly cache: DigestCache;

  constructor(private readonly options: PinServiceOptions) {
    this.cache = new DigestCache({
      networkDisabled: !options.network,
      allowCredentialHelpers: options.allowCredentialHelpers,
      insecureRegistries: options.insecureRegistries,
      file: options.cacheFile,
      timeoutMs: options.timeoutMs,
      ttlMs: options.ttlMs,
      dockerConfigPath: options.dockerConfigPath,
      env: options.env,
      log: options.log,
    });
  }

  get network(): boolean {
    return this.options.network;
  }

  /** Resolve each distinct query once (bounded concurrency, coalesced, cached). */
  async resolve(queries: readonly string[]): Promise<Map<string, Resolution>> {
    const distinct = [...new Set(queries)];
    const results = await this.cache.resolveMany(distinct);
    return new Map(distinct.map((q, i) => [q, results[i]]));
  }

  /**
   * Edits pinning the candidates of `model` whose span is in `only` (all when absent). With
   * `update`, already-pinned references whose tag moved get their digest replaced; otherwise they
   * are left alone. Each failure is reported per reference and produces no edit. `style` overrides
   * the service's style for this call (the editor reads it per resource).
   */
  async edits(model: FileModel, opts: { only?: Span[]; update?: boolean; style?: PinStyle } = {}): Promise<{ edits: PinEdit[]; failures: PinFailure[] }> {
    const wanted = pinCandidates(model).filter(
      (c) => (!opts.only || opts.only.some((s) => s.start === c.span.start && s.end === c.span.end)) && (opts.update || !c.currentDigest),
    );
    const resolved = await this.resolve(wanted.map((c) => c.query));
    const edits: PinEdit[] = [];
    const failures: PinFailure[] = [];
    for (const c of wanted) {
      const r = resolved.get(c.query)!;
      if (!r.ok) {
        failures.push({ query: c.query, span: c.span, message: r.message });
        continue;
      }
      if (c.currentDigest === r.digest) continue;
      edits.push({ ...pinEdit(c, r.digest, opts.style ?? this.options.style), query: c.query, digest: r.digest });
    }
    return { edits, failures };
  }

  /** Current digests of the pinned references in `model` (for stale-digest); failures are left out. */
  async currentDigests(models: readonly FileModel[]): Promise<Map<string, string>> {
    const pinned: PinCandidate[] = models.flatMap((m) => pinCandidates(m).filter((c) => c.currentDigest && !c.implicitLatest));
    const resolved = await this.resolve(pinned.map((c) => c.query));
    const out = new Map<string, string>();
    for (const [q, r] of resolved) if (r.ok) out.set(q, r.digest);
    return out;
  }

  /** Write the persisted cache (if any) and release connections. */
  async dispose(): Promise<void> {
    await this.cache.flush();
    this.cache.dispose();
  }
}
