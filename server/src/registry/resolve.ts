// Resolve an image tag to the digest of its manifest (or index) with HEAD, verifying any bytes read.
import { parseImageRef } from '../core/image-ref';
import { authorizedRequest } from './auth';
import { parseRetryAfter } from './challenge';
import { type Ctx, createContext, RegistryError, registryLabel } from './context';
import { type HttpResponse, NetError } from './http';
import { bodyMediaType, digestMismatch, indexPlatforms, isIndex, isSchema1, isSha256Digest, MANIFEST_ACCEPT, mediaTypeOf, sha256Digest } from './manifest';
import { type FailureReason, type Resolution, type ResolveOptions } from './types';

function header(res: HttpResponse, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** A manifest request, retried once when the registry asks for at most 2 s of patience with 429. */
async function manifest(ctx: Ctx, method: 'HEAD' | 'GET', reference: string): Promise<HttpResponse> {
  const init = { method, path: `/v2/${ctx.repository}/manifests/${reference}`, headers: { accept: MANIFEST_ACCEPT } };
  let res = await authorizedRequest(ctx, init);
  if (res.status === 429) {
    const wait = parseRetryAfter(header(res, 'retry-after'));
    if (wait !== undefined && wait <= 2 && Date.now() + wait * 1000 < ctx.deadline) {
      ctx.log(`${ctx.host}: 429, retrying once after ${wait} s`);
      await new Promise((r) => setTimeout(r, wait * 1000));
      res = await authorizedRequest(ctx, init);
    }
  }
  return res;
}

/** Throw the failure an unsuccessful manifest response means. */
function expectOk(ctx: Ctx, res: HttpResponse, what: string): void {
  if (res.status === 200) return;
  const label = registryLabel(ctx);
  let code = '';
  try {
    const errors = (JSON.parse(res.body.toString('utf8')) as { errors?: { code?: string }[] }).errors;
    if (errors?.[0]?.code) code = `, ${String(errors[0].code).slice(0, 40)}`;
  } catch {
    // HEAD responses and plain-text errors carry no error code.
  }
  const status = `HTTP ${res.status}${code}`;
  if (res.status === 404) throw new RegistryError('not-found', `${what} not found on ${label} (${status})`);
  if (res.status === 401 || res.status === 403) {
    const who = ctx.credentialSource ? `with credentials from ${ctx.credentialSource}` : `anonymously (${ctx.credentialProblem ?? 'no credentials sent'})`;
    throw new RegistryError('unauthorized', `${label} refused access to ${what} ${who} (${status})`);
  }
  if (res.status === 429) {
    const wait = parseRetryAfter(header(res, 'retry-after'));
    const after = wait === undefined ? '' : `; retry after ${wait} s`;
    throw new RegistryError('rate-limited', `${label} rate-limited the request for ${what} (HTTP 429${after})`, wait);
  }
  throw new RegistryError('error', `${label} answered ${status} for ${what}`);
}

/** Map anything thrown during a resolution to a failure result. */
function failure(ctx: Ctx, e: unknown): Resolution {
  const label = registryLabel(ctx);
  let reason: FailureReason = 'error';
  let message: string;
  let retryAfterSeconds: number | undefined;
  if (e instanceof RegistryError) {
    [reason, message, retryAfterSeconds] = [e.reason, e.message, e.retryAfterSeconds];
  } else if (e instanceof NetError) {
    if (e.timedOut) [reason, message] = ['timeout', `${label} did not answer within ${ctx.timeoutMs} ms`];
    else if (e.plainHttpReply) [reason, message] = ['insecure-refused', `${label} answered HTTPS in plain HTTP; plain HTTP is allowed only for loopback hosts and hosts listed in insecureRegistries`];
    else if (e.certificateProblem) message = `TLS certificate of ${label} not trusted (${e.code})`;
    else if (e.code === 'ETOOBIG') message = `${label}: ${e.message}`;
    else [reason, message] = ['unreachable', `cannot reach ${label}: ${e.code}${e.code === 'EPROXY' ? ` (${e.message})` : ''}`];
  } else {
    message = `${label}: ${e instanceof Error ? e.message : String(e)}`;
  }
  const result: Resolution = { ok: false, registry: ctx.registry, reason, message: ctx.session.redactor.clean(message) };
  if (retryAfterSeconds !== undefined) result.retryAfterSeconds = retryAfterSeconds;
  return result;
}

async function resolveIn(ctx: Ctx, tag: string, wantPlatforms: boolean): Promise<Resolution> {
  const what = `${ctx.repository}:${tag}`;
  let res = await manifest(ctx, 'HEAD', tag);
  if (res.status === 405 || res.status === 501) res = await manifest(ctx, 'GET', tag);
  expectOk(ctx, res, what);
  let digest = header(res, 'docker-content-digest');
  let mediaType = mediaTypeOf(header(res, 'content-type'));
  let body: Buffer | undefined;
  if (res.method !== 'HEAD' || !isSha256Digest(digest)) {
    if (res.method === 'HEAD') {
      ctx.log(`${ctx.host}: HEAD gave ${digest ? 'an unusable' : 'no'} Docker-Content-Digest; fetching ${what} to hash it`);
      res = await manifest(ctx, 'GET', tag);
      expectOk(ctx, res, what);
    }
    body = res.body;
    const mismatch = digestMismatch(header(res, 'docker-content-digest'), body);
    if (mismatch) throw new RegistryError('bad-digest', `${registryLabel(ctx)}: ${mismatch} for ${what}`);
    digest = sha256Digest(body);
    mediaType = mediaTypeOf(header(res, 'content-type')) || bodyMediaType(body);
  }
  if (isSchema1(mediaType)) throw new RegistryError('error', `${registryLabel(ctx)} offers only a deprecated schema-1 manifest for ${what}; not pinning it`);
  let platforms: string[] | undefined;
  if (wantPlatforms && (isIndex(mediaType) || !mediaType)) {
    if (!body) {
      res = await manifest(ctx, 'GET', digest);
      expectOk(ctx, res, `${ctx.repository}@${digest}`);
      body = res.body;
      const actual = sha256Digest(body);
      if (actual !== digest) throw new RegistryError('bad-digest', `${registryLabel(ctx)}: manifest ${digest} of ${what} has bytes hashing to ${actual}`);
      mediaType ||= mediaTypeOf(header(res, 'content-type')) || bodyMediaType(body);
    }
    if (isIndex(mediaType)) platforms = indexPlatforms(body);
  }
  return { ok: true, digest, mediaType, ...(platforms ? { platforms } : {}), registry: ctx.registry, repository: ctx.repository, tag };
}

/**
 * Resolve `reference` (`node:20`, `ghcr.io/o/r:1`, `localhost:5000/app`) to the digest its tag
 * points at now: `HEAD /v2/<name>/manifests/<tag>` with the index and manifest media types in
 * `Accept`, so a multi-platform tag yields its index digest. Uses `Docker-Content-Digest` when
 * valid; otherwise GETs and hashes the exact bytes (rejecting a header that disagrees). Every
 * failure is a result, never an exception.
 */
export async function resolveDigest(reference: string, options: ResolveOptions = {}): Promise<Resolution> {
  const parsed = parseImageRef(reference);
  if (!parsed.ok) return { ok: false, registry: '', reason: 'invalid-reference', message: parsed.error };
  const ref = parsed.ref;
  if (!ref.tag && ref.digest) {
    return { ok: false, registry: ref.registry, reason: 'invalid-reference', message: `"${reference}" is already pinned to a digest and names no tag to resolve` };
  }
  const tag = ref.tag ?? 'latest';
  if (options.networkDisabled) {
    return { ok: false, registry: ref.registry, reason: 'network-disabled', message: `not asking ${ref.registry} for ${ref.repository}:${tag}: network access is disabled` };
  }
  const ctx = createContext(ref.registry, ref.repository, options);
  try {
    return await resolveIn(ctx, tag, options.platforms === true);
  } catch (e) {
    return failure(ctx, e);
  } finally {
    if (ctx.ownSession) ctx.session.close();
  }
}
