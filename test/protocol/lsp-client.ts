// A minimal LSP client for protocol tests: spawns the built server over stdio and speaks JSON-RPC.
import { fork, spawn, type ChildProcess } from 'child_process';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { ClientCapabilities, CodeAction, ConfigurationParams, Diagnostic, Hover, InitializeResult, PublishDiagnosticsParams, Range } from 'vscode-languageserver-protocol';

/** Repository root (tests run from out/test/protocol). */
export const ROOT = path.resolve(__dirname, '../../..');
export const CLI = path.join(ROOT, 'dist/cli.js');

export const uriOf = (file: string) => pathToFileURL(file).href;

export interface Published {
  /** Arrival order over all notifications, to tell newer from older. */
  seq: number;
  diagnostics: Diagnostic[];
  at: number;
}

/** The server process plus what it sent: diagnostics by URI, progress, log messages. */
export class TestClient {
  readonly connection: MessageConnection;
  readonly process: ChildProcess;
  readonly diagnostics = new Map<string, Published>();
  readonly history: { uri: string; published: Published }[] = [];
  readonly progress: { token: string | number; value: { kind: string; percentage?: number; message?: string } }[] = [];
  readonly logs: string[] = [];
  /** `window/showMessage` notifications, with their arrival time (performance.now()). */
  readonly messages: { type: number; message: string; at: number }[] = [];
  stderr = '';
  /** Answers `workspace/configuration` for the `knownGood` section (merged over `baseSettings`). */
  settings: Record<string, unknown> = {};
  /** Settings under every answer: tests stay offline unless they turn the network on. */
  baseSettings: Record<string, unknown> = { network: { enabled: false } };
  configurationRequests = 0;
  exitCode: Promise<number | null>;
  exited = false;
  private seq = 0;
  private waiters = new Set<() => void>();

