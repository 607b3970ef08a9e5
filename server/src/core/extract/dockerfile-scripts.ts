// Maps a script path inside the image back to the build context through the Dockerfile's COPY/ADD.
import * as path from 'path';
import type { ExtractContext, FileModel } from '../model';
import type { InvokedScript } from '../shell/types';
import { exactSource } from '../model';
import type { Location, Span } from '../types';

export interface CopyInfo {
  /** Sources as written (relative to the build context). */
  sources: string[];
  /** Absolute destination in the image (WORKDIR applied). */
  dest: string;
  location: Location;
  /** For a heredoc (`COPY <<EOF /start.sh`, `RUN <<EOF cat > /start.sh`): the body's span in the Dockerfile. */
  heredoc?: Span;
}

/** How many folders above the Dockerfile may be its build context (repositories often build from the root). */
const CONTEXT_DEPTH = 4;

/** Folders that may be the build context, nearest first. */
function contextCandidates(file: string): string[] {
  const out: string[] = [];
  let dir = path.posix.dirname(file);
  for (let i = 0; i <= CONTEXT_DEPTH; i++) {
    out.push(dir);
    const up = path.posix.dirname(dir);
    if (up === dir || dir === '.' || dir === '') break;
    dir = up;
  }
  return out;
}

/** The build-context path (relative to the context) that ends up at `target` in the image, by one COPY. */
function sourceFor(copy: CopyInfo, target: string): string | undefined {
  const destIsDir = copy.dest.endsWith('/') || copy.sources.length > 1;
  for (const src of copy.sources) {
    if (/^(https?|git):\/\//.test(src) || src.includes('*') || src.startsWith('<<')) continue;
    const clean = src.replace(/\/+$/, '') || '.';
    const dest = copy.dest.replace(/\/+$/, '') || '/';
    if (!destIsDir && target === dest) return clean;
    if (target === path.posix.join(dest, path.posix.basename(clean))) return clean;
    // A folder copied whole: `COPY . /app`, `COPY scripts/ /usr/local/bin/`.
    if (target.startsWith(dest === '/' ? '/' : `${dest}/`)) {
      const rest = target.slice(dest === '/' ? 1 : dest.length + 1);
      if (clean === '.' || !path.posix.extname(clean)) return path.posix.join(clean, rest);
    }
  }
  return undefined;
}

/**
 * Record the workspace files that may be the script `script` (at `target` in the image). Every
 * candidate is a dependency; the nearest one present in `ctx.files` becomes a ScriptReference.
 */
export function resolveScripts(model: FileModel, file: string, script: InvokedScript, target: string, copies: CopyInfo[], ctx: ExtractContext, runBy: Location): void {
  for (let i = copies.length - 1; i >= 0; i--) {
    const heredoc = copies[i].heredoc;
    if (heredoc) {
      if (target !== copies[i].dest.replace(/\/+$/, '')) continue;
      // The script is written by the Dockerfile itself: analyse its body where it stands.
      model.commands.push({ context: 'script', span: heredoc, script: exactSource(model.text.slice(heredoc.start, heredoc.end), heredoc.start) });
      return;
    }
    const src = sourceFor(copies[i], target);
    if (src === undefined) continue;
    const candidates = contextCandidates(file).map((dir) => path.posix.normalize(path.posix.join(dir, src)));
    const unique = [...new Set(candidates)].filter((c) => !c.startsWith('../') && c !== '..');
    model.dependencies.push(...unique);
    const found = unique.find((c) => ctx.files.has(c));
    if (found && !model.scripts.some((s) => s.path === found)) {
      model.scripts.push({ path: found, runBy, copiedBy: copies[i].location });
    }
    return;
  }
}
