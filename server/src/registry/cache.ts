// DigestCache: resolved digests in memory and optionally on disk, with a TTL, coalescing and bounded concurrency.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseImageRef } from '../core/image-ref';
import { resolveDigest } from './resolve';
import { RegistrySession } from './session';
import { type RequestStats, type Resolution, type ResolvedDigest, type ResolveOptions } from './types';

/** Options of {@link DigestCache}. */
export interface DigestCacheOptions extends Omit<ResolveOptions, 'session'> {
  /** How long a resolved digest is reused, in milliseconds. Default one hour; 0 resolves every time. */
  ttlMs?: number;
  /** JSON file to persist resolved digests to (written atomically: temp file + rename). */
  file?: string;
  /** Clock, for tests. */
  now?: () => number;
}

interface Entry {
  result: ResolvedDigest;
  resolvedAt: number;
}

const FILE_VERSION = 1;

/**
 * Resolves image references through {@link resolveDigest} and remembers successful results for
 * `ttlMs`. Concurrent requests for the same reference share one resolution; failures are never
 * cached. All resolutions share one {@link RegistrySession} (connections, tokens, credentials).
 */
export class DigestCache {
  /** The session every resolution of this cache uses; its `stats` count HTTP requests. */
  readonly session: RegistrySession;
  /** Resolutions that went to the network, cache hits, and requests that joined one in flight. */
  readonly counts = { resolutions: 0, hits: 0, coalesced: 0 };
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<Resolution>>();
  private readonly ttlMs: number;
  private readonly now: () => number;
  private loaded: Promise<void> | undefined;
  private writing: Promise<void> = Promise.resolve();
  private writeQueued = false;

  constructor(private readonly options: DigestCacheOptions = {}) {
    this.ttlMs = options.ttlMs ?? 3_600_000;
    this.now = options.now ?? Date.now;
    this.session = new RegistrySession(this.now);
  }

  /** HTTP request counters of this cache's session. */
  get stats(): RequestStats {
    return this.session.stats;
  }

  /** The cache key of a reference: `registry/repository:tag`, with `+platforms` when platforms are asked for. */
  static key(reference: string, platforms = false): string {
    const p = parseImageRef(reference);
    const base = p.ok ? `${p.ref.name}:${p.ref.tag ?? 'latest'}${p.ref.tag === undefined && p.ref.digest ? `@${p.ref.digest}` : ''}` : reference.trim();
    return platforms ? `${base}+platforms` : base;
  }

  /** Resolve one reference, from the cache when fresh. `platforms` asks for the index's platforms. */
  async get(reference: string, opts: { platforms?: boolean } = {}): Promise<Resolution> {
    await this.load();
    const platforms = opts.platforms ?? this.options.platforms ?? false;
    const key = DigestCache.key(reference, platforms);
    const entry = this.entries.get(key);
    if (entry && this.now() - entry.resolvedAt < this.ttlMs) {
      this.counts.hits++;
      return entry.result;
    }
    const pending = this.inflight.get(key);
    if (pending) {
      this.counts.coalesced++;
      return pending;
    }
    const run = this.resolve(reference, key, platforms).finally(() => this.inflight.delete(key));
    this.inflight.set(key, run);
    return run;
  }

  /** Resolve many references with at most `concurrency` (default 6) resolutions at once; results in input order. */
  async resolveMany(references: readonly string[], opts: { concurrency?: number; platforms?: boolean } = {}): Promise<Resolution[]> {
    const results = new Array<Resolution>(references.length);
    const limit = Math.max(1, opts.concurrency ?? 6);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < references.length) {
        const i = next++;
        results[i] = await this.get(references[i], { platforms: opts.platforms });
      }
    };
    await Promise.all(Array.from({ length: Math.min(limit, references.length) }, worker));
    return results;
  }

  /** Forget one reference (both with and without platforms), or everything. */
  invalidate(reference?: string): void {
    if (reference === undefined) this.entries.clear();
    else for (const p of [false, true]) this.entries.delete(DigestCache.key(reference, p));
  }

  /** Wait until the persisted file reflects every resolution so far. */
  flush(): Promise<void> {
    return this.writing;
  }

  /** Close idle connections. */
  dispose(): void {
    this.session.close();
  }

  private async resolve(reference: string, key: string, platforms: boolean): Promise<Resolution> {
    this.counts.resolutions++;
    const { ttlMs: _ttl, file: _file, now: _now, ...resolveOptions } = this.options;
    const result = await resolveDigest(reference, { ...resolveOptions, platforms, session: this.session });
    if (result.ok) {
      this.entries.set(key, { result, resolvedAt: this.now() });
      this.persist();
    }
    return result;
  }

  private load(): Promise<void> {
    this.loaded ??= this.readFile();
    return this.loaded;
  }

  private async readFile(): Promise<void> {
    const file = this.options.file;
    if (!file) return;
    try {
      const doc = JSON.parse(await readFile(file, 'utf8')) as { version?: number; entries?: Record<string, Entry> };
      if (doc?.version !== FILE_VERSION || typeof doc.entries !== 'object' || !doc.entries) throw new Error('unknown layout');
      for (const [key, e] of Object.entries(doc.entries)) {
        const r = e?.result;
        if (r?.ok === true && typeof r.digest === 'string' && /^sha256:[a-f0-9]{64}$/.test(r.digest) && typeof e.resolvedAt === 'number' && this.now() - e.resolvedAt < this.ttlMs) {
          if (!this.entries.has(key)) this.entries.set(key, { result: r, resolvedAt: e.resolvedAt });
        }
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.options.log?.(`digest cache ${file} ignored: ${(e as Error).message.slice(0, 120)}`);
    }
  }

  private persist(): void {
    const file = this.options.file;
    if (!file || this.writeQueued) return;
    // One queued write covers every resolution that finishes before it starts.
    this.writeQueued = true;
    this.writing = this.writing.then(async () => {
      this.writeQueued = false;
      const now = this.now();
      const entries: Record<string, Entry> = {};
      for (const [k, e] of this.entries) if (now - e.resolvedAt < this.ttlMs) entries[k] = e;
      const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
      try {
        await mkdir(path.dirname(file), { recursive: true });
        await writeFile(temp, `${JSON.stringify({ version: FILE_VERSION, entries }, null, 1)}\n`, { mode: 0o600 });
        await rename(temp, file);
      } catch (e) {
        this.options.log?.(`digest cache ${file} not written: ${(e as Error).message.slice(0, 120)}`);
        await unlink(temp).catch(() => undefined);
      }
    });
  }
}
