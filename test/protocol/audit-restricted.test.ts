// The workspace audit never uses the network: in Restricted Mode and in a trusted workspace alike,
// no request reaches a registry its files name, while the findings (and the export) are complete.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { ExportReportResult } from '../../server/src/lsp/audit-protocol';
import { summary, ViewClient } from './audit-helpers';
import { DIGEST, makeWorkspace } from './fixtures';

describe('the audit and the network', () => {
  let server: Server;
  let requests: string[];
  let host: string;

  before(async () => {
    requests = [];
    server = createServer((req, res) => {
      requests.push(`${req.method ?? ''} ${req.url ?? ''}`);
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  for (const trusted of [false, true]) {
    test(`${trusted ? 'trusted workspace' : 'Restricted Mode'}: findings complete, no request`, async (t) => {
      const ws = makeWorkspace({
        // stale-digest on: the rule that would ask the registry, if anything did.
        '.knowngood.yaml': 'rules:\n  stale-digest: warning\n',
        Dockerfile: `FROM ${host}/demo/app:1.0\nCMD npm install && node s.js\n`,
        'pinned/Dockerfile': `FROM ${host}/demo/app:1.0@${DIGEST}\n`,
      });
      const client = new ViewClient();
      client.baseSettings = {}; // network allowed by the settings
      t.after(() => {
        client.kill();
        rmSync(ws, { recursive: true, force: true });
      });
      await client.start(ws, { trusted, debounceMs: 0 });
      const result = await client.connection.sendRequest<{ findings: number }>('knownGood/auditWorkspace', {});
      assert.equal(result.findings, 2);
      assert.deepEqual(summary((await client.findings()).files), { Dockerfile: ['missing-digest:1', 'runtime-install:2'] });
      const report = await client.connection.sendRequest<ExportReportResult>('knownGood/exportReport', { format: 'sarif' });
      assert.equal(report.findings, 2);
      assert.deepEqual(requests, []);
      assert.equal(await client.stop(), 0);
    });
  }
});
