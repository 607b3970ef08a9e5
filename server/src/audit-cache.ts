// The CLI's on-disk audit cache (`--cache`): per file, the content hash of the file and of every
// dependency it read, and what its analysis produced. A file whose hashes still match is not
// analysed again. The whole cache is discarded when the tool, its build, the rules or the settings differ.
import { promises as fs, statSync } from 'fs';
import * as path from 'path';
import type { FileOutcome } from './audit-file';
import type { Rule } from './core/rule';
import type { Settings } from './core/types';

const FORMAT = 1;

interface CacheFile {
  format: number;
  key: string;
  entries: Record<string, FileOutcome>;
}

/** What invalidates every entry: the format, the tool's version and build, the rules, the settings. */
export function cacheKey(version: string, rules: readonly Rule[], settings: Settings): string {
  let build = '';
  try {
    // The running bundle (or module): a rebuilt tool may analyse differently under the same version.
    const st = statSync(require.main?.filename ?? __filename);
    build = `${st.size}:${st.mtimeMs}`;
  } catch {
    // no build stamp: the version alone
  }
  return JSON.stringify({ version, build, rules: rules.map((r) => r.meta.id), settings: { rules: settings.rules, ignore: settings.ignore, maxFileSize: settings.maxFileSize } });
}

export class AuditCache {
  private constructor(
    readonly file: string,
    private readonly key: string,
    readonly previous: ReadonlyMap<string, FileOutcome>,
  ) {}

  /** The cache at `file` for this key; empty when missing, unreadable, damaged or made with another key. */
  static async open(file: string, key: string): Promise<AuditCache> {
    let previous = new Map<string, FileOutcome>();
    try {
      const parsed = JSON.parse(await fs.readFile(file, 'utf8')) as CacheFile;
      if (parsed?.format === FORMAT && parsed.key === key && parsed.entries && typeof parsed.entries === 'object') previous = new Map(Object.entries(parsed.entries));
    } catch {
      // a missing or damaged cache is an empty one
    }
    return new AuditCache(file, key, previous);
  }

  /** Write the entries of this run (only them: files gone since are dropped), atomically. */
  async save(entries: readonly FileOutcome[]): Promise<void> {
    // Every file answered from the cache and none gone: the file on disk already holds this.
    if (entries.length === this.previous.size && entries.every((e) => this.previous.get(e.file) === e)) return;
    const out: CacheFile = { format: FORMAT, key: this.key, entries: Object.fromEntries(entries.map((e) => [e.file, e])) };
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    await fs.writeFile(tmp, JSON.stringify(out));
    await fs.rename(tmp, this.file);
  }
}
