// What the transforms for a download in a task-definition, CloudFormation, Terraform or compose command
// share: the finding's command and container, the download group located afresh, the checks on the
// paths the container sees at run time, and the command file's edits replaced by the checked rewrite.
import * as path from 'path';
import type { CommandSite } from '../model';
import { analyzeArgv, analyzeScript } from '../shell/analyze';
import type { Download } from '../shell/types';
import type { RawFinding } from '../types';
import { stripEdits, type CommandDoc, type ExecShell } from './command-strip';
import type { ContainerNode } from './container-node';
import type { Located } from './shell-chain';
import { notFixable, type Fix, type FixInput } from './types';
import { locateGroup, type DownloadSource } from './vendor-core';

const OS = new Set(['apt', 'apk', 'rpm', 'zypper']);

/** Everything the external transforms share about one finding. */
export interface ExternalCase {
  finding: RawFinding;
  input: FixInput;
  kind: Download['kind'];
  doc: CommandDoc;
  /** Index of the command in `doc.model.commands`. */
  index: number;
  site: CommandSite;
  container: ContainerNode;
}

/** The finding's download group, located afresh (the levels are edited per fix), and the exec-form `sh -c` it sits in. */
export function locateFor(c: ExternalCase): { src: DownloadSource; group: Located[]; exec?: ExecShell } {
  const downloads = c.site.script ? analyzeScript(c.site.script) : c.site.argv ? analyzeArgv(c.site.argv) : [];
  const src: DownloadSource = { file: c.doc.file, text: c.doc.text, site: c.site };
  const group = locateGroup(src, downloads, c.finding.location.span, c.kind);
  // A `sh -c "…"` whose string expands variables is not descended into: the step found is the shell itself.
  if (group.some((g) => g.command.resolved.nested.length)) notFixable('the install is inside a `sh -c` string that expands variables, which Known Good does not rewrite');
  let root = group[0].level;
  while (root.parent) root = root.parent.level;
  let exec: ExecShell | undefined;
  if (root.exec) {
    if (root.exec.simpleShell) exec = { argv: root.exec.argv, shell: root.exec.shell, payload: root.exec.payload };
    // The list is rewritten here, in the file's own form, once the deletions are known.
    root.exec.simpleShell = false;
  }
  return { src, group, exec };
}

/**
 * Refuse when what the install reads or writes is hidden or moved at run time: a working directory or a
 * mount over the directory it runs in (or over a path it names) means the build would not see the same files.
 */
export function checkRuntimePaths(c: ExternalCase, group: Located[], imageWorkdir: string | undefined): void {
  const os = OS.has(group[0].download.ecosystem);
  const wd = c.container.workingDir;
  if (wd === null && !os) notFixable('the container\'s working directory is not a plain path, so where the install runs is not known');
  if (wd !== undefined && wd !== null && imageWorkdir !== undefined && path.posix.resolve('/', wd) !== imageWorkdir && !os)
    notFixable(`the container runs in ${wd} (its working directory), not in the Dockerfile's WORKDIR ${imageWorkdir}`);
  const cwd = wd ?? imageWorkdir;
  const mounts = c.container.mounts;
  if (!mounts.length) return;
  const who = c.doc.model.kind === 'compose' ? 'service' : 'container';
  if (mounts.includes(null)) notFixable(`the ${who} mounts volumes at paths that are not written out`);
  const paths = group.flatMap((g) => g.command.words.map((w) => w.value).filter((v) => v.startsWith('/')));
  if (!os) {
    if (cwd === undefined) notFixable(`the ${who} mounts volumes and its working directory is not known`);
    paths.push(path.posix.resolve('/', cwd));
  }
  for (const m of mounts as string[]) {
    const target = path.posix.resolve('/', m);
    const hit = paths.find((p) => p === target || p.startsWith(target === '/' ? '/' : `${target}/`));
    if (hit) notFixable(`the ${who} mounts a volume at ${m}${hit === target ? ', where the install runs' : `, over ${hit}`}: the image's files there are hidden when it runs`);
  }
}

/** The fetched values a fix needs, with placeholders (only to check that the rest of the fix can be built). */
export function withFakeNeeds(input: FixInput, f: Fix): FixInput {
  const checksums = new Map(input.checksums ?? []);
  const digests = new Map(input.digests ?? []);
  const fake = `sha256:${'0'.repeat(64)}`;
  for (const n of f.needs ?? []) {
    if (n.kind === 'download-sha256') checksums.set(n.url, fake);
    else digests.set(n.reference, fake);
  }
  return { ...input, checksums, digests };
}

/** Replace the command file's deletions by the checked rewrite of the command. */
export function finish(c: ExternalCase, f: Fix, exec: ExecShell | undefined): Fix {
  const removal = f.edits.find((e) => e.file === c.doc.file)?.edits ?? [];
  const rest = f.edits.filter((e) => e.file !== c.doc.file);
  return { ...f, edits: [{ file: c.doc.file, edits: stripEdits(c.doc, c.index, removal, exec) }, ...rest] };
}
