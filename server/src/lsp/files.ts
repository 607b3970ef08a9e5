// Reads workspace files asynchronously, preferring the text of documents open in the editor.
import { promises as fs } from 'fs';
import { isInside, toPosix } from './uri';

/** Files larger than this are not read as dependencies or indexed (no entrypoint script is this big). */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;

/** Read a UTF-8 file; undefined when it does not exist, is not a regular file, is too big or unreadable. */
export async function readFileText(file: string): Promise<string | undefined> {
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile() || stat.size > MAX_FILE_BYTES) return undefined;
    return await fs.readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * A reader that answers from open documents first (what the user sees), then from disk. With `roots`
 * (the workspace folders), nothing outside them is read: not `../../etc/passwd`, not a link that
 * resolves out of every folder, and with no folder open, nothing at all.
 */
export function overlayReader(openText: (file: string) => string | undefined, roots?: () => readonly string[]): (file: string) => Promise<string | undefined> {
  return async (file) => {
    if (roots && !(await insideRoots(file, roots()))) return undefined;
    return openText(file) ?? readFileText(file);
  };
}

/** Whether `file` (posix, absolute) is inside one of `roots`, by its path and, when it exists, by its real path. */
export async function insideRoots(file: string, roots: readonly string[]): Promise<boolean> {
  if (!roots.some((r) => isInside(r, file))) return false;
  let real: string;
  try {
    real = toPosix(await fs.realpath(file));
  } catch {
    return true; // not on disk: only an open document can answer for it
  }
  for (const root of roots) {
    const rootReal = await fs.realpath(root).then(toPosix, () => root);
    if (isInside(rootReal, real)) return true;
  }
  return false;
}
