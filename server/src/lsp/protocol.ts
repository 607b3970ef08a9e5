// Messages and names shared by the language server and the VS Code client (type imports only: both sides bundle it).
import type { WorkspaceEdit } from 'vscode-languageserver-types';

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
  /**
   * Whether the workspace is trusted (VS Code Workspace Trust). False: no registry request and no
   * credential helper until {@link WORKSPACE_TRUSTED_NOTIFICATION}. Default true (plain LSP clients).
   */
  trusted?: boolean;
  /** JSON file to persist resolved digests in (the extension's global storage); none when absent. */
  cacheFile?: string;
}

/** Notification from the client: the user granted Workspace Trust (no parameters needed). */
export const WORKSPACE_TRUSTED_NOTIFICATION = 'knownGood/workspaceTrusted';

/** Code action kind of "pin every image of this file" (run by `source.fixAll` on save). */
export const FIX_ALL_KIND = 'source.fixAll.knownGood';

/** Custom request: pin every pinnable image reference in the workspace folders (an edit to preview). */
export const PIN_WORKSPACE_REQUEST = 'knownGood/pinWorkspace';

/** Parameters of `knownGood/pinWorkspace`. */
export interface PinWorkspaceParams {
  /** Folder URIs; all workspace folders when omitted. */
  folders?: string[];
  /** Client-created token for `$/progress`. */
  workDoneToken?: string | number;
}

/** A reference that could not be pinned. */
export interface PinWorkspaceFailure {
  uri: string;
  /** Zero-based line and character of the reference. */
  line: number;
  character: number;
  /** The `name:tag` asked for. */
  query: string;
  /** Names the registry and the reason. */
  message: string;
}

/**
 * Result of `knownGood/pinWorkspace`. `edit` (absent when nothing can be pinned) is an LSP
 * WorkspaceEdit whose text edits carry change annotations with `needsConfirmation`, so VS Code
 * shows its refactor preview before applying.
 */
export interface PinWorkspaceResult {
  edit?: WorkspaceEdit;
  /** Supported files scanned. */
  files: number;
  /** Unpinned references with a latest-tag or missing-digest finding. */
  references: number;
  /** References the edit pins. */
  pinned: number;
  /** Distinct `name:tag` resolved. */
  queries: number;
  failures: PinWorkspaceFailure[];
  /** Pinning is off: Restricted Mode or `knownGood.network.enabled: false` (the reason). */
  networkOff?: string;
}

/** Glob the client watches (every file: entrypoint scripts need not have an extension). */
export const WATCH_GLOB = '**/*';
