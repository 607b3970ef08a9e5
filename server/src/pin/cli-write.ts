// Rewrites a file atomically for `known-good pin`: temp file in the same folder, same mode, rename.
import { randomBytes } from 'crypto';
import { promises as fs } from 'fs';
import * as path from 'path';

/** Why a file was not rewritten (it changed since it was read, it is not UTF-8, the folder is read-only). */
export class WriteRefused extends Error {}

/**
 * Replace the file at `file` by `after`, provided it still holds exactly `before`. The new content
 * goes to a temporary file next to the real file (symbolic links are followed, so the link stays a
 * link), gets the original's permission bits, and is renamed over it: readers see the old or the
 * new file, never half of one. Files that are not valid UTF-8 are refused rather than re-encoded,
 * and so is a link to a file outside `root` when `root` is given.
 */
export async function rewriteFile(file: string, before: string, after: string, root?: string): Promise<void> {
  const real = await fs.realpath(file);
  if (root !== undefined) {
    const realRoot = await fs.realpath(root);
    if (!real.startsWith(realRoot + path.sep)) throw new WriteRefused('is a link to a file outside the root; left unchanged');
  }
  const bytes = await fs.readFile(real);
  const current = bytes.toString('utf8');
  if (!Buffer.from(current, 'utf8').equals(bytes)) throw new WriteRefused('not valid UTF-8; left unchanged');
  if (current !== before) throw new WriteRefused('changed while pinning; left unchanged');
  const { mode } = await fs.stat(real);
  const temp = path.join(path.dirname(real), `.${path.basename(real)}.${process.pid}.${randomBytes(4).toString('hex')}.kg-tmp`);
  try {
    await fs.writeFile(temp, after, { encoding: 'utf8', mode: mode & 0o7777, flag: 'wx' });
    // The umask may have narrowed the mode given to writeFile.
    await fs.chmod(temp, mode & 0o7777);
    await fs.rename(temp, real);
  } catch (e) {
    await fs.unlink(temp).catch(() => undefined);
    throw e;
  }
}
