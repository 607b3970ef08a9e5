// A small Docker token service on loopback: issues RS256 JWTs (x5c header) the registry's rootcertbundle trusts.
import { createSign, randomBytes, X509Certificate } from 'node:crypto';
import http from 'node:http';
import { closeServer, listen } from './net';
import { selfSignedCert } from './tls';

export interface TokenRequest {
  method: string;
  authorization?: string;
  scope: string[];
  service?: string;
  grantType?: string;
}

export interface TokenServer {
  /** `http://127.0.0.1:<port>/token`. */
  realm: string;
  certPath: string;
  service: string;
  issuer: string;
  requests: TokenRequest[];
  /** Every token issued (secrets: they must never show up in logs). */
  issued: string[];
  /** The options given, live: tests may switch `field`. */
  options: TokenServerOptions;
  stop: () => Promise<void>;
}

export interface TokenServerOptions {
  users: Record<string, string>;
  refreshTokens?: Record<string, string>;
  field?: 'token' | 'access_token';
  /** `expires_in` to send; null leaves it out (clients then assume 60 s). Default 300. */
  expiresIn?: number | null;
}

function b64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

/**
 * Start a token server. Users authenticate with Basic (GET) or an OAuth2 refresh token (POST);
 * they get the actions they ask for. Anonymous callers get `pull` only on `public/*` repositories.
 * `field` chooses whether the response carries `token` or only `access_token`.
 */
export async function startTokenServer(dir: string, opts: TokenServerOptions): Promise<TokenServer> {
  const service = 'kg-test-registry';
  const issuer = 'kg-test-issuer';
  const cert = selfSignedCert(dir, 'token-signer', 'kg token signer');
  const x5c = [new X509Certificate(cert.certPem).raw.toString('base64')];
  const requests: TokenRequest[] = [];
  const issued: string[] = [];

  const sign = (subject: string, scopes: string[], authenticated: boolean): string => {
    const now = Math.floor(Date.now() / 1000);
    const access = scopes.flatMap((s) => {
      const [type, name, actions] = s.split(':');
      if (type !== 'repository' || !name) return [];
      const wanted = (actions ?? '').split(',').filter(Boolean);
      const granted = authenticated ? wanted : name.startsWith('public/') ? wanted.filter((a) => a === 'pull') : [];
      return [{ type, name, actions: granted }];
    });
    const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', x5c }));
    const claims = b64url(JSON.stringify({ iss: issuer, sub: subject, aud: service, exp: now + 300, nbf: now - 10, iat: now, jti: randomBytes(8).toString('hex'), access }));
    const signature = createSign('RSA-SHA256').update(`${header}.${claims}`).sign(cert.keyPem);
    const token = `${header}.${claims}.${b64url(signature)}`;
    issued.push(token);
    return token;
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const form = new URLSearchParams(req.method === 'POST' ? Buffer.concat(chunks).toString('utf8') : '');
      const params = req.method === 'POST' ? form : url.searchParams;
      const record: TokenRequest = { method: req.method ?? '', authorization: req.headers.authorization, scope: params.getAll('scope').flatMap((s) => s.split(' ')), service: params.get('service') ?? undefined, grantType: form.get('grant_type') ?? undefined };
      requests.push(record);
      let subject = '';
      if (req.method === 'POST') {
        subject = opts.refreshTokens?.[form.get('refresh_token') ?? ''] ?? '';
        if (!subject) return void res.writeHead(401).end('{"error":"invalid refresh token"}');
      } else if (req.headers.authorization) {
        const [scheme, value] = req.headers.authorization.split(' ');
        const [user, ...rest] = Buffer.from(value ?? '', 'base64').toString('utf8').split(':');
        if (scheme !== 'Basic' || opts.users[user] !== rest.join(':')) return void res.writeHead(401).end('{"error":"bad credentials"}');
        subject = user;
      }
      const token = sign(subject, record.scope, subject !== '');
      const expiry = opts.expiresIn === null ? {} : { expires_in: opts.expiresIn ?? 300 };
      const body = opts.field === 'access_token' ? { access_token: token, ...expiry } : { token, ...expiry, issued_at: new Date().toISOString() };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  const port = await listen(server);
  return { realm: `http://127.0.0.1:${port}/token`, certPath: cert.certPath, service, issuer, requests, issued, options: opts, stop: () => closeServer(server) };
}
