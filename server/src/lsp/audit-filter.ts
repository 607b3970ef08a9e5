// Decides whether one file belongs to a folder's audit, as the full scan would: node_modules/.git,
// nested .gitignore files, `.knowngood.yaml` path ignores, knownGood.include/exclude, files.exclude.
import { promises as fs } from 'fs';
import * as path from 'path';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import { isPathIgnored, type IgnoreEntry } from '../core/config';
import { gitIgnored } from '../scan';
import { isIncluded, type EditorSettings } from './settings';

/** Folders the scan never walks. */
const ALWAYS_SKIPPED = new Set(['node_modules', '.git']);

const compiled = new Map<string, picomatch.Matcher>();
function compile(glob: string): picomatch.Matcher {
  let m = compiled.get(glob);
  if (!m) compiled.set(glob, (m = picomatch(glob.replace(/^\.\//, '').replace(/\/$/, ''), { dot: true })));
  return m;
}

/** Whether `rel` or one of its folders matches a VS Code `files.exclude` glob (relative to the folder). */
export function clientExcluded(globs: readonly string[], rel: string): boolean {
  if (!globs.length) return false;
  const matchers = globs.map(compile);
  const parts = rel.split('/');
  for (let i = 1; i <= parts.length; i++) {
    const prefix = parts.slice(0, i).join('/');
    if (matchers.some((m) => m(prefix))) return true;
  }
  return false;
}

export class AuditFilter {
  /** Parsed .gitignore per folder (relative; '' is the root); null when there is none. */
  private readonly gitignores = new Map<string, Ignore | null>();

  constructor(
    readonly root: string,
    private readonly ignoreEntries: readonly IgnoreEntry[],
    private readonly editor: Pick<EditorSettings, 'include' | 'exclude'>,
    readonly clientExclude: readonly string[],
  ) {}

  /** knownGood.include/exclude and files.exclude (what the scan itself does not know). */
  included(rel: string): boolean {
    return isIncluded(this.editor, rel) && !clientExcluded(this.clientExclude, rel);
  }

  /** Whether the scan would reach `rel` and the editor settings keep it (file contents not looked at). */
  async accepts(rel: string): Promise<boolean> {
    if (!rel || rel.startsWith('../') || path.posix.isAbsolute(rel)) return false;
    const parts = rel.split('/');
    const chain: { base: string; ig: Ignore }[] = [];
    for (let i = 0; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      const ig = await this.gitignore(dir);
      if (ig) chain.push({ base: dir, ig });
      const child = parts.slice(0, i + 1).join('/');
      const isDir = i < parts.length - 1;
      if (isDir && ALWAYS_SKIPPED.has(parts[i])) return false;
      if (isPathIgnored({ ignore: [...this.ignoreEntries] }, child)) return false;
      if (gitIgnored(chain, child, isDir)) return false;
    }
    return this.included(rel);
  }

  /** A .gitignore changed: forget the parsed files. */
  gitignoreChanged(): void {
    this.gitignores.clear();
  }

  private async gitignore(dir: string): Promise<Ignore | null> {
    let ig = this.gitignores.get(dir);
    if (ig === undefined) {
      const text = await fs.readFile(path.posix.join(this.root, dir, '.gitignore'), 'utf8').catch(() => undefined);
      ig = text === undefined ? null : ignore().add(text);
      this.gitignores.set(dir, ig);
    }
    return ig;
  }
}

