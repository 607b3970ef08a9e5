// `known-good lsp --stdio` starts the language server: it answers `initialize` over stdio.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'child_process';
import { CLI, REPO } from './helpers';

test('lsp --stdio answers initialize with its capabilities', async () => {
  const child = spawn(process.execPath, [CLI, 'lsp', '--stdio'], { cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'] });
  try {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
    child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    const response = await new Promise<{ id: number; result?: { capabilities?: object } }>((resolve, reject) => {
      let buffer = '';
      const timer = setTimeout(() => reject(new Error(`no answer in 20 s; got ${buffer}`)), 20_000);
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8');
        const m = /Content-Length: (\d+)\r\n\r\n/.exec(buffer);
        if (!m) return;
        const start = m.index + m[0].length;
        if (Buffer.byteLength(buffer.slice(start)) < Number(m[1])) return;
        clearTimeout(timer);
        resolve(JSON.parse(buffer.slice(start, start + Number(m[1]))) as { id: number; result?: { capabilities?: object } });
      });
      child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
    });
    assert.equal(response.id, 1);
    assert.equal(typeof response.result?.capabilities, 'object');
  } finally {
    child.kill();
  }
});
