// Messages and names shared by the language server and the VS Code client (no imports: both sides bundle it).

/** Custom request: audit every supported file of the workspace folders and publish their diagnostics. */
export const AUDIT_WORKSPACE_REQUEST = 'knownGood/auditWorkspace';

/** Parameters of `knownGood/auditWorkspace`. */
export interface AuditWorkspaceParams {
  /** Folder URIs to audit; all workspace folders when omitted. */
  folders?: string[];
  /** Client-created token for `$/progress` (LSP WorkDoneProgressParams). */
  workDoneToken?: string | number;
}

/** Result of `knownGood/auditWorkspace`: counts over all audited folders. */
export interface AuditWorkspaceResult {
  folders: number;
  /** Supported files analysed. */
  files: number;
  filesWithFindings: number;
  findings: number;
  bySeverity: { error: number; warning: number; info: number; hint: number };
  /** Files that could not be read or analysed. */
  errors: number;
  /** True when the audit was stopped before the end (results are partial). */
  cancelled: boolean;
}

/** The `source` of every diagnostic the server publishes. */
export const DIAGNOSTIC_SOURCE = 'known-good';

/** Configuration section pulled through `workspace/configuration`. */
export const CONFIG_SECTION = 'knownGood';

/** Options the client passes in `initialize`. */
export interface InitializationOptions {
  /** The client forwards file-system events itself (so the server does not register watchers). */
  clientWatchesFiles?: boolean;
}

/** Glob the client watches (every file: entrypoint scripts need not have an extension). */
export const WATCH_GLOB = '**/*';
