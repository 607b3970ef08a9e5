// The language server: wires documents, settings, diagnostics, hover, watched files and the audit
// request to a connection. Handlers stay thin; the analysis is the pure core's.
import * as path from 'path';
import {
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  ErrorCodes,
  IPCMessageReader,
  IPCMessageWriter,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeResult,
  type WorkspaceFolder,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { initParsers } from '../core/treesitter';
import { paramsAndToken, registerAuditFeatures } from './audit-features';
import { resolveCodeAction } from './code-action-resolve';
import { codeActions } from './code-actions';
import { DiagnosticsScheduler } from './diagnostics';
import { DiagnosticStore } from './diagnostic-store';
import { registerFixFeatures } from './fix-features';
import { registerDocumentHandlers } from './documents';
import { overlayReader } from './files';
import { hoverAt } from './hover-request';
import { registryHover } from './hover-registry';
import { NO_CAPS, readClientCaps, type ClientCaps } from './pin-feedback';
import { PinManager } from './pin-manager';
import { pinWorkspaceRequest } from './pin-workspace';
import {
  FIX_ALL_KIND,
  PIN_WORKSPACE_REQUEST,
  WATCH_GLOB,
  WORKSPACE_TRUSTED_NOTIFICATION,
  type InitializationOptions,
  type PinWorkspaceParams,
} from './protocol';
import { guard } from './safe';
import { SettingsManager } from './settings';
import { StaleDigestChecker } from './stale-check';
import { pathToUri, uriToPath } from './uri';
import { watchedFilesChanged } from './watched-files';
import { WorkspaceIndex } from './workspace-index';

/** Internal knobs (tests pass them through `initializationOptions`). */
export interface ServerOptions {
  /** Delay between the last edit and the analysis (ms). */
  debounceMs?: number;
  /** How long resolved digests are reused (ms); tests of stale-digest use 0. */
  digestTtlMs?: number;
  /** The longest a hover waits for the registry (ms). */
  hoverRegistryMs?: number;
}

const DEFAULT_DEBOUNCE_MS = 150;

/** Register every handler on `connection` (the caller calls `connection.listen()`). */
export function createServer(connection: Connection, options: ServerOptions = {}): void {
  const log = (message: string) => connection.console.error(message);
  const documents = new TextDocuments(TextDocument);
  const openByPath = new Map<string, string>();
  const openText = (file: string) => {
    const uri = openByPath.get(file);
    return uri === undefined ? undefined : documents.get(uri)?.getText();
  };
  // Dependencies (scripts, file() targets, .env) are read only inside the workspace folders.
  const readText = overlayReader(openText, () => settings.folders.map((f) => f.path));
  const uriOf = (file: string) => openByPath.get(file) ?? (path.posix.isAbsolute(file) || /^[A-Za-z]:\//.test(file) ? pathToUri(file) : undefined);
  const settings = new SettingsManager(connection, readText);
  const store = new DiagnosticStore((uri, diagnostics) => void connection.sendDiagnostics({ uri, diagnostics }));
  const index = new WorkspaceIndex();
  let ready: Promise<void> = Promise.resolve();
  let debounceMs = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;
  let hoverRegistryMs = options.hoverRegistryMs;
  let caps: ClientCaps = NO_CAPS;
  // Replaced in onInitialize once trust and the cache file are known.
  let pins = new PinManager(settings, { trusted: true });
  const stale = new StaleDigestChecker({
    get pins() { return pins; },
    reanalyse: (uri) => scheduler.schedule(uri, 0),
    log: (m) => connection.console.log(m),
  });
  const scheduler = new DiagnosticsScheduler({
    documents, settings, index, store, readText, uriOf, log,
    info: (message: string) => connection.console.log(message),
    get ready() { return ready; },
    get debounceMs() { return debounceMs; },
    digests: () => stale.snapshot(),
    analysed: (uri, result, s, used) => {
      stale.analysed(uri, result.model, s, used);
      void results.openAnalysed(uri, result);
    },
  });
  const results = registerAuditFeatures({
    connection, documents, settings, store, uriOf, readText, openText, log,
    info: (message: string) => connection.console.log(message),
    isOpen: (uri) => !!documents.get(uri),
    ready: () => ready,
    serverProgress: () => serverProgress,
  });
  const actionDeps = { connection, documents, scheduler, settings, index, readText, get pins() { return pins; }, caps: () => caps };
  let serverProgress = false;
  let watchFolders = false;
  let registerConfig = false;
  let registerWatchers = false;
  let indexing: AbortController | undefined;

  const reindex = async () => {
    indexing?.abort();
    const controller = new AbortController();
    indexing = controller;
    await ready;
    await new Promise((resolve) => setTimeout(resolve, debounceMs));
    await scheduler.whenIdle();
    const started = Date.now();
    let changed = false;
    for (const folder of settings.folders) {
      if (controller.signal.aborted) return;
      const config = await settings.folderConfig(folder.path);
      try {
        changed = (await index.build(folder.path, { signal: controller.signal, ignore: config.ignore, readText }, (m) => log(`Known Good index: ${m}`))) || changed;
      } catch (e) {
        if (controller.signal.aborted) return;
        log(`Known Good: indexing ${folder.path} failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    connection.console.log(`Known Good: indexed ${settings.folders.length} folder(s) in ${Date.now() - started} ms`);
    if (changed) scheduler.scheduleAll(0);
  };

  connection.onInitialize((params): InitializeResult => {
    const init = (params.initializationOptions ?? {}) as InitializationOptions & ServerOptions;
    if (typeof init.debounceMs === 'number' && init.debounceMs >= 0) debounceMs = init.debounceMs;
    if (typeof init.hoverRegistryMs === 'number' && init.hoverRegistryMs > 0) hoverRegistryMs = init.hoverRegistryMs;
    const client = params.capabilities;
    caps = readClientCaps(client);
    settings.pull = !!client.workspace?.configuration;
    serverProgress = !!client.window?.workDoneProgress;
    watchFolders = !!client.workspace?.workspaceFolders;
    registerConfig = !!client.workspace?.didChangeConfiguration?.dynamicRegistration;
    registerWatchers = !!client.workspace?.didChangeWatchedFiles?.dynamicRegistration && !init.clientWatchesFiles;
    pins = new PinManager(settings, {
      trusted: init.trusted !== false,
      cacheFile: typeof init.cacheFile === 'string' && init.cacheFile ? init.cacheFile : undefined,
      ttlMs: typeof init.digestTtlMs === 'number' && init.digestTtlMs >= 0 ? init.digestTtlMs : undefined,
      log: (line) => connection.console.log(`Known Good registry: ${line}`),
    });
    const folders: WorkspaceFolder[] =
      params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: path.posix.basename(uriToPath(params.rootUri) ?? 'root') }] : []);
    settings.setFolders(folders);
    ready = initParsers().catch((e: unknown) => log(`Known Good: could not load parsers: ${String(e)}`));
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: true },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'known-good' },
    };
  });

  connection.onInitialized(
    guard(connection.console, 'initialized', async () => {
      if (registerConfig) await connection.client.register(DidChangeConfigurationNotification.type, { section: 'knownGood' });
      if (registerWatchers) await connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: WATCH_GLOB }] });
      if (watchFolders) {
        connection.workspace.onDidChangeWorkspaceFolders(
          guard(connection.console, 'workspace folders', (e) => {
            const removed = new Set(e.removed.map((f) => f.uri));
            const kept = settings.folders.filter((f) => !removed.has(f.uri)).map(({ uri, name }) => ({ uri, name }));
            for (const f of e.removed) {
              const p = uriToPath(f.uri);
              if (p) index.removeBelow(p);
            }
            settings.setFolders([...kept, ...e.added]);
            settings.configurationChanged(undefined);
            scheduler.scheduleAll(0);
            void results.foldersChanged();
            void reindex();
          }, undefined),
        );
      }
      void reindex();
    }, undefined),
  );

  connection.onDidChangeConfiguration(
    guard(connection.console, 'configuration change', (params) => {
      settings.configurationChanged(params.settings);
      scheduler.scheduleAll(0);
      void results.configurationChanged();
    }, undefined),
  );

  connection.onNotification(
    WORKSPACE_TRUSTED_NOTIFICATION,
    guard(connection.console, 'workspace trust', () => {
      // Now the registry may be asked (stale-digest checks start with the next analyses).
      if (pins.grantTrust()) scheduler.scheduleAll(0);
    }, undefined),
  );

  connection.onCodeAction(
    guard(connection.console, 'code action', async (params) => {
      await ready;
      return codeActions(actionDeps, params);
    }, []),
  );

  connection.onCodeActionResolve(async (action) => {
    try {
      await ready;
      return await resolveCodeAction(actionDeps, action);
    } catch (e) {
      // Never a half-made edit: the action comes back as it was sent.
      log(`Known Good: code action resolve failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return action;
    }
  });

  registerDocumentHandlers({ documents, openByPath, settings, scheduler, store, log: connection.console });

  connection.onHover(
    guard(connection.console, 'hover', async (params) => {
      await ready;
      return hoverAt(documents, scheduler, params, async (uri, text, site) => registryHover(await pins.forResource(uri), text, site, hoverRegistryMs));
    }, null),
  );

  connection.onDidChangeWatchedFiles(
    guard(connection.console, 'watched files', async (params) => {
      await watchedFilesChanged({ settings, scheduler, index, store, readText, isOpenFile: (f) => openByPath.has(f), reindex: () => void reindex() }, params.changes);
      // The audit's results: only the changed files (and what they concern) are analysed again.
      void results.filesChanged(params.changes);
    }, undefined),
  );

  connection.onRequest(PIN_WORKSPACE_REQUEST, async (...args: unknown[]) => {
    // Neovim sends `[]` for "no parameters".
    const { params, token } = paramsAndToken<PinWorkspaceParams>(args);
    try {
      await ready;
      return await pinWorkspaceRequest({ ...actionDeps, uriOf, log }, params, token);
    } catch (e) {
      if (e instanceof ResponseError) throw e;
      log(`Known Good: pin workspace failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      throw new ResponseError(ErrorCodes.InternalError, `Known Good could not pin the workspace: ${e instanceof Error ? e.message : String(e)}`);
    }
  });

  registerFixFeatures(connection, actionDeps, log, () => ready);

  connection.onShutdown(async () => {
    indexing?.abort();
    scheduler.dispose();
    await pins.dispose();
  });

  documents.listen(connection);
}

/**
 * Start the language server on this process's stdio (`known-good lsp --stdio`) or Node IPC (the
 * VS Code client forks the same bundle with `--node-ipc`). Returns once listening.
 */
export function startLanguageServer(transport: 'stdio' | 'ipc'): void {
  const connection =
    transport === 'stdio' ? createConnection(process.stdin, process.stdout) : createConnection(new IPCMessageReader(process), new IPCMessageWriter(process));
  if (transport === 'stdio') {
    // stdout carries the protocol: anything printed must go to the client's log instead.
    const toLog = (...args: unknown[]) => connection.console.log(args.map(String).join(' '));
    console.log = toLog;
    console.info = toLog;
    console.debug = toLog;
    console.warn = (...args: unknown[]) => connection.console.warn(args.map(String).join(' '));
    console.error = (...args: unknown[]) => connection.console.error(args.map(String).join(' '));
  }
  process.on('uncaughtException', (e) => connection.console.error(`Known Good: uncaught exception: ${e.stack ?? e.message}`));
  process.on('unhandledRejection', (e) => connection.console.error(`Known Good: unhandled rejection: ${String(e)}`));
  createServer(connection);
  connection.listen();
}
