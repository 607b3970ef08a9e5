// The checksum downloader on its own: the hash of what a loopback server sends, redirects (3 followed, a
// 4th refused), HTTP errors, the size cap, plain HTTP to other hosts refused before any connection,
// an idle server, cancellation, and an HTTPS URL through a CONNECT proxy.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { sha256OfUrl } from '../../server/src/download/sha256';
import { closeServer, listen, startHangServer } from '../registry/helpers/net';
import { sha256, startDownloadServer } from './fixes-helpers';

describe('sha256OfUrl', () => {
  let server: http.Server;
  let base: string;
  const body = randomBytes(300_000);
  const seen: string[] = [];

  before(async () => {
    server = http.createServer((req, res) => {
      seen.push(req.url ?? '');
      const hops = /^\/hop\/(\d+)$/.exec(req.url ?? '');
      if (hops) {
        const n = Number(hops[1]);
        res.writeHead(302, { location: n > 1 ? `/hop/${n - 1}` : '/file' });
        return res.end();
      }
      if (req.url === '/file') {
        assert.equal(req.headers['accept-encoding'], 'identity');
        res.writeHead(200, { 'content-length': body.length });
        return res.end(body);
      }
      if (req.url === '/chunked') {
        res.writeHead(200);
        res.write(body.subarray(0, 1000));
        return res.end(body.subarray(1000));
      }
      res.writeHead(404);
      res.end();
    });
    base = `http://127.0.0.1:${await listen(server)}`;
  });
  after(() => closeServer(server));

  const cases: { name: string; url: () => string; options?: Parameters<typeof sha256OfUrl>[1]; ok?: true; message?: RegExp }[] = [
    { name: 'a file on a loopback server', url: () => `${base}/file`, ok: true },
    { name: 'chunked, no length', url: () => `${base}/chunked`, ok: true },
    { name: 'three redirects are followed', url: () => `${base}/hop/3`, ok: true },
    { name: 'a fourth is refused', url: () => `${base}/hop/4`, message: /more than 3 redirects/ },
    { name: 'HTTP 404', url: () => `${base}/missing`, message: /^could not download http:\/\/127\.0\.0\.1:\d+\/missing: 127\.0\.0\.1:\d+ answered HTTP 404$/ },
    { name: 'over the size cap (declared length)', url: () => `${base}/file`, options: { maxBytes: 1000 }, message: /more than the 0 MiB Known Good downloads to hash/ },
    { name: 'over the size cap (streamed)', url: () => `${base}/chunked`, options: { maxBytes: 1000 }, message: /larger than the 0 MiB/ },
    { name: 'plain HTTP to another host', url: () => 'http://downloads.example.invalid/x', message: /refusing plain HTTP to downloads\.example\.invalid/ },
    { name: 'not http(s)', url: () => 'ftp://example.invalid/x', message: /refusing a ftp: URL/ },
    { name: 'not a URL', url: () => 'nonsense', message: /`nonsense` is not a URL/ },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const r = await sha256OfUrl(c.url(), c.options);
      if (c.ok) {
        assert.ok(r.ok, JSON.stringify(r));
        assert.equal(r.checksum, sha256(body));
        assert.equal(r.bytes, body.length);
      } else {
        assert.equal(r.ok, false);
        assert.match((r as { message: string }).message, c.message!);
      }
    });
  }

  test('an idle server ends the download after the idle time', async () => {
    const hang = await startHangServer();
    try {
      const started = performance.now();
      const r = await sha256OfUrl(`http://127.0.0.1:${hang.port}/x`, { idleTimeoutMs: 300 });
      assert.equal(r.ok, false);
      assert.match((r as { message: string }).message, /no data from 127\.0\.0\.1:\d+ for 0 s/);
      assert.ok(performance.now() - started < 3000);
    } finally {
      await hang.stop();
    }
  });

  test('cancelling stops it', async () => {
    const hang = await startHangServer();
    try {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      const r = await sha256OfUrl(`http://127.0.0.1:${hang.port}/x`, { signal: controller.signal });
      assert.deepEqual(r, { ok: false, message: `could not download http://127.0.0.1:${hang.port}/x: cancelled` });
    } finally {
      await hang.stop();
    }
  });

  test('https through HTTPS_PROXY (CONNECT), certificate checked', async () => {
    const dl = await startDownloadServer();
    try {
      dl.files.set('/x', body);
      const env = { HTTPS_PROXY: dl.env.HTTPS_PROXY };
      // Without the test CA the certificate is refused (NODE_EXTRA_CA_CERTS is read at process start).
      const refused = await sha256OfUrl(dl.url('x'), { env });
      assert.equal(refused.ok, false);
      assert.match((refused as { message: string }).message, /self[- ]signed|unable to verify|certificate/i);
      assert.deepEqual(dl.connects.map((c) => c.authority), ['downloads.known-good.test:443']);
      assert.deepEqual(dl.requests, [], 'nothing sent over an unverified connection');
    } finally {
      await dl.stop();
    }
  });
});
