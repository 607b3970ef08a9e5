// A small LSP client for the benchmark: spawns `node dist/cli.js lsp --stdio` and records, with
// arrival times, every publishDiagnostics and log message; reads the server's RSS from /proc.
import { spawn } from 'child_process';
import { readFileSync } from 'fs';
import { createRequire } from 'module';
import { basename, join } from 'path';
import { pathToFileURL } from 'url';
import { REPO } from '../generate.mjs';

const require = createRequire(import.meta.url);
const { createMessageConnection, StreamMessageReader, StreamMessageWriter } = require('vscode-jsonrpc/node');

export const CLI = join(REPO, 'dist/cli.js');
export const uriOf = (file) => pathToFileURL(file).href;

/** The language server process and what it sent. */
export class BenchClient {
  constructor() {
    this.spawnedAt = performance.now();
    this.process = spawn(process.execPath, [CLI, 'lsp', '--stdio'], { cwd: REPO, stdio: 'pipe' });
    this.stderr = '';
    this.process.stderr.on('data', (d) => (this.stderr += d));
    /** @type {{ uri: string, count: number, at: number, seq: number }[]} */
    this.published = [];
    /** @type {{ message: string, at: number }[]} */
    this.logs = [];
    this.waiters = new Set();
    this.exited = false;
    this.process.on('exit', () => {
      this.exited = true;
      this.wake();
    });
    const c = createMessageConnection(new StreamMessageReader(this.process.stdout), new StreamMessageWriter(this.process.stdin));
    this.connection = c;
    c.onNotification('textDocument/publishDiagnostics', (p) => {
      this.published.push({ uri: p.uri, count: p.diagnostics.length, at: performance.now(), seq: this.published.length + 1 });
      this.wake();
    });
    c.onNotification('window/logMessage', (p) => {
      this.logs.push({ message: p.message, at: performance.now() });
      this.wake();
    });
    c.onNotification('$/progress', () => undefined);
    c.onNotification('window/showMessage', () => undefined);
    // Offline, default rule levels.
    c.onRequest('workspace/configuration', (p) => p.items.map((i) => (i.section === 'knownGood' ? { network: { enabled: false } } : null)));
    c.onRequest('client/registerCapability', () => null);
    c.onRequest('window/workDoneProgress/create', () => null);
    c.listen();
  }

  get pid() {
    return this.process.pid;
  }

  /** initialize + initialized with one workspace folder; resolves to ms from spawn to the initialize response. */
  async start(folder, initializationOptions = {}) {
    await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: uriOf(folder),
      workspaceFolders: [{ uri: uriOf(folder), name: basename(folder) }],
      capabilities: {
        workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true }, workspaceFolders: true },
        window: { workDoneProgress: true },
        textDocument: { publishDiagnostics: { relatedInformation: true } },
      },
      initializationOptions,
    });
    const ms = performance.now() - this.spawnedAt;
    await this.connection.sendNotification('initialized', {});
    return ms;
  }

  open(file, text, languageId, version = 1) {
    return this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(file), languageId, version, text } });
  }

  close(file) {
    return this.connection.sendNotification('textDocument/didClose', { textDocument: { uri: uriOf(file) } });
  }

  /** An incremental edit: replace `range` by `text`. */
  edit(file, version, range, text) {
    return this.connection.sendNotification('textDocument/didChange', { textDocument: { uri: uriOf(file), version }, contentChanges: [{ range, text }] });
  }

  /** Resolve with check()'s first defined value (re-checked on every message); reject after timeoutMs. */
  waitFor(what, check, timeoutMs) {
    return new Promise((resolve, reject) => {
      const waiter = () => {
        const v = check();
        if (v === undefined && !this.exited) return;
        this.waiters.delete(waiter);
        clearTimeout(timer);
        if (v === undefined) reject(new Error(`server exited while waiting for ${what}: ${this.stderr.slice(-2000)}`));
        else resolve(v);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      this.waiters.add(waiter);
      waiter();
    });
  }

  /** The first diagnostics for `file` published after message number `afterSeq`. */
  nextDiagnostics(file, afterSeq, timeoutMs = 30_000) {
    const uri = uriOf(file);
    return this.waitFor(`diagnostics for ${file}`, () => this.published.find((p) => p.seq > afterSeq && p.uri === uri), timeoutMs);
  }

  /** The server's current and peak resident memory in MB (Linux /proc). */
  memory() {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMB: kb('VmRSS') / 1024, peakMB: kb('VmHWM') / 1024 };
  }

  /** shutdown + exit, then make sure the process is gone. */
  async stop() {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 5000).unref())]);
      await this.connection.sendNotification('exit');
      await this.waitFor('exit', () => (this.exited ? true : undefined), 5000);
    } catch {
      // fall through to kill
    } finally {
      if (!this.exited) this.process.kill('SIGKILL');
      this.connection.dispose();
    }
  }

  wake() {
    for (const w of [...this.waiters]) w();
  }
}
