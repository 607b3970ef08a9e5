// JSON formatter: a stable, documented document for scripts and CI (see the shape below).
import type { Range } from '../../core/types';
import { codeHref } from '../../core/analyze';
import { countBySeverity, type Formatter } from './types';

/** Version of the JSON document's shape; raised on any incompatible change. */
export const JSON_FORMAT_VERSION = 1;

/** 1-based line and column (UTF-16 code units); `end` is exclusive (the column after the last character). */
export interface JsonRange {
  start: { line: number; column: number };
  end: { line: number; column: number };
}

/**
 * The document `--format json` writes. Keys always appear in this order; findings are sorted by file,
 * line, column and rule; `file` paths are relative to `root` with `/` separators.
 */
export interface JsonReport {
  version: typeof JSON_FORMAT_VERSION;
  tool: { name: 'known-good'; version: string };
  /** The audited root folder (absolute). */
  root: string;
  summary: { files: number; findings: number; error: number; warning: number; info: number; hint: number };
  /** Every file audited, with the kind it was recognised as. */
  files: { file: string; kind: string }[];
  findings: {
    file: string;
    ruleId: string;
    severity: 'error' | 'warning' | 'info' | 'hint';
    message: string;
    range: JsonRange;
    /** JSON pointer of the value in JSON/YAML documents, when there is one. */
    pointer?: string;
    docUrl: string;
    /** Other places involved (the CMD that runs a script, the COPY that puts it in the image). */
    related: { file: string; message: string; range?: JsonRange }[];
  }[];
  /** Paths that could not be read. */
  errors: { file: string; message: string }[];
}

/** LSP-style 0-based range to the 1-based JSON range. */
export function oneBased(r: Range): JsonRange {
  return { start: { line: r.start.line + 1, column: r.start.character + 1 }, end: { line: r.end.line + 1, column: r.end.character + 1 } };
}

export const formatJson: Formatter = (result, { version }) => {
  const report: JsonReport = {
    version: JSON_FORMAT_VERSION,
    tool: { name: 'known-good', version },
    root: result.root,
    summary: { files: result.files.length, findings: result.findings.length, ...countBySeverity(result) },
    files: result.files.map((f) => ({ file: f.file, kind: f.kind })),
    findings: result.findings.map((f) => ({
      file: f.location.file,
      ruleId: f.ruleId,
      severity: f.severity,
      message: f.message,
      range: oneBased(f.range),
      ...(f.pointer !== undefined ? { pointer: f.pointer } : {}),
      docUrl: codeHref(f.ruleId),
      related: (f.related ?? []).map((r) => ({ file: r.location.file, message: r.message, ...(r.range ? { range: oneBased(r.range) } : {}) })),
    })),
    errors: result.errors.map((e) => ({ file: e.file, message: e.message })),
  };
  return `${JSON.stringify(report, null, 2)}\n`;
};
