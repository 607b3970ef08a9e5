// Docker Hub conventions without the internet: `node:20` goes to registry-1.docker.io through a CONNECT proxy that leads to a local TLS registry.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { resolveDigest } from '../../server/src/registry';
import { buildImage, skopeoCopy, writeLayout } from './helpers/oci';
import { startForwardProxy } from './helpers/proxies';
import { startRegistry } from './helpers/registry';
import { selfSignedCert } from './helpers/tls';
import { startTokenServer } from './helpers/token-server';
import { skipUnlessTools } from './helpers/tools';

const image = buildImage('library/node:20 stand-in');

describe('Docker Hub names, hosts and config keys', { skip: skipUnlessTools() }, () => {
  test('node:20, docker.io/library/node:20 and index.docker.io/node:20 resolve at registry-1.docker.io with the index.docker.io/v1/ credentials', async () => {
    const work = mkdtempSync(path.join(os.tmpdir(), 'kg-hub-'));
    const stops: (() => Promise<void>)[] = [];
    try {
      const cert = selfSignedCert(work, 'hub', 'registry-1.docker.io', ['DNS:registry-1.docker.io', 'IP:127.0.0.1']);
      const tokens = await startTokenServer(work, { users: { hubuser: 'hub-pw-0c7d' } });
      stops.push(tokens.stop);
      const reg = await startRegistry({ tls: cert, token: { realm: tokens.realm, service: tokens.service, issuer: tokens.issuer, certPath: tokens.certPath } });
      stops.push(reg.stop);
      writeLayout(path.join(work, 'layout'), '20', image.manifest, [image.layer, image.config]);
      await skopeoCopy(path.join(work, 'layout'), '20', `${reg.host}/library/node:20`, { creds: 'hubuser:hub-pw-0c7d' });
      const proxy = await startForwardProxy({ 'registry-1.docker.io:443': reg.host });
      stops.push(proxy.stop);
      const configDir = path.join(work, 'docker');
      mkdirSync(configDir);
      writeFileSync(path.join(configDir, 'config.json'), JSON.stringify({ auths: { 'https://index.docker.io/v1/': { auth: Buffer.from('hubuser:hub-pw-0c7d').toString('base64') } } }));
      const env = { HTTPS_PROXY: proxy.url, DOCKER_CONFIG: configDir };

      for (const ref of ['node:20', 'docker.io/library/node:20', 'index.docker.io/node:20']) {
        tokens.requests.length = 0;
        proxy.seen.length = 0;
        const r = await resolveDigest(ref, { env, ca: cert.certPem });
        assert.deepEqual(r, { ok: true, digest: image.manifest.digest, mediaType: image.manifest.mediaType, registry: 'docker.io', repository: 'library/node', tag: '20' }, ref);
        assert.deepEqual(proxy.seen, ['CONNECT registry-1.docker.io:443', 'CONNECT registry-1.docker.io:443'], 'a 401, then the authorised HEAD');
        assert.equal(tokens.requests.length, 1);
        assert.deepEqual(tokens.requests[0].scope, ['repository:library/node:pull']);
        assert.equal(tokens.requests[0].authorization, `Basic ${Buffer.from('hubuser:hub-pw-0c7d').toString('base64')}`);
      }
    } finally {
      for (const stop of stops.reverse()) await stop();
      rmSync(work, { recursive: true, force: true });
    }
  });
});
