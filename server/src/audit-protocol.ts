// Messages between the audit's main thread (audit-pool.ts) and its worker threads (audit-worker.ts).
import type { WorkspaceFacts } from './core/rule';
import type { FileKind, Settings } from './core/types';
import type { FileOutcome } from './audit-file';

/** `workerData` of an audit worker. */
export interface WorkerInit {
  knownGoodAuditWorker: true;
  root: string;
  rootReal: string;
  settings: Settings;
  digests?: ReadonlyMap<string, string>;
  /** Models and facts only: no rule runs. */
  factsOnly?: boolean;
  /** Hash texts and dependencies (the audit keeps a cache). */
  hashes: boolean;
}

/** One file to audit: read from disk, or `text` (and `kind`) given by the main thread. */
export interface FileJob {
  file: string;
  link?: boolean;
  text?: string;
  kind?: FileKind;
  /** The cache's record: when the text and dependencies still hash the same, the worker answers `hit`. */
  cached?: { hash?: string; kind: FileKind; deps?: Record<string, string | null> };
}

export type WorkerRequest =
  /** Analyse these files; phase 2 with the workspace facts sent before. */
  | { type: 'files'; phase: 1 | 2; jobs: FileJob[] }
  | { type: 'facts'; workspace: WorkspaceFacts };

/** What became of one job. */
export type JobResult =
  | { file: string; outcome: FileOutcome }
  /** Unchanged since the cache recorded it. */
  | { file: string; hit: true }
  /** Not a supported file after all (content), or gone. */
  | { file: string; none: true }
  | { file: string; error: string };

export type WorkerReply = { type: 'files'; results: JobResult[] } | { type: 'ok' } | { type: 'failed'; message: string };
