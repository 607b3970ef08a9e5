// Worker threads for large audits: jobs are queued as the walk discovers files and sent in chunks to
// the least busy worker; results come back per file. Reading and analysing happen in the workers, so
// every core works and the main thread (the language server's event loop) stays free.
import * as path from 'path';
import { Worker } from 'worker_threads';
import type { WorkspaceFacts } from './core/rule';
import type { FileJob, JobResult, WorkerInit, WorkerReply, WorkerRequest } from './audit-protocol';

/** The worker script beside this module (out/server/src/ in tests, dist/ when bundled). */
const WORKER_SCRIPT = path.join(__dirname, 'audit-worker.js');
/** Files per message: large enough to amortise a message, small enough to balance the workers. */
const CHUNK = 64;
/** Chunks sent ahead to each worker, so it never waits for the main thread. */
const AHEAD = 2;
/** Each worker's young generation, in MB. */
const YOUNG_GENERATION_MB = 8;

interface Slot {
  worker: Worker;
  inFlight: number;
}

export class AuditPool {
  private readonly slots: Slot[];
  private queue: FileJob[] = [];
  private phase: 1 | 2 = 1;
  private inFlight = 0;
  private failure: Error | undefined;
  private idle: (() => void)[] = [];

  /** Start `size` workers for an audit of `init.root`; each result is handed to `onResult`. */
  constructor(size: number, init: Omit<WorkerInit, 'knownGoodAuditWorker'>, private readonly onResult: (r: JobResult) => void) {
    const workerData: WorkerInit = { ...init, knownGoodAuditWorker: true };
    this.slots = Array.from({ length: size }, () => {
      // A small young generation: analysis makes short-lived garbage, and a worker's default nursery
      // costs each worker tens of MB of peak memory for little speed (measured on the bench workspace).
      const slot: Slot = { worker: new Worker(WORKER_SCRIPT, { workerData, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } }), inFlight: 0 };
      slot.worker.on('message', (reply: WorkerReply) => this.received(slot, reply));
      slot.worker.on('error', (e) => this.fail(e));
      slot.worker.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`an audit worker stopped (exit code ${code})`));
      });
      return slot;
    });
  }

  /** Queue a job of the current phase. */
  submit(job: FileJob): void {
    this.queue.push(job);
    this.dispatch(false);
  }

  /** Send everything queued and wait until every result is in. */
  async drain(): Promise<void> {
    this.dispatch(true);
    while (!this.failure && (this.inFlight || this.queue.length)) {
      await new Promise<void>((resolve) => this.idle.push(resolve));
      this.dispatch(true);
    }
    if (this.failure) throw this.failure;
  }

  /** Start phase 2: send the workspace facts to every worker; jobs submitted from now on use them. */
  facts(workspace: WorkspaceFacts): void {
    this.phase = 2;
    for (const s of this.slots) this.post(s, { type: 'facts', workspace });
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  /** Send chunks to workers with room; partial chunks only when `flush`, or to a worker that has nothing to do. */
  private dispatch(flush: boolean): void {
    while (this.queue.length && !this.failure) {
      const slot = this.slots.reduce((a, b) => (b.inFlight < a.inFlight ? b : a));
      if (slot.inFlight >= AHEAD) return;
      if (this.queue.length < CHUNK && !flush && slot.inFlight > 0) return;
      this.post(slot, { type: 'files', phase: this.phase, jobs: this.queue.splice(0, CHUNK) });
    }
  }

  private post(slot: Slot, req: WorkerRequest): void {
    slot.inFlight++;
    this.inFlight++;
    slot.worker.postMessage(req);
  }

  private received(slot: Slot, reply: WorkerReply): void {
    slot.inFlight--;
    this.inFlight--;
    if (reply.type === 'failed') return this.fail(new Error(reply.message));
    if (reply.type === 'files') for (const r of reply.results) this.onResult(r);
    this.dispatch(false);
    this.wake();
  }

  private fail(e: Error): void {
    this.failure ??= e;
    this.wake();
  }

  private wake(): void {
    for (const resolve of this.idle.splice(0)) resolve();
  }
}
