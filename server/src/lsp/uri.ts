// Converts between document URIs and the posix paths the core analyses.
import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';

/** Posix form of a file-system path (`C:\a\b` → `C:/a/b` on Windows; unchanged elsewhere). */
export function toPosix(p: string): string {
  return path.sep === '\\' ? p.replace(/\\/g, '/') : p;
}

/** The file-system path of a `file:` URI in posix form, or undefined for other schemes. */
export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return toPosix(fileURLToPath(uri));
  } catch {
    return undefined;
  }
}

/** A `file:` URI for an absolute posix path. */
export function pathToUri(p: string): string {
  return pathToFileURL(p).href;
}

/** The path to analyse a document under: its file path, or the URI's path part for `untitled:` and others. */
export function documentPath(uri: string): string {
  const p = uriToPath(uri);
  if (p !== undefined) return p;
  const colon = uri.indexOf(':');
  try {
    return decodeURIComponent(uri.slice(colon + 1).replace(/^\/\//, ''));
  } catch {
    return uri.slice(colon + 1);
  }
}

/** Whether `child` is `parent` or inside it (posix paths). */
export function isInside(parent: string, child: string): boolean {
  const rel = path.posix.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.posix.isAbsolute(rel));
}
