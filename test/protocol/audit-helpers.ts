// Test client for the audit view's protocol: records knownGood/findingsChanged, counts analyses in the log.
import type { FileFindings, FindingsChangedParams, FindingsResult } from '../../server/src/lsp/audit-protocol';
import { TestClient, uriOf } from './lsp-client';

/** A TestClient that also records findingsChanged notifications. */
export class ViewClient extends TestClient {
  readonly changes: FindingsChangedParams[] = [];
  constructor() {
    super();
    this.connection.onNotification('knownGood/findingsChanged', (p: FindingsChangedParams) => {
      this.changes.push(p);
      (this as unknown as { wake(): void }).wake();
    });
  }

  findings(uris?: string[]): Promise<FindingsResult> {
    return this.connection.sendRequest<FindingsResult>('knownGood/findings', uris ? { uris } : {});
  }

  /** Wait for a findingsChanged after `count` earlier ones. */
  nextChange(count: number, what = 'findingsChanged'): Promise<FindingsChangedParams> {
    return this.waitFor(what, () => this.changes[count]);
  }

  /** "Known Good: analysed …" lines logged from index `from` on. */
  analysedSince(from: number): string[] {
    return this.logs.slice(from).filter((l) => l.startsWith('Known Good: analysed '));
  }

  /** Send a watched-file event (1 created, 2 changed, 3 deleted). */
  async fileEvent(file: string, type: 1 | 2 | 3): Promise<void> {
    await this.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(file), type }] });
  }
}

/** path → rule:line list, for compact exact comparisons. */
export function summary(files: readonly FileFindings[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : 1))) out[f.path] = f.findings.map((x) => `${x.ruleId}:${x.range.start.line + 1}`);
  return out;
}
