// Reads workspace files asynchronously, preferring the text of documents open in the editor.
import { promises as fs } from 'fs';

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

/** A reader that answers from open documents first (what the user sees), then from disk. */
export function overlayReader(openText: (file: string) => string | undefined): (file: string) => Promise<string | undefined> {
  return async (file) => openText(file) ?? readFileText(file);
}
