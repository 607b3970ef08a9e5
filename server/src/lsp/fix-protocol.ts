// Messages of the quick fixes shared by the language server and the VS Code client (type imports only: both sides bundle it).
import type { Range, WorkspaceEdit } from 'vscode-languageserver-types';

/** What a fix action carries from codeAction to codeAction/resolve (the edit is computed in resolve). */
export interface FixActionData {
  knownGood: 'fix';
  uri: string;
  /** Document version the action was offered for; resolve refuses any other. */
  version: number;
  /** `Fix.id` of the core (`vendor-build-stage`, `add-checksum`, `ignore-config`, …). */
  fixId: string;
  /** Which of the finding's fixes with this id (a finding may offer one per URL). */
  ordinal: number;
  /** The finding: its rule and the range of its diagnostic. */
  ruleId: string;
  range: Range;
}

/** Custom request: vendor every runtime install/fetch of the workspace folders (one edit to preview). */
export const VENDOR_WORKSPACE_REQUEST = 'knownGood/vendorWorkspace';

/** Command id of "Known Good: Vendor All Runtime Installs". */
export const VENDOR_WORKSPACE_COMMAND = 'knownGood.vendorWorkspace';

/** Parameters of `knownGood/vendorWorkspace`. */
export interface VendorWorkspaceParams {
  /** Folder URIs; all workspace folders when omitted. */
  folders?: string[];
  /** Client-created token for `$/progress`. */
  workDoneToken?: string | number;
}

/** A runtime install/fetch the edit does not vendor, and why. */
export interface VendorSkip {
  uri: string;
  /** Zero-based line and character of the finding (in the file as it was before the edit). */
  line: number;
  character: number;
  ruleId: string;
  message: string;
}

/** A download made to compute a checksum. */
export interface VendorDownload {
  url: string;
  ok: boolean;
  /** The checksum, or why there is none. */
  detail: string;
}

/**
 * Result of `knownGood/vendorWorkspace`. `edit` (absent when nothing can be vendored) replaces each
 * changed file as a whole; its edits carry change annotations with `needsConfirmation`, so VS Code
 * shows its refactor preview before applying.
 */
export interface VendorWorkspaceResult {
  edit?: WorkspaceEdit;
  /** Supported files analysed. */
  files: number;
  /** runtime-install and runtime-fetch findings found. */
  findings: number;
  /** Findings the edit vendors. */
  vendored: number;
  /** Files the edit changes or creates. */
  changedFiles: number;
  /** Titles of the fixes in the edit, in the order they were applied. */
  applied: string[];
  skipped: VendorSkip[];
  downloads: VendorDownload[];
  /** Downloads were needed but the network is off (Restricted Mode or the setting): the reason. */
  networkOff?: string;
}
