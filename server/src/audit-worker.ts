// An audit worker thread: reads the files the main thread discovered (synchronously: nothing else
// runs here), answers from the cache when the content is unchanged, else analyses them. Started by
// audit-pool.ts; bundled on its own as dist/audit-worker.js.
import { parentPort, workerData } from 'worker_threads';
import { detectKind } from './core/detect';
import { RULES } from './core/rules';
import { initParsers } from './core/treesitter';
import type { WorkspaceFacts } from './core/rule';
import { analyzeFile, depsUnchanged, sha256, syncLoader, type FileEnv } from './audit-file';
import type { WorkerInit, WorkerReply, WorkerRequest } from './audit-protocol';
import { errorMessage, readCandidateSync, vanished, type ScannedFile } from './scan';
import { rulesUnderTest } from './test-hooks';

async function main(init: WorkerInit): Promise<void> {
  const port = parentPort!;
  const texts = new Map<string, string>();
  const absent = new Set<string>();
  const env: FileEnv = {
    root: init.root,
    rootReal: init.rootReal,
    settings: init.settings,
    rules: init.factsOnly ? [] : (rulesUnderTest() ?? RULES),
    digests: init.digests,
    texts,
    absent,
    load: syncLoader({ root: init.root, rootReal: init.rootReal, texts, absent }),
    hashes: init.hashes,
  };
  let parsers: Promise<void> | undefined;
  let workspace: WorkspaceFacts | undefined;

  const handle = async (req: WorkerRequest): Promise<WorkerReply> => {
    if (req.type === 'facts') {
      workspace = req.workspace;
      return { type: 'ok' };
    }
    const replies: WorkerReply & { type: 'files' } = { type: 'files', results: [] };
    for (const job of req.jobs) {
      let f: ScannedFile | undefined;
      let hash: string | undefined;
      // The kind depends on the name and text only: a text the cache has seen needs no classifying.
      const kindOf = (text: string) => (job.cached && (hash = sha256(text)) === job.cached.hash ? job.cached.kind : detectKind(job.file, text));
      try {
        f = job.text !== undefined ? { file: job.file, kind: job.kind!, text: job.text } : readCandidateSync(init.root, init.rootReal, { file: job.file, link: job.link ?? false }, kindOf);
      } catch (e) {
        replies.results.push(vanished(e) ? { file: job.file, none: true } : { file: job.file, error: errorMessage(e) });
        continue;
      }
      if (!f) {
        replies.results.push({ file: job.file, none: true });
        continue;
      }
      if (job.cached && job.cached.hash === (hash ?? sha256(f.text)) && (await depsUnchanged(job.cached.deps, env))) {
        replies.results.push({ file: job.file, hit: true });
        continue;
      }
      parsers ??= initParsers();
      await parsers;
      replies.results.push({ file: job.file, outcome: await analyzeFile(f, env, req.phase === 2 ? workspace : undefined) });
    }
    return replies;
  };

  port.on('message', (req: WorkerRequest) => {
    handle(req).then(
      (reply) => port.postMessage(reply),
      (e: unknown) => port.postMessage({ type: 'failed', message: errorMessage(e) } satisfies WorkerReply),
    );
  });
}

if (workerData?.knownGoodAuditWorker) void main(workerData as WorkerInit);
