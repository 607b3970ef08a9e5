// Registers the quick-fix requests that are not code actions: `knownGood/vendorWorkspace`.
import { ErrorCodes, ResponseError, type Connection } from 'vscode-languageserver';
import { paramsAndToken } from './audit-features';
import type { FixContextDeps } from './fix-context';
import type { NeedsDeps } from './fix-needs';
import { VENDOR_WORKSPACE_REQUEST, type VendorWorkspaceParams } from './fix-protocol';
import { vendorWorkspaceRequest } from './fix-workspace';

/**
 * Handle `knownGood/vendorWorkspace` on `connection`. `deps` is read at request time (its `pins`
 * is replaced once the client said whether the workspace is trusted).
 */
export function registerFixFeatures(connection: Connection, deps: FixContextDeps & NeedsDeps, log: (message: string) => void, ready: () => Promise<void>): void {
  connection.onRequest(VENDOR_WORKSPACE_REQUEST, async (...args: unknown[]) => {
    // Neovim sends `[]` for "no parameters".
    const { params, token } = paramsAndToken<VendorWorkspaceParams>(args);
    try {
      await ready();
      return await vendorWorkspaceRequest({ connection: deps.connection, documents: deps.documents, scheduler: deps.scheduler, settings: deps.settings, index: deps.index, readText: deps.readText, pins: deps.pins, caps: deps.caps, log }, params, token);
    } catch (e) {
      if (e instanceof ResponseError) throw e;
      log(`Known Good: vendor workspace failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      throw new ResponseError(ErrorCodes.InternalError, `Known Good could not vendor the workspace: ${e instanceof Error ? e.message : String(e)}`);
    }
  });
}
