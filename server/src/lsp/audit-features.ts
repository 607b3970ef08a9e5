// Wires the workspace audit to the connection: the audit request, the view's findings request and
// change notification, the report export, and the document events that keep results current.
import { ErrorCodes, ResponseError, type CancellationToken, type Connection, type TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { formatJson } from '../cli/format/json';
import { formatMarkdown } from '../cli/format/markdown';
import { formatSarif } from '../cli/format/sarif';
import type { Formatter } from '../cli/format/types';
import { toolVersion } from '../cli/version';
import {
  EXPORT_REPORT_REQUEST,
  FINDINGS_CHANGED_NOTIFICATION,
  FINDINGS_REQUEST,
  type AuditRequestParams,
  type ExportFormat,
  type ExportReportParams,
  type ExportReportResult,
  type FindingsParams,
} from './audit-protocol';
import { auditRequest } from './audit-request';
import { AUDIT_WORKSPACE_REQUEST } from './protocol';
import type { SettingsManager } from './settings';
import { WorkspaceResults, type WorkspaceResultsDeps } from './workspace-results';

const FORMATTERS: Record<ExportFormat, Formatter> = { sarif: formatSarif, markdown: formatMarkdown, json: formatJson };

/**
 * The params and token of a request handler call. A client that sends `[]` for "no parameters" (Neovim
 * encodes an empty Lua table as an array) gets its handler called with the token alone.
 */
export function paramsAndToken<P>(args: unknown[]): { params: P | null; token: CancellationToken } {
  const token = args[args.length - 1] as CancellationToken;
  const first = args.length > 1 ? args[0] : null;
  return { params: first && typeof first === 'object' && !Array.isArray(first) ? (first as P) : null, token };
}

export interface AuditFeatureDeps extends Omit<WorkspaceResultsDeps, 'notify'> {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  settings: SettingsManager;
  /** Resolves once the parsers are loaded. */
  ready: () => Promise<void>;
  serverProgress: () => boolean;
}

/** Register the handlers; returns the results so the server can feed them file and editor events. */
export function registerAuditFeatures(deps: AuditFeatureDeps): WorkspaceResults {
  const { connection } = deps;
  const results = new WorkspaceResults({ ...deps, notify: (params) => void connection.sendNotification(FINDINGS_CHANGED_NOTIFICATION, params) });
  const auditDeps = { connection, settings: deps.settings, results, serverProgress: deps.serverProgress, log: deps.log };

  const failing = (what: string) => (e: unknown) => {
    if (e instanceof ResponseError) throw e;
    deps.log(`Known Good: ${what} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    throw new ResponseError(ErrorCodes.InternalError, `Known Good ${what} failed: ${e instanceof Error ? e.message : String(e)}`);
  };

  connection.onRequest(AUDIT_WORKSPACE_REQUEST, async (...args: unknown[]) => {
    const { params, token } = paramsAndToken<AuditRequestParams>(args);
    await deps.ready();
    return auditRequest(auditDeps, params, token).catch(failing('audit'));
  });

  connection.onRequest(FINDINGS_REQUEST, (...args: unknown[]) => results.findings(paramsAndToken<FindingsParams>(args).params?.uris));

  connection.onRequest(EXPORT_REPORT_REQUEST, async (...args: unknown[]): Promise<ExportReportResult> => {
    const { params: given, token } = paramsAndToken<ExportReportParams>(args);
    const params = given ?? ({} as Partial<ExportReportParams>);
    await deps.ready();
    const formatter = typeof params.format === 'string' && Object.hasOwn(FORMATTERS, params.format) ? FORMATTERS[params.format] : undefined;
    if (!formatter) throw new ResponseError(ErrorCodes.InvalidParams, `unknown report format "${String(params.format)}" (expected sarif, markdown or json)`);
    const folder = params.folder ?? deps.settings.folders[0]?.uri;
    if (!folder || !deps.settings.folders.some((f) => f.uri === folder)) throw new ResponseError(ErrorCodes.InvalidParams, 'no such workspace folder to report on');
    if (!results.report(folder)) {
      await auditRequest(auditDeps, { folders: [folder], workDoneToken: params.workDoneToken, exclude: params.exclude }, token).catch(failing('audit'));
    }
    const report = results.report(folder);
    if (!report) throw new ResponseError(ErrorCodes.InternalError, 'the folder could not be audited');
    return { content: formatter(report, { version: toolVersion(), color: false }), folder, findings: report.findings.length };
  });

  deps.documents.onDidClose((e) => void results.closed(e.document.uri));
  return results;
}
