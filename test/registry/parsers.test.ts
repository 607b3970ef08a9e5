// Table tests of the registry client's pure parts: challenges, Retry-After, proxy rules, config keys, digests, redaction.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { parseChallenges, parseRetryAfter } from '../../server/src/registry/challenge';
import { configKeyHost, helperServerUrl } from '../../server/src/registry/docker-config';
import { digestMismatch, indexPlatforms, isSha256Digest, sha256Digest } from '../../server/src/registry/manifest';
import { isLoopback, noProxyMatches, plainHttpAllowed, proxyFor } from '../../server/src/registry/proxy';
import { Redactor, safeUrl } from '../../server/src/registry/redact';

test('WWW-Authenticate challenges', () => {
  const cases: [string | string[], ReturnType<typeof parseChallenges>][] = [
    [
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/node:pull"',
      [{ scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/node:pull' } }],
    ],
    ['Basic realm="basic-realm"', [{ scheme: 'basic', params: { realm: 'basic-realm' } }]],
    [
      'Basic realm="a, b", Bearer realm="https://x/token" , service=reg',
      [
        { scheme: 'basic', params: { realm: 'a, b' } },
        { scheme: 'bearer', params: { realm: 'https://x/token', service: 'reg' } },
      ],
    ],
    [['Basic realm="r"', 'Bearer realm="t"'], [{ scheme: 'basic', params: { realm: 'r' } }, { scheme: 'bearer', params: { realm: 't' } }]],
    ['Bearer realm="q\\"uote",Error="insufficient_scope"', [{ scheme: 'bearer', params: { realm: 'q"uote', error: 'insufficient_scope' } }]],
    ['', []],
    ['=garbage', []],
  ];
  for (const [header, expected] of cases) assert.deepEqual(parseChallenges(header), expected, String(header));
  assert.deepEqual(parseChallenges(undefined), []);
});

test('Retry-After', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  const cases: [string | undefined, number | undefined][] = [
    ['0', 0],
    ['1', 1],
    [' 120 ', 120],
    ['Wed, 01 Jan 2025 00:01:30 GMT', 90],
    ['Tue, 31 Dec 2024 23:00:00 GMT', 0],
    ['soon', undefined],
    ['-5', undefined],
    ['1.5', undefined],
    ['', undefined],
    [undefined, undefined],
  ];
  for (const [value, expected] of cases) assert.equal(parseRetryAfter(value, now), expected, String(value));
});

test('loopback and plain-HTTP policy', () => {
  const loopback: [string, boolean][] = [
    ['localhost', true],
    ['LOCALHOST', true],
    ['127.0.0.1', true],
    ['127.3.4.5', true],
    ['[::1]', true],
    ['::1', true],
    ['128.0.0.1', false],
    ['10.0.0.1', false],
    ['localhost.example.com', false],
    ['127.0.0.1.nip.io', false],
    ['registry.example.invalid', false],
  ];
  for (const [host, expected] of loopback) assert.equal(isLoopback(host), expected, host);
  const plain: [string, string[], boolean][] = [
    ['http://127.0.0.1:5000/', [], true],
    ['http://registry.example.invalid/', [], false],
    ['http://registry.example.invalid:5000/', ['registry.example.invalid:5000'], true],
    ['http://registry.example.invalid:5000/', ['registry.example.invalid'], true],
    ['http://registry.example.invalid:5001/', ['registry.example.invalid:5000'], false],
    ['http://registry.example.invalid/', ['http://registry.example.invalid/'], true],
    ['http://evil.example/', ['registry.example.invalid'], false],
  ];
  for (const [url, insecure, expected] of plain) assert.equal(plainHttpAllowed(new URL(url), insecure), expected, `${url} ${insecure.join(',')}`);
});

test('NO_PROXY matching', () => {
  const cases: [string, string | undefined, boolean][] = [
    ['https://registry.test/', 'registry.test', true],
    ['https://a.registry.test/', 'registry.test', true],
    ['https://a.registry.test/', '.registry.test', true],
    ['https://a.registry.test/', '*.registry.test', true],
    ['https://xregistry.test/', 'registry.test', false],
    ['https://registry.test:5000/', 'registry.test:5000', true],
    ['https://registry.test:5001/', 'registry.test:5000', false],
    ['https://registry.test/', 'registry.test:443', true],
    ['https://ghcr.io/', 'foo, ghcr.io bar', true],
    ['https://ghcr.io/', '*', true],
    ['https://ghcr.io/', '', false],
    ['https://ghcr.io/', undefined, false],
  ];
  for (const [url, noProxy, expected] of cases) assert.equal(noProxyMatches(new URL(url), noProxy), expected, `${url} NO_PROXY=${noProxy}`);
});

test('proxy choice', () => {
  const env = { HTTPS_PROXY: 'proxy.corp:3128', http_proxy: 'http://p2:8080', NO_PROXY: 'internal.corp' };
  const cases: [string, NodeJS.ProcessEnv, string | undefined][] = [
    ['https://ghcr.io/v2/', env, 'http://proxy.corp:3128/'],
    ['http://registry.test/v2/', env, 'http://p2:8080/'],
    ['https://r.internal.corp/v2/', env, undefined],
    ['https://127.0.0.1:5000/v2/', env, undefined],
    ['https://localhost/v2/', env, undefined],
    ['https://ghcr.io/v2/', { https_proxy: 'http://u:p@lower:1' }, 'http://u:p@lower:1/'],
    ['https://ghcr.io/v2/', { HTTP_PROXY: 'http://only-http:1' }, undefined],
    ['https://ghcr.io/v2/', {}, undefined],
  ];
  for (const [url, e, expected] of cases) assert.equal(proxyFor(new URL(url), e)?.href, expected, `${url} ${JSON.stringify(e)}`);
});

test('Docker config keys and helper server URLs', () => {
  const keys: [string, string][] = [
    ['https://index.docker.io/v1/', 'docker.io'],
    ['index.docker.io', 'docker.io'],
    ['registry-1.docker.io', 'docker.io'],
    ['docker.io', 'docker.io'],
    ['https://ghcr.io', 'ghcr.io'],
    ['http://LOCALHOST:5000/v2/', 'localhost:5000'],
    ['123456789012.dkr.ecr.us-east-1.amazonaws.com', '123456789012.dkr.ecr.us-east-1.amazonaws.com'],
  ];
  for (const [key, host] of keys) assert.equal(configKeyHost(key), host, key);
  assert.equal(helperServerUrl('docker.io'), 'https://index.docker.io/v1/');
  assert.equal(helperServerUrl('ghcr.io'), 'ghcr.io');
});

test('digests and index platforms', () => {
  const bytes = Buffer.from('{"schemaVersion":2}');
  const digest = sha256Digest(bytes);
  assert.equal(isSha256Digest(digest), true);
  for (const bad of [digest.toUpperCase(), digest.slice(0, -1), `sha512:${digest.slice(7)}`, undefined]) assert.equal(isSha256Digest(bad), false, String(bad));
  assert.equal(digestMismatch(undefined, bytes), undefined);
  assert.equal(digestMismatch(digest, bytes), undefined);
  assert.match(digestMismatch(`sha256:${'0'.repeat(64)}`, bytes) ?? '', /does not match the manifest bytes/);
  assert.match(digestMismatch('sha256:xyz', bytes) ?? '', /malformed/);
  const sha512 = `sha512:${createHash('sha512').update(bytes).digest('hex')}`;
  assert.equal(digestMismatch(sha512, bytes), undefined);

  const index = (manifests: object[]): Buffer => Buffer.from(JSON.stringify({ manifests }));
  const cases: [Buffer, string[] | undefined][] = [
    [index([{ platform: { os: 'linux', architecture: 'amd64' } }, { platform: { os: 'linux', architecture: 'arm', variant: 'v7' } }]), ['linux/amd64', 'linux/arm/v7']],
    [index([{ platform: { os: 'linux', architecture: 'amd64' } }, { platform: { os: 'unknown', architecture: 'unknown' } }]), ['linux/amd64']],
    [index([{ platform: { os: 'linux', architecture: 'amd64' } }, { platform: { os: 'linux', architecture: 'amd64' } }]), ['linux/amd64']],
    [index([{}]), []],
    [Buffer.from('{}'), undefined],
    [Buffer.from('not json'), undefined],
  ];
  for (const [body, expected] of cases) assert.deepEqual(indexPlatforms(body), expected, body.toString());
});

test('redaction', () => {
  const r = new Redactor();
  r.addBasic('alice', 'hunter2-secret');
  r.add('tok');
  const line = `Authorization: Basic ${Buffer.from('alice:hunter2-secret').toString('base64')} pw=hunter2-secret enc=${encodeURIComponent('hunter2-secret')}`;
  assert.equal(r.clean(line), 'Authorization: Basic *** pw=*** enc=***');
  assert.equal(r.clean('tok stays (too short to be a secret)'), 'tok stays (too short to be a secret)');
  assert.equal(r.clean('authorization=bearer abc.def'), 'authorization=bearer ***');
  assert.equal(safeUrl(new URL('https://u:p@s3.example/blob?X-Amz-Signature=abc')), 'https://s3.example/blob?…');
});
