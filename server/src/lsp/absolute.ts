// Audit outcomes name files relative to the audited root; the language server names them by absolute path.
import type { FileOutcome } from '../audit-file';
import type { Location } from '../core/types';
import type { FileFacts } from '../core/workspace';
import type { FileEntry } from './folder-audit';

const joiner = (root: string) => (file: string) => (root.endsWith('/') ? root + file : `${root}/${file}`);

/** Facts with absolute paths. */
export function absoluteFacts(facts: FileFacts, root: string): FileFacts {
  const abs = joiner(root);
  return {
    imageTags: facts.imageTags.map((t) => ({ ...t, file: abs(t.file) })),
    scripts: facts.scripts.map((sc) => ({
      path: abs(sc.path),
      runner: { runBy: { ...sc.runner.runBy, file: abs(sc.runner.runBy.file) }, copiedBy: sc.runner.copiedBy && { ...sc.runner.copiedBy, file: abs(sc.runner.copiedBy.file) } },
    })),
  };
}

/** An audit outcome as the server's entry for the file. */
export function absoluteEntry(o: FileOutcome, root: string): FileEntry {
  const abs = joiner(root);
  const loc = <T extends { location: Location }>(x: T): T => ({ ...x, location: { ...x.location, file: abs(x.location.file) } });
  return {
    file: abs(o.file),
    kind: o.kind,
    facts: o.facts && absoluteFacts(o.facts, root),
    findings: o.findings.map((f) => ({ ...loc(f), related: f.related?.map(loc) })),
    dependencies: o.dependencies.map(abs),
  };
}
