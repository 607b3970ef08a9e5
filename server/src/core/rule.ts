// The contract between the engine and a rule: metadata plus a check over one file's model.
import type { FileModel, CommandSite } from './model';
import type { Location, RawFinding, RuleMeta } from './types';
import type { Download } from './shell/types';

/** Facts about the whole workspace that single-file rules need (ECR exclusion filters, script runners). */
export interface WorkspaceFacts {
  /** Every image reference with a literal tag used by a task definition / template / compose file in the workspace. */
  imageTags: { repository: string; tag: string; file: string }[];
  /** Entrypoint scripts by workspace path: the Dockerfile instructions that copy and run them. */
  scriptRunners: ReadonlyMap<string, ScriptRunner[]>;
}

export interface ScriptRunner {
  runBy: Location;
  copiedBy?: Location;
}

export const EMPTY_WORKSPACE: WorkspaceFacts = { imageTags: [], scriptRunners: new Map() };

/** A start-time command's downloads, computed once per file and shared by the runtime rules. */
export interface CommandDownloads {
  command: CommandSite;
  downloads: Download[];
}

/** A script run at start (an entrypoint script), with its downloads. */
export interface ScriptDownloads {
  /** Workspace path of the script. */
  file: string;
  downloads: Download[];
  /** The Dockerfile instructions that copy and run the script. */
  runners: ScriptRunner[];
}

export interface RuleContext {
  model: FileModel;
  workspace: WorkspaceFacts;
  /** Current registry digests of `name:tag` references, when the caller fetched them (network allowed). */
  digests: ReadonlyMap<string, string>;
  /** Downloads in the file's start-time commands (memoised). */
  commandDownloads(): CommandDownloads[];
  /** Downloads in entrypoint scripts this file runs, or in this file when it is such a script (memoised). */
  scriptDownloads(): ScriptDownloads[];
  report(finding: Omit<RawFinding, 'ruleId'>): void;
}

export interface Rule {
  meta: RuleMeta;
  check(ctx: RuleContext): void;
}
