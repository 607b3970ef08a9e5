// The Known Good view's data without VS Code APIs: findings per file as the server sends them, and
// their grouping by rule (rule → file → finding) or by file (file → finding), sorted and counted.
import type { AuditedFolder, FileFindings, FindingsResult, ViewFinding } from '../../server/src/lsp/audit-protocol';

export type GroupBy = 'rule' | 'file';

/** A file with the findings shown under it. */
export interface FileGroup {
  file: FileFindings;
  /** "path" (or "folder/path" in a multi-root workspace). */
  label: string;
  findings: ViewFinding[];
}

/** A rule with its files. */
export interface RuleGroup {
  ruleId: string;
  count: number;
  /** The most severe finding's severity (the group's icon). */
  severity: ViewFinding['severity'];
  files: FileGroup[];
}

const SEVERITY_ORDER: ViewFinding['severity'][] = ['error', 'warning', 'info', 'hint'];
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byPosition = (a: ViewFinding, b: ViewFinding) =>
  a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || cmp(a.ruleId, b.ruleId);

/** The first sentence of a message, at most `max` characters (the tree row; the tooltip has it all). */
export function shortMessage(message: string, max = 100): string {
  const end = message.search(/[.:;](\s|$)/);
  const first = end > 0 ? message.slice(0, end) : message;
  return first.length > max ? `${first.slice(0, max - 1).trimEnd()}…` : first;
}

export class FindingsModel {
  private readonly files = new Map<string, FileFindings>();
  folders: AuditedFolder[] = [];
  revision = -1;

  /** Apply an answer of `knownGood/findings`: all files (`complete`), or just the files it lists. */
  apply(result: FindingsResult, complete: boolean): void {
    if (complete) this.files.clear();
    for (const f of result.files) {
      if (f.findings.length) this.files.set(f.uri, f);
      else this.files.delete(f.uri);
    }
    this.folders = result.folders;
    this.revision = Math.max(this.revision, result.revision);
  }

  /** Whether any folder was audited (the view shows results, not its welcome). */
  get audited(): boolean {
    return this.folders.length > 0;
  }

  get total(): number {
    let n = 0;
    for (const f of this.files.values()) n += f.findings.length;
    return n;
  }

  /** Files with findings, sorted by label. */
  byFile(): FileGroup[] {
    return [...this.files.values()].map((file) => this.group(file, file.findings)).sort((a, b) => cmp(a.label, b.label));
  }

  /** Rules (sorted by id) → files (sorted by label) → findings (by position). */
  byRule(): RuleGroup[] {
    const rules = new Map<string, Map<string, ViewFinding[]>>();
    for (const file of this.files.values()) {
      for (const f of file.findings) {
        const perFile = rules.get(f.ruleId) ?? new Map<string, ViewFinding[]>();
        perFile.set(file.uri, [...(perFile.get(file.uri) ?? []), f]);
        rules.set(f.ruleId, perFile);
      }
    }
    return [...rules]
      .map(([ruleId, perFile]) => {
        const files = [...perFile].map(([uri, list]) => this.group(this.files.get(uri)!, list)).sort((a, b) => cmp(a.label, b.label));
        const all = files.flatMap((g) => g.findings);
        const severity = SEVERITY_ORDER.find((s) => all.some((f) => f.severity === s)) ?? 'hint';
        return { ruleId, count: all.length, severity, files };
      })
      .sort((a, b) => cmp(a.ruleId, b.ruleId));
  }

  private group(file: FileFindings, findings: readonly ViewFinding[]): FileGroup {
    const folder = this.folders.find((f) => f.uri === file.folderUri);
    const label = this.folders.length > 1 && folder ? `${folder.name}/${file.path}` : file.path;
    return { file, label, findings: [...findings].sort(byPosition) };
  }
}
