// A real loopback registry for the pin protocol tests: demo/app tags pushed by skopeo and the
// registry API, behind a counting reverse proxy (the host the test files name).
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyEdits } from '../../server/src/core/fixes/pin';
import type { Span } from '../../server/src/core/types';
import { buildImage, buildIndex, pushViaApi, skopeoCopy, writeLayout, type Blob, type Image } from '../registry/helpers/oci';
import { startReverseProxy, type ReverseProxy } from '../registry/helpers/proxies';
import { startRegistry, type RegistryHandle } from '../registry/helpers/registry';

export { skipUnlessTools } from '../registry/helpers/tools';

export interface DemoRegistry {
  reg: RegistryHandle;
  /** Counting proxy in front of `reg`; references name `proxy.host`. */
  proxy: ReverseProxy;
  /** demo/app:1.0, one platform. */
  single: Image;
  /** demo/app:2.0, an index over amd64 and arm64/v8. */
  index: Blob;
  /** demo/app:latest. */
  latest: Image;
  work: string;
  /** Manifest requests the proxy saw since `from` (an index into `proxy.seen`). */
  manifestRequests: (from?: number) => string[];
  stop: () => Promise<void>;
}

/** Start the registry, push the demo tags, put a proxy in front. */
export async function startDemoRegistry(): Promise<DemoRegistry> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'kg-pin-protocol-'));
  const reg = await startRegistry();
  const single = buildImage('pin protocol single v1');
  const amd = buildImage('pin protocol amd64', { os: 'linux', architecture: 'amd64' });
  const arm = buildImage('pin protocol arm64', { os: 'linux', architecture: 'arm64', variant: 'v8' });
  const index = buildIndex([amd, arm]);
  const latest = buildImage('pin protocol latest');
  writeLayout(path.join(work, 'single'), '1.0', single.manifest, [single.layer, single.config]);
  writeLayout(path.join(work, 'multi'), '2.0', index, [amd.layer, amd.config, amd.manifest, arm.layer, arm.config, arm.manifest]);
  await skopeoCopy(path.join(work, 'single'), '1.0', `${reg.host}/demo/app:1.0`);
  await skopeoCopy(path.join(work, 'multi'), '2.0', `${reg.host}/demo/app:2.0`, { all: true });
  await pushViaApi(reg.url, 'demo/app', 'latest', [latest], latest.manifest);
  const proxy = await startReverseProxy(reg.host);
  return {
    reg,
    proxy,
    single,
    index,
    latest,
    work,
    manifestRequests: (from = 0) => proxy.seen.slice(from).filter((s) => s.url.includes('/manifests/')).map((s) => `${s.method} ${s.url}`),
    stop: async () => {
      await proxy.stop();
      await reg.stop();
      rmSync(work, { recursive: true, force: true });
    },
  };
}

/** Push `image` under `repo:tag` (replacing what the tag pointed to). */
export function pushTag(reg: RegistryHandle, repo: string, tag: string, image: Image): Promise<void> {
  return pushViaApi(reg.url, repo, tag, [image], image.manifest);
}

/** A proxy that forwards every request to `target` after `delayMs` (a slow registry). */
export async function startSlowProxy(target: RegistryHandle, delayMs: number): Promise<ReverseProxy> {
  return startReverseProxy(target.host, {
    intercept: (req, res) => {
      setTimeout(() => {
        const up = http.request({ host: '127.0.0.1', port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host }, agent: false }, (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        });
        up.on('error', () => res.destroy());
        up.end();
      }, delayMs);
      return true;
    },
  });
}

interface LspTextEdit {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  newText: string;
}

/** Apply LSP text edits to `text` (as an editor would). */
export function applyLspEdits(text: string, edits: readonly LspTextEdit[]): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const offset = (p: { line: number; character: number }) => starts[p.line] + p.character;
  const spans: { span: Span; newText: string }[] = edits.map((e) => ({ span: { start: offset(e.range.start), end: offset(e.range.end) }, newText: e.newText }));
  return applyEdits(text, spans);
}
