// Shared types of the pure analysis core: what goes in (text, settings), what comes out (findings).
// Nothing here may import `vscode` or `vscode-languageserver` (enforced by eslint.config.mjs).

/** Severity of a finding once configuration has been applied. */
export type Severity = 'error' | 'warning' | 'info' | 'hint';
/** A configured level: a severity, or `off` to disable the rule. */
export type Level = Severity | 'off';

export const SEVERITY_ORDER: readonly Severity[] = ['hint', 'info', 'warning', 'error'];

/** Half-open character offsets [start, end) into the analysed text (UTF-16 code units, as JS strings). */
export interface Span {
  start: number;
  end: number;
}

/** Zero-based line and character (UTF-16), the same convention as LSP. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** Kinds of file the core understands. */
export type FileKind = 'dockerfile' | 'ecs-json' | 'cloudformation' | 'terraform' | 'compose' | 'shell' | 'knowngood-config';

/** A place in some file (for findings and related information). `file` is a path relative to the workspace root with `/` separators, or an absolute path/URI as given by the caller. */
export interface Location {
  file: string;
  span: Span;
}

export interface RelatedInfo {
  location: Location;
  message: string;
}

/** What a rule reports, before configuration and suppression. */
export interface RawFinding {
  ruleId: string;
  message: string;
  /** Where the finding is reported. `file` may differ from the analysed file (an entrypoint script found through a Dockerfile). */
  location: Location;
  related?: RelatedInfo[];
  /** JSON pointer of the reported value in JSON/YAML documents (for path+pointer ignores). */
  pointer?: string;
  /** Structured data for code actions (keyed on this, never on the message). */
  data?: Record<string, unknown>;
}

/** A finding after configuration: severity resolved, position computed. */
export interface Finding extends RawFinding {
  severity: Severity;
  range: Range;
  related?: (RelatedInfo & { range?: Range })[];
}

/** Metadata every rule declares in its own file. */
export interface RuleMeta {
  /** The id: diagnostic code, config key, doc page name, SARIF ruleId, test file name. */
  id: string;
  defaultSeverity: Severity;
  /** One-line description (SARIF shortDescription, rule table). */
  description: string;
  /** Link to docs/rules/<id>.md. */
  docUrl: string;
  /** False for rules that run only when configured (e.g. those that need the network). Default true. */
  enabledByDefault?: boolean;
}

/** Settings the core needs, merged from editor settings and `.knowngood.yaml` (see `mergeSettings`). */
export interface Settings {
  /** Per-rule level; rules not named use their default severity. */
  rules: Record<string, Level>;
  /** Ignore entries (paths relative to `root`, optional JSON pointer and rules). */
  ignore: { path: string; pointer?: string; rules?: string[] }[];
  /** Folder that `ignore` paths are relative to (posix path in the same style as analysed files). */
  root?: string;
  /**
   * Largest file analysed, in bytes of UTF-8 (`knownGood.maxFileSizeKB` × 1024); larger files get one
   * `skipped-file` diagnostic. Default `DEFAULT_MAX_FILE_SIZE` (1 MB) from limits.ts.
   */
  maxFileSize?: number;
}

export const DEFAULT_SETTINGS: Settings = { rules: {}, ignore: [] };

export const DOCS_BASE = 'https://github.com/known-good/known-good/blob/main/docs/rules/';
export function docUrl(id: string): string {
  return `${DOCS_BASE}${id}.md`;
}
