// The WWW-Authenticate challenge flow: anonymous or credentialed bearer tokens (cached), or Basic.
import { createHash } from 'node:crypto';
import { type Challenge, parseChallenges } from './challenge';
import { type Ctx, RegistryError, registryLabel } from './context';
import { type CredentialLookupResult, type Credentials, findCredentials } from './docker-config';
import { type HttpResponse } from './http';
import { type RequestInit, registryRequest, request } from './transport';

/** Credentials for the context's registry, looked up once per session; their secrets join the redactor. */
export async function credentialsFor(ctx: Ctx): Promise<Credentials | undefined> {
  const key = `${ctx.registry}\n${ctx.configPath}\n${ctx.allowHelpers}`;
  let pending = ctx.session.credentials.get(key);
  if (!pending) {
    pending = findCredentials({
      registry: ctx.registry,
      configPath: ctx.configPath,
      allowHelpers: ctx.allowHelpers,
      env: ctx.env,
      timeoutMs: Math.min(5000, ctx.deadline - Date.now()),
      log: ctx.log,
    });
    ctx.session.credentials.set(key, pending);
  }
  const found: CredentialLookupResult = await pending;
  const creds = found.credentials;
  ctx.credentialProblem = found.problem;
  if (creds?.username && creds.password) ctx.session.redactor.addBasic(creds.username, creds.password);
  ctx.session.redactor.add(creds?.password);
  ctx.session.redactor.add(creds?.identityToken);
  return creds;
}

function basicHeader(creds: Credentials): string | undefined {
  if (!creds.username || !creds.password) return undefined;
  return `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
}

/** Cache key of a token: realm, service, scope, and a hash standing for the identity (never the secret). */
function tokenKey(challenge: Challenge, scope: string, creds: Credentials | undefined): string {
  const who = creds ? createHash('sha256').update(`${creds.source}\n${creds.username ?? ''}`).digest('hex').slice(0, 16) : 'anonymous';
  return [challenge.params.realm, challenge.params.service ?? '', scope, who].join('\n');
}

/**
 * Get a bearer token from the challenge's realm. With credentials they go to the realm as Docker
 * sends them (Basic on GET, or an OAuth2 refresh-token POST for an identity token), only because the
 * registry named that realm, and only over HTTPS or to a host where plain HTTP is allowed.
 */
async function bearerToken(ctx: Ctx, challenge: Challenge, scope: string, refresh: boolean): Promise<string> {
  const creds = await credentialsFor(ctx);
  const key = tokenKey(challenge, scope, creds);
  const cached = refresh ? undefined : ctx.session.token(key);
  if (cached) return cached;
  let pending = ctx.session.pendingTokens.get(key);
  if (!pending) {
    pending = fetchToken(ctx, challenge, scope, creds, key).finally(() => ctx.session.pendingTokens.delete(key));
    ctx.session.pendingTokens.set(key, pending);
  }
  return pending;
}

async function fetchToken(ctx: Ctx, challenge: Challenge, scope: string, creds: Credentials | undefined, key: string): Promise<string> {
  let realm: URL;
  try {
    realm = new URL(challenge.params.realm);
  } catch {
    throw new RegistryError('error', `${registryLabel(ctx)} sent an authentication challenge without a valid token realm`);
  }
  const service = challenge.params.service;
  let init: RequestInit;
  if (creds?.identityToken) {
    const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: creds.identityToken, client_id: 'known-good', scope });
    if (service) form.set('service', service);
    init = { method: 'POST', url: realm, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() };
  } else {
    const url = new URL(realm);
    if (service) url.searchParams.set('service', service);
    url.searchParams.set('scope', scope);
    const basic = creds && basicHeader(creds);
    init = { method: 'GET', url, headers: basic ? { authorization: basic } : {} };
  }
  if (creds) ctx.credentialSource = creds.source;
  ctx.log(`token for ${scope} from ${realm.host} (${creds ? creds.source : 'anonymous'})`);
  const res = await request(ctx, 'token', { ...init, headers: { ...init.headers, accept: 'application/json' }, maxBody: 1 << 20 });
  if (res.status === 401 || res.status === 403) {
    throw new RegistryError('unauthorized', `token service ${realm.host} for ${registryLabel(ctx)} refused ${creds ? `the credentials from ${creds.source}` : 'an anonymous token'} (HTTP ${res.status})`);
  }
  if (res.status !== 200) throw new RegistryError(res.status === 429 ? 'rate-limited' : 'error', `token service ${realm.host} for ${registryLabel(ctx)} answered HTTP ${res.status}`);
  let parsed: { token?: unknown; access_token?: unknown; expires_in?: unknown };
  try {
    parsed = JSON.parse(res.body.toString('utf8')) as typeof parsed;
  } catch {
    throw new RegistryError('error', `token service ${realm.host} for ${registryLabel(ctx)} did not answer JSON`);
  }
  const token = typeof parsed.token === 'string' && parsed.token ? parsed.token : parsed.access_token;
  if (typeof token !== 'string' || !token) throw new RegistryError('error', `token service ${realm.host} for ${registryLabel(ctx)} sent no token`);
  ctx.session.redactor.add(token);
  ctx.session.storeToken(key, token, typeof parsed.expires_in === 'number' ? parsed.expires_in : undefined);
  return token;
}

/** The Authorization value answering a challenge for `scope`, or undefined when we have nothing to offer. */
async function answer(ctx: Ctx, challenge: Challenge, scope: string, refresh: boolean): Promise<string | undefined> {
  if (challenge.scheme === 'bearer' && challenge.params.realm) {
    return `Bearer ${await bearerToken(ctx, challenge, scope, refresh)}`;
  }
  if (challenge.scheme === 'basic') {
    const creds = await credentialsFor(ctx);
    const header = creds && basicHeader(creds);
    if (header) ctx.credentialSource = creds.source;
    return header;
  }
  return undefined;
}

/**
 * A request to the registry API that authenticates as the registry asks: it reuses the host's
 * last challenge (cached token or Basic) up front, and on a 401 answers the new challenge once.
 */
export async function authorizedRequest(ctx: Ctx, init: Omit<RequestInit, 'url'> & { path: string }): Promise<HttpResponse> {
  const scope = `repository:${ctx.repository}:pull`;
  const known = ctx.session.challenges.get(ctx.host);
  const first = known ? await answer(ctx, known, scope, false) : undefined;
  const res = await registryRequest(ctx, { ...init, headers: first ? { ...init.headers, authorization: first } : init.headers });
  if (res.status !== 401) return res;
  const challenges = parseChallenges(res.headers['www-authenticate']);
  const challenge = challenges.find((c) => c.scheme === 'bearer' && c.params.realm) ?? challenges.find((c) => c.scheme === 'basic');
  if (!challenge) return res;
  ctx.session.challenges.set(ctx.host, challenge);
  const second = await answer(ctx, challenge, challenge.params.scope || scope, first !== undefined);
  if (!second || second === first) return res;
  return registryRequest(ctx, { ...init, headers: { ...init.headers, authorization: second } });
}