  /** Start the server on stdio (`lsp --stdio`) or, as the VS Code client does, over Node IPC (`lsp --node-ipc`). */
  constructor(transport: 'stdio' | 'ipc' = 'stdio') {
    this.process =
      transport === 'stdio'
        ? spawn(process.execPath, [CLI, 'lsp', '--stdio'], { cwd: ROOT, stdio: 'pipe' })
        : fork(CLI, ['lsp', '--node-ipc', `--clientProcessId=${process.pid}`], { cwd: ROOT, silent: true });
    this.process.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.exitCode = new Promise((resolve) =>
      this.process.on('exit', (code) => {
        this.exited = true;
        resolve(code);
        this.wake();
      }),
    );
    this.connection =
      transport === 'stdio'
        ? createMessageConnection(new StreamMessageReader(this.process.stdout!), new StreamMessageWriter(this.process.stdin!))
        : createMessageConnection(new IPCMessageReader(this.process), new IPCMessageWriter(this.process));
    this.connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      const published = { seq: ++this.seq, diagnostics: p.diagnostics, at: performance.now() };
      this.diagnostics.set(p.uri, published);
      this.history.push({ uri: p.uri, published });
      this.wake();
    });
    this.connection.onNotification('$/progress', (p: TestClient['progress'][number]) => {
      this.progress.push(p);
      this.wake();
    });
    this.connection.onNotification('window/logMessage', (p: { message: string }) => this.logs.push(p.message));
    this.connection.onNotification('window/showMessage', (p: { type: number; message: string }) => {
      this.messages.push({ ...p, at: performance.now() });
      this.wake();
    });
    this.connection.onRequest('workspace/configuration', (p: ConfigurationParams) => {
      this.configurationRequests++;
      return p.items.map((item) => (item.section === 'knownGood' ? { ...this.baseSettings, ...this.settings } : null));
    });
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.listen();
  }

  /** initialize + initialized with one workspace folder; `capabilities` replaces the defaults (VS Code-like). */
  async start(folder: string, initializationOptions: Record<string, unknown> = {}, capabilities: ClientCapabilities = CAPABILITIES): Promise<InitializeResult> {
    const result = await this.connection.sendRequest<InitializeResult>('initialize', {
      processId: process.pid,
      rootUri: uriOf(folder),
      workspaceFolders: [{ uri: uriOf(folder), name: path.basename(folder) }],
      capabilities,
      initializationOptions,
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  async open(file: string, text: string, languageId = 'plaintext', version = 1): Promise<void> {
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(file), languageId, version, text } });
  }

  async change(file: string, text: string, version: number): Promise<void> {
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri: uriOf(file), version }, contentChanges: [{ text }] });
  }

  /**
   * Resolve once `check()` returns a value other than undefined: re-checked on every notification and
   * every 25 ms, since some conditions (a file the server writes) arrive without a notification.
   */
  async waitFor<T>(what: string, check: () => T | undefined, timeoutMs = 10_000): Promise<T> {
    const first = check();
    if (first !== undefined) return first;
    return new Promise<T>((resolve, reject) => {
      const waiter = () => {
        const value = check();
        if (value === undefined && this.exited) {
          cleanup();
          reject(new Error(`the server exited while waiting for ${what}\nserver stderr: ${this.stderr}`));
        }
        if (value === undefined) return;
        cleanup();
        resolve(value);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}\nlast diagnostics: ${JSON.stringify([...this.diagnostics].map(([u, p]) => [u, p.diagnostics.map((d) => d.code)]))}\nserver stderr: ${this.stderr}\nlogs: ${this.logs.join('\n')}`));
      }, timeoutMs);
      const poll = setInterval(waiter, 25);
      const cleanup = () => {
        clearTimeout(timer);
        clearInterval(poll);
        this.waiters.delete(waiter);
      };
      this.waiters.add(waiter);
    });
  }

  /** Wait until the latest diagnostics for `file` satisfy `ok` and arrived after `afterSeq`. */
  waitForDiagnostics(file: string, ok: (d: Diagnostic[]) => boolean, afterSeq = 0, timeoutMs?: number): Promise<Published> {
    const uri = uriOf(file);
    return this.waitFor(`diagnostics for ${uri}`, () => {
      const p = this.diagnostics.get(uri);
      return p && p.seq > afterSeq && ok(p.diagnostics) ? p : undefined;
    }, timeoutMs);
  }

  /** `textDocument/codeAction` for `range` with the published diagnostics that overlap it (as VS Code sends them). */
  codeActions(file: string, range: Range, only?: string[], diagnostics?: Diagnostic[]): Promise<CodeAction[]> {
    const uri = uriOf(file);
    const overlaps = (d: Diagnostic) =>
      !(cmpPos(d.range.end, range.start) < 0 || cmpPos(range.end, d.range.start) < 0);
    const context = { diagnostics: diagnostics ?? (this.diagnostics.get(uri)?.diagnostics ?? []).filter(overlaps), ...(only ? { only } : {}) };
    return this.connection.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range, context });
  }

  resolve(action: CodeAction): Promise<CodeAction> {
    return this.connection.sendRequest<CodeAction>('codeAction/resolve', action);
  }

  hover(file: string, line: number, character: number): Promise<Hover | null> {
    return this.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri: uriOf(file) }, position: { line, character } });
  }

  get lastSeq(): number {
    return this.seq;
  }

  /** shutdown + exit; resolves with the exit code. */
  async stop(): Promise<number | null> {
    await this.connection.sendRequest('shutdown');
    await this.connection.sendNotification('exit');
    const code = await this.exitCode;
    this.connection.dispose();
    return code;
  }

  /** Kill the process if a test failed before stopping it. */
  kill(): void {
    if (this.process.exitCode === null) this.process.kill();
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }
}

const cmpPos = (a: { line: number; character: number }, b: { line: number; character: number }) => a.line - b.line || a.character - b.character;

/** What the test client announces by default: VS Code's relevant capabilities. */
export const CAPABILITIES: ClientCapabilities = {
  workspace: {
    configuration: true,
    didChangeConfiguration: { dynamicRegistration: true },
    didChangeWatchedFiles: { dynamicRegistration: true },
    workspaceFolders: true,
    workspaceEdit: { documentChanges: true, changeAnnotationSupport: { groupsOnLabel: true } },
  },
  window: { workDoneProgress: true },
  textDocument: {
    publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true },
    hover: { contentFormat: ['markdown'] },
    codeAction: {
      codeActionLiteralSupport: { codeActionKind: { valueSet: ['', 'quickfix', 'refactor', 'source', 'source.fixAll'] } },
      resolveSupport: { properties: ['edit'] },
      dataSupport: true,
      disabledSupport: true,
      isPreferredSupport: true,
    },
  },
};

/** Codes of a diagnostic list, sorted. */
export const codes = (d: readonly Diagnostic[]) => d.map((x) => String(x.code)).sort();
