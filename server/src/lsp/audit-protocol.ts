// Messages of the workspace audit's view and export, shared by the server and the VS Code client (types only).
import type { Range } from 'vscode-languageserver-types';
import type { AuditWorkspaceParams } from './protocol';

/** Parameters of `knownGood/auditWorkspace` as the VS Code client sends them (adds the editor's excludes). */
export interface AuditRequestParams extends AuditWorkspaceParams {
  /**
   * Globs (relative to the folder, VS Code `files.exclude` syntax) whose files and folders the audit
   * skips, per folder URI. Kept for the incremental updates after the audit.
   */
  exclude?: Record<string, string[]>;
}

/** Request: the findings of the audited folders, grouped by the file they are reported in. */
export const FINDINGS_REQUEST = 'knownGood/findings';

/** Parameters of `knownGood/findings`. */
export interface FindingsParams {
  /** Only these files (as announced by {@link FINDINGS_CHANGED_NOTIFICATION}); every file when omitted. */
  uris?: string[];
}

/** One finding as the view shows it. */
export interface ViewFinding {
  ruleId: string;
  severity: 'error' | 'warning' | 'info' | 'hint';
  message: string;
  /** Zero-based LSP range in the file. */
  range: Range;
  /** The rule's documentation page. */
  docUrl: string;
}

/** The findings reported in one file (an empty list: the file has none now). */
export interface FileFindings {
  uri: string;
  /** The workspace folder the file belongs to. */
  folderUri: string;
  /** Posix path relative to that folder. */
  path: string;
  findings: ViewFinding[];
}

/** A folder's audit state. */
export interface AuditedFolder {
  uri: string;
  name: string;
  /** Supported files audited (kept current by incremental updates). */
  files: number;
  /** The audit was cancelled: results cover part of the folder. */
  partial: boolean;
}

/** Result of `knownGood/findings`. */
export interface FindingsResult {
  /** Increases with every change; a client can drop answers older than what it has. */
  revision: number;
  /** Folders audited so far (empty before the first audit). */
  folders: AuditedFolder[];
  /** Files with findings (all of them), or exactly the requested `uris`. */
  files: FileFindings[];
}

/** Notification from the server: findings changed after an audit, a file change or an edit. */
export const FINDINGS_CHANGED_NOTIFICATION = 'knownGood/findingsChanged';

/** Parameters of `knownGood/findingsChanged`. */
export interface FindingsChangedParams {
  revision: number;
  /** Files whose findings changed; omitted when everything may have (a full audit): re-request all. */
  uris?: string[];
}

/** Request: an audit report of one folder in a CLI format (the folder is audited first when it was not). */
export const EXPORT_REPORT_REQUEST = 'knownGood/exportReport';

/** Formats of `knownGood/exportReport` (the CLI's `--format` values). */
export type ExportFormat = 'sarif' | 'markdown' | 'json';

/** Parameters of `knownGood/exportReport`. */
export interface ExportReportParams {
  format: ExportFormat;
  /** Folder URI; the first workspace folder when omitted. */
  folder?: string;
  /** Client-created token for `$/progress` when an audit is needed first. */
  workDoneToken?: string | number;
  /** As in {@link AuditRequestParams.exclude}, used when the folder is audited first. */
  exclude?: Record<string, string[]>;
}

/** Result of `knownGood/exportReport`. */
export interface ExportReportResult {
  /** The report, byte for byte what `known-good audit --format <format>` writes. */
  content: string;
  /** The folder reported on. */
  folder: string;
  /** Findings in the report. */
  findings: number;
}
