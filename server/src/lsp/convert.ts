// Converts core findings into LSP diagnostics (source, code, doc link, related information).
import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver';
import { codeHref } from '../core/analyze';
import type { Finding, Severity } from '../core/types';
import { DIAGNOSTIC_SOURCE } from './protocol';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/**
 * One finding as a diagnostic. `uriOf` maps a file named by the core (the analysed file, an
 * entrypoint script, a Dockerfile in related information) to its URI, or undefined when it has none.
 */
export function toDiagnostic(finding: Finding, uriOf: (file: string) => string | undefined): Diagnostic {
  const diagnostic: Diagnostic = {
    range: finding.range,
    severity: SEVERITY[finding.severity] ?? DiagnosticSeverity.Warning,
    source: DIAGNOSTIC_SOURCE,
    code: finding.ruleId,
    codeDescription: { href: codeHref(finding.ruleId) },
    message: finding.message,
  };
  const related: DiagnosticRelatedInformation[] = [];
  for (const r of finding.related ?? []) {
    const uri = uriOf(r.location.file);
    if (uri === undefined) continue;
    const start = { line: 0, character: 0 };
    related.push({ location: { uri, range: r.range ?? { start, end: start } }, message: r.message });
  }
  if (related.length) diagnostic.relatedInformation = related;
  if (finding.data !== undefined) diagnostic.data = finding.data;
  return diagnostic;
}

/** Group findings by the URI of the file they are reported in; findings in files without a URI are dropped. */
export function groupByTarget(findings: readonly Finding[], uriOf: (file: string) => string | undefined): Map<string, Diagnostic[]> {
  const out = new Map<string, Diagnostic[]>();
  for (const f of findings) {
    const target = uriOf(f.location.file);
    if (target === undefined) continue;
    const list = out.get(target) ?? [];
    list.push(toDiagnostic(f, uriOf));
    out.set(target, list);
  }
  return out;
}
