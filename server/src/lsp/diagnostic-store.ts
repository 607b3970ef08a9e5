// Holds diagnostics per source (an open document, the workspace audit) and target URI, and
// publishes the union per target, so findings one file reports in another (a Dockerfile's findings
// in its entrypoint script) coexist with the target's own.
import type { Diagnostic } from 'vscode-languageserver';

/** Source key of diagnostics published by the workspace audit. */
export const AUDIT_SOURCE = 'known-good:audit';

/**
 * A target's diagnostics, or how to make them when published: the audit's thousands of files keep
 * their findings once (in the audit) instead of a second copy as LSP diagnostics.
 */
export type Diagnostics = Diagnostic[] | (() => Diagnostic[]);

const resolve = (d: Diagnostics | undefined): Diagnostic[] => (typeof d === 'function' ? d() : (d ?? []));

export class DiagnosticStore {
  private readonly bySource = new Map<string, Map<string, Diagnostics>>();

  constructor(private readonly publish: (uri: string, diagnostics: Diagnostic[]) => void) {}

  /** Replace everything `source` reports; targets it no longer reports in are cleared. */
  set(source: string, perTarget: ReadonlyMap<string, Diagnostics>): void {
    const affected = new Set<string>([...(this.bySource.get(source)?.keys() ?? []), ...perTarget.keys()]);
    this.bySource.set(source, new Map(perTarget));
    this.flush(affected);
  }

  /** Forget a source (its document closed). */
  delete(source: string): void {
    const old = this.bySource.get(source);
    if (!old) return;
    this.bySource.delete(source);
    this.flush(new Set(old.keys()));
  }

  /** Drop what `source` reports in one target (an audit result superseded by live analysis). */
  deleteTarget(source: string, target: string): void {
    const map = this.bySource.get(source);
    if (!map?.delete(target)) return;
    this.flush(new Set([target]));
  }

  /** Replace what `source` reports in one target (an incremental audit update); an empty list removes it. */
  setTarget(source: string, target: string, diagnostics: Diagnostic[]): void {
    let map = this.bySource.get(source);
    if (!map) this.bySource.set(source, (map = new Map()));
    const had = map.has(target);
    if (diagnostics.length) map.set(target, diagnostics);
    else map.delete(target);
    if (had || diagnostics.length) this.flush(new Set([target]));
  }

  /** Current union of diagnostics for a target. */
  get(target: string): Diagnostic[] {
    const seen = new Set<string>();
    const out: Diagnostic[] = [];
    // The target's own analysis comes first, so its copy of a duplicate wins.
    const own = resolve(this.bySource.get(target)?.get(target));
    const others = [...this.bySource].filter(([s]) => s !== target).flatMap(([, m]) => resolve(m.get(target)));
    for (const d of [...own, ...others]) {
      const r = d.range;
      const key = `${String(d.code)}|${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(d);
    }
    return out;
  }

  /** Every target that currently has diagnostics. */
  targets(): string[] {
    const all = new Set<string>();
    // A deferred list is only stored for a target with findings.
    for (const m of this.bySource.values()) for (const [t, d] of m) if (typeof d === 'function' || d.length) all.add(t);
    return [...all];
  }

  private flush(targets: Set<string>): void {
    for (const t of targets) this.publish(t, this.get(t));
  }
}
