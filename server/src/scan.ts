// Workspace scanner: a streaming, bounded-concurrency directory walk that honours nested .gitignore
// files and `.knowngood.yaml` path ignores, and keeps the files whose kind the core understands.
import * as fsSync from 'fs';
import { promises as fs, type Dirent } from 'fs';
import * as path from 'path';
import ignore, { type Ignore } from 'ignore';
import { isPathIgnored, type IgnoreEntry } from './core/config';
import { detectKind } from './core/detect';
import type { FileKind } from './core/types';

/** A file the scan kept: path relative to the root (posix), its kind and its text. */
export interface ScannedFile {
  file: string;
  kind: FileKind;
  text: string;
}

export interface ScanError {
  file: string;
  message: string;
}

export interface ScanOptions {
  signal?: AbortSignal;
  /** `.knowngood.yaml` ignore entries: whole-file entries prune the walk. */
  ignore?: IgnoreEntry[];
  /** Directories read at once (default 16). */
  concurrency?: number;
  /**
   * Report files that are candidates by name here instead of reading them and calling `onFile`
   * (the audit's worker threads read them with `readCandidateSync`).
   */
  discoverOnly?: (c: Candidate) => void;
  /**
   * Use synchronous file-system calls (a third of the cost of asynchronous ones): only where nothing
   * else waits on the event loop, as in the CLI. Never in the language server.
   */
  blocking?: boolean;
}

/** The file-system calls the walk makes, asynchronous or (wrapped) synchronous. */
interface WalkIo {
  realpath(p: string): Promise<string>;
  readText(p: string): Promise<string | undefined>;
  entries(dir: string): Promise<Dirent[]>;
  stat(p: string): Promise<{ isDirectory(): boolean; isFile(): boolean }>;
}

const ASYNC_IO: WalkIo = {
  realpath: (p) => fs.realpath(p),
  readText,
  entries: (dir) => fs.readdir(dir, { withFileTypes: true }),
  stat: (p) => fs.stat(p),
};

const BLOCKING_IO: WalkIo = {
  realpath: async (p) => fsSync.realpathSync.native(p),
  readText: async (p) => {
    try {
      return fsSync.readFileSync(p, 'utf8');
    } catch {
      return undefined;
    }
  },
  entries: async (dir) => fsSync.readdirSync(dir, { withFileTypes: true }),
  stat: async (p) => fsSync.statSync(p),
}

/** A file the walk would read: kept by name; `readCandidateSync` decides by content. */
export interface Candidate {
  /** Posix path relative to the root. */
  file: string;
  /** Reached through a symbolic link (read only when its real path is inside the root). */
  link: boolean;
}

/** Folders never walked, whatever the ignore files say. */
const ALWAYS_SKIPPED = new Set(['node_modules', '.git']);
/** Files larger than this are not read (no supported file is that large in practice). */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
const CANDIDATE_EXTENSIONS = ['.json', '.json.tftpl', '.tftpl', '.tpl', '.tmpl', '.yaml', '.yml', '.template', '.tf', '.sh', '.bash'];

/** Whether a file name could be a supported kind by its name alone (`shebang` = needs a look inside). */
export function candidateByName(name: string): 'yes' | 'shebang' | 'no' {
  const lower = name.toLowerCase();
  if (lower.includes('dockerfile') || lower.includes('containerfile')) return 'yes';
  if (CANDIDATE_EXTENSIONS.some((ext) => lower.endsWith(ext))) return 'yes';
  // Only extension-less names (`docker-entrypoint`; not dotfiles such as `.env`) may be scripts with a shebang.
  if (!lower.includes('.')) return 'shebang';
  return 'no';
}

/** Resolve `p` (absolute or relative to `root`) to a posix path relative to `root`; undefined when outside. */
export function relativeTo(root: string, p: string): string | undefined {
  const rel = path.relative(root, path.resolve(root, p));
  if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join('/');
}

export interface GitIgnore {
  /** Folder of the .gitignore, relative to the root ('' for the root). */
  base: string;
  ig: Ignore;
}

/** Gitignore semantics across nested files: the deepest file with a matching rule decides. */
export function gitIgnored(chain: readonly GitIgnore[], rel: string, isDir: boolean): boolean {
  for (let i = chain.length - 1; i >= 0; i--) {
    const { base, ig } = chain[i];
    const sub = base ? rel.slice(base.length + 1) : rel;
    let r: { ignored: boolean; unignored: boolean };
    try {
      r = ig.test(isDir ? `${sub}/` : sub);
    } catch {
      continue; // `ignore` refuses names such as `...`; no pattern can mean them
    }
    if (r.ignored) return true;
    if (r.unignored) return false;
  }
  return false;
}

/**
 * Walk `root` (restricted to `paths`, files or folders, absolute or relative to root) and call
 * `onFile` for every supported file. Unreadable entries and symlink loops go to `onError`.
 * Real folders are walked concurrently; folders reached through symbolic links afterwards, one at a
 * time in sorted order, so which path a file is reported under does not depend on timing.
 */
