// Shared by the quick-fix protocol tests: a client that answers consent requests, applying a
// WorkspaceEdit to texts, ranges of needles, and the loopback download server (HTTPS behind a CONNECT proxy).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CodeAction, CreateFile, Diagnostic, TextDocumentEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { closeServer, listen } from '../registry/helpers/net';
import { selfSignedCert } from '../registry/helpers/tls';
import { TestClient, uriOf } from './lsp-client';
import { applyLspEdits } from './registry-fixture';

export const DIGEST = `sha256:${'ab12'.repeat(16)}`;

/** Line and character of `offset` in `text`. */
export function pos(text: string, offset: number) {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

/** A client whose `window/showMessageRequest` answers are chosen by the test (and recorded). */
export class FixClient extends TestClient {
  /** The title to answer with (`undefined`: dismiss). */
  answer: string | undefined = 'Yes';
  readonly asked: { message: string; actions: { title: string }[] }[] = [];

  constructor() {
    super();
    this.connection.onRequest('window/showMessageRequest', (p: { message: string; actions?: { title: string }[] }) => {
      this.asked.push({ message: p.message, actions: p.actions ?? [] });
      return this.answer === undefined ? null : { title: this.answer };
    });
  }

  /** Open `file` with `text` and wait for diagnostics that include `rule` (returns all of them). */
  async openAndWait(file: string, text: string, languageId: string, rule: string, version = 1): Promise<Diagnostic[]> {
    const since = this.lastSeq;
    await this.open(file, text, languageId, version);
    return (await this.waitForDiagnostics(file, (d) => d.some((x) => x.code === rule), since)).diagnostics;
  }

  /** The actions offered for the first `rule` diagnostic of `diagnostics`. */
  async actionsFor(file: string, diagnostics: Diagnostic[], rule: string): Promise<{ diagnostic: Diagnostic; actions: CodeAction[] }> {
    const diagnostic = diagnostics.find((d) => d.code === rule);
    assert.ok(diagnostic, `a ${rule} diagnostic in ${JSON.stringify(diagnostics.map((d) => d.code))}`);
    return { diagnostic, actions: await this.codeActions(file, diagnostic.range, undefined, [diagnostic]) };
  }
}

/** Texts of files (by URI) after applying `edit`; files not in `texts` are read from disk. */
export function applyWorkspaceEdit(edit: WorkspaceEdit, texts: Map<string, string> = new Map()): Map<string, string> {
  const out = new Map(texts);
  const read = (uri: string) => out.get(uri) ?? readFileSync(fileURLToPath(uri), 'utf8');
  for (const change of edit.documentChanges ?? []) {
    if ('kind' in change) {
      assert.equal(change.kind, 'create', 'only CreateFile resource operations');
      out.set((change as CreateFile).uri, '');
      continue;
    }
    const c = change as TextDocumentEdit;
    out.set(c.textDocument.uri, applyLspEdits(read(c.textDocument.uri), c.edits));
  }
  for (const [uri, edits] of Object.entries(edit.changes ?? {})) out.set(uri, applyLspEdits(read(uri), edits));
  return out;
}

/** The TextDocumentEdits of an edit, by URI. */
export function documentEdits(edit: WorkspaceEdit | undefined): Map<string, TextDocumentEdit> {
  const out = new Map<string, TextDocumentEdit>();
  for (const c of edit?.documentChanges ?? []) if (!('kind' in c)) out.set(c.textDocument.uri, c as TextDocumentEdit);
  return out;
}

/** Codes of diagnostics, sorted. */
export const codesOf = (d: readonly Diagnostic[]) => d.map((x) => String(x.code)).sort();

/** `before` without one `rule`. */
export function minusOne(before: string[], rule: string): string[] {
  const out = [...before];
  const i = out.indexOf(rule);
  assert.ok(i >= 0, `${rule} in ${before.join(',')}`);
  out.splice(i, 1);
  return out;
}

export const sha256 = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** The host the test Dockerfiles download from (reached through the test proxy, never DNS). */
export const DOWNLOAD_HOST = 'downloads.known-good.test';

/**
 * An HTTPS server for {@link DOWNLOAD_HOST} (certificate trusted through NODE_EXTRA_CA_CERTS) behind a
 * CONNECT proxy that tunnels only to it: the language server gets `HTTPS_PROXY` pointing at the proxy.
 */
export interface DownloadServer {
  /** `https://downloads.known-good.test/<name>`. */
  url: (name: string) => string;
  /** Files served by path (`/tool`). */
  files: Map<string, Buffer>;
  /** Requests that reached the HTTPS server (method and path). */
  requests: string[];
  /** CONNECTs the proxy saw, and which it refused. */
  connects: { authority: string; refused: boolean }[];
  /** Environment for the server process. */
  env: Record<string, string>;
  stop: () => Promise<void>;
}

export async function startDownloadServer(): Promise<DownloadServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kg-download-'));
  const cert = selfSignedCert(dir, 'downloads', DOWNLOAD_HOST, [`DNS:${DOWNLOAD_HOST}`]);
  const files = new Map<string, Buffer>();
  const requests: string[] = [];
  const connects: DownloadServer['connects'] = [];
  const server = https.createServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const body = files.get(req.url ?? '');
    if (req.url?.startsWith('/redirect/')) {
      res.writeHead(302, { location: `/${req.url.slice('/redirect/'.length)}` });
      return res.end();
    }
    if (!body) {
      res.writeHead(404);
      return res.end('not found');
    }
    res.writeHead(200, { 'content-length': body.length, 'content-type': 'application/octet-stream' });
    res.end(body);
  });
  const port = await listen(server);
  const proxy = http.createServer((_req, res) => {
    res.writeHead(405);
    res.end();
  });
  const tunnels = new Set<net.Socket>();
  proxy.on('connect', (req: http.IncomingMessage, socket: net.Socket) => {
    tunnels.add(socket);
    socket.on('close', () => tunnels.delete(socket));
    const authority = req.url ?? '';
    const ok = authority === `${DOWNLOAD_HOST}:443`;
    connects.push({ authority, refused: !ok });
    if (!ok) return void socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
    const upstream = net.connect(port, '127.0.0.1', () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  const proxyPort = await listen(proxy);
  return {
    url: (name) => `https://${DOWNLOAD_HOST}/${name}`,
    files,
    requests,
    connects,
    env: { HTTPS_PROXY: `http://127.0.0.1:${proxyPort}`, NODE_EXTRA_CA_CERTS: cert.certPath, NO_PROXY: '' },
    stop: async () => {
      for (const s of tunnels) s.destroy();
      await closeServer(proxy);
      await closeServer(server);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** What applying one fix through the server did. */
export interface Applied {
  action: CodeAction;
  resolved: CodeAction;
  /** Texts after the edit, by URI. */
  texts: Map<string, string>;
  /** Codes on the document before and after. */
  before: string[];
  after: string[];
}

/**
 * Open `file`, take the action titled by `pick` for its first `rule` diagnostic, resolve it, apply the
 * edit to the open text, send it as a change, and return the diagnostics that follow.
 */
export async function applyFixThrough(client: FixClient, file: string, text: string, languageId: string, rule: string, pick: (a: CodeAction) => boolean): Promise<Applied> {
  const diagnostics = await client.openAndWait(file, text, languageId, rule);
  const { actions } = await client.actionsFor(file, diagnostics, rule);
  const action = actions.find(pick);
  assert.ok(action, `the wanted action among ${JSON.stringify(actions.map((a) => a.title))}`);
  assert.equal(action.edit, undefined, 'the edit is computed in resolve');
  const resolved = await client.resolve(action);
  assert.ok(resolved.edit, `an edit (disabled: ${resolved.disabled?.reason}; messages: ${JSON.stringify(client.messages.map((m) => m.message))})`);
  const uri = uriOf(file);
  const texts = applyWorkspaceEdit(resolved.edit, new Map([[uri, text]]));
  const since = client.lastSeq;
  await client.change(file, texts.get(uri)!, 2);
  // Publications of older analyses may still arrive: wait for the one where the finding is gone (a fix
  // that does not remove it times out here), then compare everything else.
  const count = (d: readonly Diagnostic[]) => d.filter((x) => x.code === rule).length;
  const after = await client.waitForDiagnostics(file, (d) => count(d) < count(diagnostics), since);
  return { action, resolved, texts, before: codesOf(diagnostics), after: codesOf(after.diagnostics) };
}

/** Run `fn` with `env` set for child processes started inside it (the language server). */
export function withEnv<T>(env: Record<string, string>, fn: () => T): T {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

export { uriOf };
