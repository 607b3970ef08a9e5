// The files a fix reads (FixInput.files), loaded on demand: texts written by earlier fixes, then open
// documents, then the disk (inside the workspace folders only, size-capped); each remembers its source.
import { readFileSync, realpathSync, statSync } from 'fs';
import * as path from 'path';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { MAX_FILE_BYTES } from './files';
import { isInside, pathToUri, toPosix } from './uri';

/** Where the text of a file came from: what its edits must be computed against. */
export interface FileSource {
  uri: string;
  text: string;
  /** The open document's version, or null for a file read from disk (or written by an earlier fix). */
  version: number | null;
  /** An earlier fix created the file (it does not exist on disk). */
  created?: boolean;
}

export interface FixFilesOptions {
  /** Folders files may be read from and created in (posix, absolute); none: only open documents are read. */
  roots: readonly string[];
  /** The open document of a file path, if any. */
  openDoc: (file: string) => TextDocument | undefined;
}

/**
 * A ReadonlyMap of file texts that reads a file the first time the core asks for it (the core is
 * synchronous; the few files a fix reads are small). Iteration lists only the files loaded so far.
 */
export class FixFiles extends Map<string, string> {
  private readonly sources = new Map<string, FileSource>();
  private readonly absent = new Set<string>();

  constructor(private readonly options: FixFilesOptions) {
    super();
  }

  /** Use `text` for `file` (an earlier fix's result, or the analysed document). */
  put(file: string, source: FileSource): void {
    this.absent.delete(file);
    this.sources.set(file, source);
    super.set(file, source.text);
  }

  /** `file` does not exist (a file an undone fix had created). */
  discard(file: string): void {
    this.sources.delete(file);
    super.delete(file);
    this.absent.add(file);
  }

  /** Whether a fix may create `file`: inside a workspace folder (by path, and by real path where its folder exists). */
  mayCreate(file: string): boolean {
    return this.options.roots.some((r) => isInside(r, file)) && this.insideByRealPath(path.posix.dirname(file));
  }

  /** Where the text of `file` came from (loading it if needed). */
  source(file: string): FileSource | undefined {
    this.load(file);
    return this.sources.get(file);
  }

  override get(file: string): string | undefined {
    this.load(file);
    return super.get(file);
  }

  override has(file: string): boolean {
    this.load(file);
    return super.has(file);
  }

  private load(file: string): void {
    if (super.has(file) || this.absent.has(file)) return;
    const found = this.read(file);
    if (!found) return void this.absent.add(file);
    this.sources.set(file, found);
    super.set(file, found.text);
  }

  private read(file: string): FileSource | undefined {
    const absolute = path.posix.isAbsolute(file) || /^[A-Za-z]:\//.test(file);
    if (typeof file !== 'string' || !absolute || path.posix.normalize(file) !== file) return undefined;
    const doc = this.options.openDoc(file);
    if (doc) return { uri: doc.uri, text: doc.getText(), version: doc.version };
    if (!this.options.roots.some((r) => isInside(r, file)) || !this.insideByRealPath(file)) return undefined;
    try {
      const st = statSync(file);
      if (!st.isFile() || st.size > MAX_FILE_BYTES) return undefined;
      return { uri: pathToUri(file), text: readFileSync(file, 'utf8'), version: null };
    } catch {
      return undefined;
    }
  }

  /** A path that exists must resolve (links followed) inside a folder too; one that does not is judged by its path. */
  private insideByRealPath(file: string): boolean {
    let real: string;
    try {
      real = toPosix(realpathSync(file));
    } catch {
      return true;
    }
    return this.options.roots.some((r) => {
      let root = r;
      try {
        root = toPosix(realpathSync(r));
      } catch {
        // A folder that is gone: its path is all there is.
      }
      return isInside(root, real) || isInside(r, real);
    });
  }
}