export async function walk(
  root: string,
  paths: readonly string[] | undefined,
  options: ScanOptions,
  onFile: (f: ScannedFile) => void,
  onError: (e: ScanError) => void,
): Promise<void> {
  const signal = options.signal;
  const targets = paths?.length ? paths.map((p) => relativeTo(root, p)) : [''];
  if (targets.some((t) => t === undefined)) throw new Error(`a path to audit is outside the root ${root}`);
  const wanted = [...new Set(targets as string[])];
  const within = (rel: string) => wanted.some((t) => t === '' || rel === t || rel.startsWith(`${t}/`));
  const onRoute = (rel: string) => within(rel) || wanted.some((t) => t.startsWith(`${rel}/`));
  /** Named on the command line, or a folder on the way to something named: walked even if git-ignored. */
  const explicit = (rel: string) => wanted.some((t) => t !== '' && (t === rel || t.startsWith(`${rel}/`)));
  const pathIgnored = (rel: string) => isPathIgnored({ ignore: options.ignore ?? [] }, rel);
  const visited = new Set<string>();
  /** `real`: the folder's real path when known without asking (a plain folder inside a known one). */
  type Job = { abs: string; rel: string; chain: GitIgnore[]; real?: string };
  const queue: Job[] = [{ abs: root, rel: '', chain: [] }];
  const links: Job[] = [];
  const limit = Math.max(1, options.concurrency ?? 16);
  const read = semaphore(limit * 4);

  const io = options.blocking ? BLOCKING_IO : ASYNC_IO;
  let rootReal: string | undefined;
  const visitDir = async ({ abs, rel, chain: parentChain, real: knownReal }: Job): Promise<void> => {
    const real = knownReal ?? (await io.realpath(abs));
    rootReal ??= real;
    // A link out of the workspace (to /usr, to a home folder) is not part of it.
    if (real !== rootReal && !real.startsWith(rootReal + path.sep)) return;
    if (visited.has(real)) {
      const parentReal = await io.realpath(path.dirname(abs));
      if (parentReal === real || parentReal.startsWith(real + path.sep)) onError({ file: rel, message: 'symbolic link loop; not followed' });
      return;
    }
    visited.add(real);
    let chain = parentChain;
    const listing = await io.entries(abs);
    // Read .gitignore only where the listing has one (a failed open per folder is costly).
    if (listing.some((e) => e.name === '.gitignore')) {
      const gi = await io.readText(path.join(abs, '.gitignore'));
      if (gi !== undefined) chain = [...parentChain, { base: rel, ig: ignore().add(gi) }];
    }
    const files: Promise<void>[] = [];
    for (const entry of listing) {
      signal?.throwIfAborted();
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      const childAbs = path.join(abs, entry.name);
      const t = await entryType(entry, childAbs, io);
      if (t.type === 'broken') {
        const loop = (t.error as NodeJS.ErrnoException)?.code === 'ELOOP';
        if (within(childRel) && (loop || candidateByName(entry.name) === 'yes')) onError({ file: childRel, message: loop ? 'symbolic link loop; not followed' : 'broken symbolic link' });
      } else if (t.type === 'dir') {
        if (ALWAYS_SKIPPED.has(entry.name) || !onRoute(childRel) || pathIgnored(childRel)) continue;
        let childChain = chain;
        if (gitIgnored(chain, childRel, true)) {
          if (!explicit(childRel)) continue;
          childChain = []; // asked for by name: the rules that exclude it do not apply inside it
        }
        if (entry.isSymbolicLink()) links.push({ abs: childAbs, rel: childRel, chain: childChain });
        else queue.push({ abs: childAbs, rel: childRel, chain: childChain, real: path.join(real, entry.name) });
      } else if (t.type === 'file' && within(childRel)) {
        if ((gitIgnored(chain, childRel, false) && !explicit(childRel)) || pathIgnored(childRel)) continue;
        const link = entry.isSymbolicLink();
        if (options.discoverOnly) {
          if (candidateByName(entry.name) !== 'no') options.discoverOnly({ file: childRel, link });
          continue;
        }
        files.push(
          read(async () => (options.blocking ? readCandidateSync(root, rootReal!, { file: childRel, link }) : readCandidate(childAbs, childRel, entry.name, link ? rootReal : undefined))).then(
            (f) => f && onFile(f),
            (e) => void (vanished(e) || onError({ file: childRel, message: errorMessage(e) })),
          ),
        );
      }
    }
    await Promise.all(files);
  };

  let active = 0;
  await new Promise<void>((resolve, reject) => {
    let failed = false;
    const fail = (e: unknown) => {
      if (!failed) reject(e);
      failed = true;
    };
    const pump = () => {
      if (failed) return;
      if (signal?.aborted) return fail(signal.reason);
      if (active === 0 && !queue.length && links.length) {
        links.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
        queue.push(links.shift()!);
      }
      while (active < limit && queue.length) {
        const job = queue.shift()!;
        active++;
        visitDir(job)
          .catch((e) => {
            if (signal?.aborted) throw e;
            // A folder deleted while the walk runs is no longer part of the workspace: not an error.
            if (!vanished(e)) onError({ file: job.rel || '.', message: errorMessage(e) });
          })
          .then(() => {
            active--;
            pump();
          }, fail);
      }
      if (active === 0 && !queue.length && !links.length) resolve();
    };
    pump();
  });
}

