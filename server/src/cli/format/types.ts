// What every output formatter receives and returns.
import type { AuditResult } from '../../audit';

export interface FormatOptions {
  /** The tool's version (SARIF driver version, JSON `tool.version`). */
  version: string;
  /** Whether to colour the output (text format only; set on a TTY without NO_COLOR / --no-color). */
  color: boolean;
}

/** Turns an audit result into the text written to stdout or `--output`. */
export type Formatter = (result: AuditResult, options: FormatOptions) => string;

/** Counts of findings by severity. */
export function countBySeverity(result: AuditResult): { error: number; warning: number; info: number; hint: number } {
  const counts = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const f of result.findings) counts[f.severity]++;
  return counts;
}
