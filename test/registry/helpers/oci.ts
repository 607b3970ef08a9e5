// Builds OCI images by hand (layer tar.gz, config, manifest, index), writes OCI layouts and pushes them.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';

export interface Blob {
  mediaType: string;
  digest: string;
  size: number;
  bytes: Buffer;
}

export interface Image {
  manifest: Blob;
  config: Blob;
  layer: Blob;
  platform: { os: string; architecture: string; variant?: string };
}

function blob(mediaType: string, bytes: Buffer): Blob {
  return { mediaType, bytes, size: bytes.length, digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}` };
}

/** A one-file ustar archive. */
function tar(name: string, content: Buffer): Buffer {
  const header = Buffer.alloc(512);
  const put = (text: string, offset: number, length: number): void => void header.write(text.slice(0, length), offset, 'ascii');
  const octal = (n: number, length: number): string => `${n.toString(8).padStart(length - 1, '0')}\0`;
  put(name, 0, 100);
  put(octal(0o644, 8), 100, 8);
  put(octal(0, 8), 108, 8);
  put(octal(0, 8), 116, 8);
  put(octal(content.length, 12), 124, 12);
  put(octal(1_700_000_000, 12), 136, 12);
  put('        ', 148, 8);
  put('0', 156, 1);
  put('ustar\0', 257, 6);
  put('00', 263, 2);
  let sum = 0;
  for (const b of header) sum += b;
  put(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8);
  const padded = Buffer.alloc(Math.ceil(content.length / 512) * 512);
  content.copy(padded);
  return Buffer.concat([header, padded, Buffer.alloc(1024)]);
}

/** An image whose single layer holds `hello.txt` with `text`; distinct text gives distinct digests. */
export function buildImage(text: string, platform: Image['platform'] = { os: 'linux', architecture: 'amd64' }): Image {
  const raw = tar('hello.txt', Buffer.from(text));
  const layer = blob('application/vnd.oci.image.layer.v1.tar+gzip', gzipSync(raw, { level: 9 }));
  const diffId = `sha256:${createHash('sha256').update(raw).digest('hex')}`;
  const config = blob(
    'application/vnd.oci.image.config.v1+json',
    Buffer.from(JSON.stringify({ architecture: platform.architecture, os: platform.os, ...(platform.variant ? { variant: platform.variant } : {}), rootfs: { type: 'layers', diff_ids: [diffId] }, config: { Cmd: ['/hello'] } })),
  );
  const describe = (b: Blob): object => ({ mediaType: b.mediaType, digest: b.digest, size: b.size });
  const manifest = blob(
    'application/vnd.oci.image.manifest.v1+json',
    Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: describe(config), layers: [describe(layer)] })),
  );
  return { manifest, config, layer, platform };
}

/** An OCI image index over `images` (each with its platform). */
export function buildIndex(images: Image[]): Blob {
  const manifests = images.map((i) => ({ mediaType: i.manifest.mediaType, digest: i.manifest.digest, size: i.manifest.size, platform: i.platform }));
  return blob('application/vnd.oci.image.index.v1+json', Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests })));
}

/** Write an OCI image layout at `dir` whose `index.json` names `top` as `tag`. */
export function writeLayout(dir: string, tag: string, top: Blob, blobs: Blob[]): void {
  mkdirSync(path.join(dir, 'blobs', 'sha256'), { recursive: true });
  writeFileSync(path.join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  for (const b of [...blobs, top]) writeFileSync(path.join(dir, 'blobs', 'sha256', b.digest.slice(7)), b.bytes);
  const entry = { mediaType: top.mediaType, digest: top.digest, size: top.size, annotations: { 'org.opencontainers.image.ref.name': tag } };
  writeFileSync(path.join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [entry] }));
}

/** `skopeo copy` an OCI layout tag to the registry (plain HTTP allowed; `--all --preserve-digests` for an index). */
export async function skopeoCopy(layout: string, tag: string, dest: string, opts: { creds?: string; all?: boolean } = {}): Promise<void> {
  const args = ['--insecure-policy', 'copy', '--quiet', '--dest-tls-verify=false', '--preserve-digests'];
  if (opts.all) args.push('--all');
  if (opts.creds) args.push('--dest-creds', opts.creds);
  args.push(`oci:${layout}:${tag}`, `docker://${dest}`);
  await promisify(execFile)('skopeo', args, { timeout: 60_000 });
}

async function call(method: string, url: string, headers: Record<string, string>, body?: Buffer): Promise<Response> {
  const res = await fetch(url, { method, headers, body, redirect: 'manual' });
  if (res.status >= 300) throw new Error(`${method} ${url} -> ${res.status} ${await res.text()}`);
  return res;
}

/** Push images through the registry API (monolithic blob uploads; `headers` may carry Authorization) and tag `top` (one image's manifest or an index over them). */
export async function pushViaApi(base: string, repo: string, tag: string, images: Image[], top: Blob, headers: Record<string, string> = {}): Promise<void> {
  for (const image of images) {
    for (const b of [image.layer, image.config]) {
      const start = await call('POST', `${base}/v2/${repo}/blobs/uploads/`, headers);
      const location = new URL(start.headers.get('location')!, base);
      location.searchParams.set('digest', b.digest);
      await call('PUT', location.href, { ...headers, 'content-type': 'application/octet-stream' }, b.bytes);
    }
    if (image.manifest !== top) await call('PUT', `${base}/v2/${repo}/manifests/${image.manifest.digest}`, { ...headers, 'content-type': image.manifest.mediaType }, image.manifest.bytes);
  }
  await call('PUT', `${base}/v2/${repo}/manifests/${tag}`, { ...headers, 'content-type': top.mediaType }, top.bytes);
}

/** The same image with a manifest that differs only by an annotation, so each `n` has its own digest. */
export function annotated(image: Image, n: number): Image {
  const doc = JSON.parse(image.manifest.bytes.toString('utf8')) as Record<string, unknown>;
  doc.annotations = { 'org.example.n': String(n) };
  return { ...image, manifest: blob(image.manifest.mediaType, Buffer.from(JSON.stringify(doc))) };
}

/** PUT one manifest under `tag` (its blobs must already be in the repository). */
export async function putManifest(base: string, repo: string, tag: string, manifest: Blob): Promise<void> {
  await call('PUT', `${base}/v2/${repo}/manifests/${tag}`, { 'content-type': manifest.mediaType }, manifest.bytes);
}