/** Run at most `n` tasks at once (file reads: a folder of 10,000 files must not open them all). */
function semaphore(n: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (running >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await task();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}

/** What a directory entry is, following symbolic links; a link that cannot be followed is `broken`. */
async function entryType(entry: Dirent, abs: string, io: WalkIo): Promise<{ type: 'dir' | 'file' | 'other' } | { type: 'broken'; error: unknown }> {
  if (entry.isDirectory()) return { type: 'dir' };
  if (entry.isFile()) return { type: 'file' };
  if (!entry.isSymbolicLink()) return { type: 'other' }; // sockets, FIFOs, devices are never read
  try {
    const st = await io.stat(abs);
    return { type: st.isDirectory() ? 'dir' : st.isFile() ? 'file' : 'other' };
  } catch (error) {
    return { type: 'broken', error };
  }
}

async function readText(abs: string): Promise<string | undefined> {
  try {
    return await fs.readFile(abs, 'utf8');
  } catch {
    return undefined;
  }
}

/** Whether an error says the entry no longer exists (deleted while the walk ran). */
export function vanished(e: unknown): boolean {
  return (e as NodeJS.ErrnoException)?.code === 'ENOENT';
}

/**
 * Read a file whose name makes it a candidate and keep it when `detectKind` recognises it. A symbolic
 * link (`within` is then the root's real path) is read only when it resolves inside the root.
 */
export async function readCandidate(abs: string, rel: string, name: string, within?: string): Promise<ScannedFile | undefined> {
  const byName = candidateByName(name);
  if (byName === 'no') return undefined;
  if (within !== undefined) {
    const real = await fs.realpath(abs);
    if (real !== within && !real.startsWith(within + path.sep)) return undefined;
  }
  if (byName === 'shebang') {
    const handle = await fs.open(abs, 'r');
    try {
      const head = Buffer.alloc(2);
      const { bytesRead } = await handle.read(head, 0, 2, 0);
      if (bytesRead < 2 || head.toString('latin1') !== '#!') return undefined;
    } finally {
      await handle.close();
    }
  }
  const st = await fs.stat(abs);
  if (st.size > MAX_FILE_BYTES) {
    // Not read whole; said so when its first bytes show a supported file (a huge data.json is not).
    const head = await readHead(abs, 64 * 1024);
    if (detectKind(rel, head, undefined, 0)) throw new Error(`larger than ${MAX_FILE_BYTES / (1024 * 1024)} MB; not read`);
    return undefined;
  }
  const text = await fs.readFile(abs, 'utf8');
  const kind = detectKind(rel, text);
  return kind ? { file: rel, kind, text } : undefined;
}

/**
 * `readCandidate` with synchronous reads, for worker threads and the CLI (synchronous calls cost a
 * third of the asynchronous ones). `rootReal` is the root's real path; `kindOf` classifies the text
 * (the audit cache knows the kind of a text it has seen).
 */
export function readCandidateSync(root: string, rootReal: string, c: Candidate, kindOf: (text: string) => FileKind | undefined = (t) => detectKind(c.file, t)): ScannedFile | undefined {
  const abs = path.join(root, c.file);
  const byName = candidateByName(path.posix.basename(c.file));
  if (byName === 'no') return undefined;
  if (c.link) {
    const real = fsSync.realpathSync.native(abs);
    if (real !== rootReal && !real.startsWith(rootReal + path.sep)) return undefined;
  }
  const fd = fsSync.openSync(abs, 'r');
  try {
    if (byName === 'shebang') {
      const head = Buffer.alloc(2);
      if (fsSync.readSync(fd, head, 0, 2, 0) < 2 || head.toString('latin1') !== '#!') return undefined;
    }
    const size = fsSync.fstatSync(fd).size;
    if (size > MAX_FILE_BYTES) {
      const head = Buffer.alloc(64 * 1024);
      const n = fsSync.readSync(fd, head, 0, head.length, 0);
      if (detectKind(c.file, head.subarray(0, n).toString('utf8'), undefined, 0)) throw new Error(`larger than ${MAX_FILE_BYTES / (1024 * 1024)} MB; not read`);
      return undefined;
    }
    const text = fsSync.readFileSync(fd, 'utf8');
    const kind = kindOf(text);
    return kind ? { file: c.file, kind, text } : undefined;
  } finally {
    fsSync.closeSync(fd);
  }
}

async function readHead(abs: string, bytes: number): Promise<string> {
  const handle = await fs.open(abs, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

export function errorMessage(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err?.code === 'EACCES' || err?.code === 'EPERM') return 'permission denied';
  if (err?.code === 'ELOOP') return 'symbolic link loop; not followed';
  return e instanceof Error ? e.message : String(e);
}
