// Resolves the root folder and the paths given on the command line (shared by audit and pin).
import { promises as fs } from 'fs';
import * as path from 'path';

/** The absolute root and paths, or the one-line message explaining why they are unusable. */
export async function resolveTargets(cwd: string, root: string | undefined, paths: readonly string[]): Promise<{ root: string; paths: string[] } | { error: string }> {
  const abs = path.resolve(cwd, root ?? '.');
  const rootStat = await fs.stat(abs).catch(() => undefined);
  if (!rootStat?.isDirectory()) return { error: `root ${root ?? abs} is not a folder` };
  const out: string[] = [];
  for (const p of paths) {
    const full = path.resolve(cwd, p);
    if (!(await fs.stat(full).catch(() => undefined))) return { error: `no such file or folder: ${p}` };
    const rel = path.relative(abs, full);
    if (rel.startsWith('..') || path.isAbsolute(rel)) return { error: `${p} is outside the root ${abs} (use --root)` };
    out.push(full);
  }
  return { root: abs, paths: out };
}
