// Text output: one line per finding (1-based positions), a summary, colour only on a TTY without NO_COLOR.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import { Writable } from 'stream';
import { run } from '../../server/src/cli/main';
import { FIXTURES, runCli } from './helpers';

const ESC = '\u001b[';

function capture(isTTY: boolean): Writable & { isTTY: boolean; text: () => string } {
  const chunks: string[] = [];
  const w = new Writable({
    write(chunk: Buffer | string, _enc, cb) {
      chunks.push(String(chunk));
      cb();
    },
  }) as Writable & { isTTY: boolean; text: () => string };
  w.isTTY = isTTY;
  w.text = () => chunks.join('');
  return w;
}

describe('text format', () => {
  test('lines are file:line:col  severity  rule  message, then a summary', () => {
    const r = runCli(['audit'], path.join(FIXTURES, 'basic'));
    const lines = r.stdout.split('\n');
    assert.deepEqual(
      lines.map((l) => l.split('  ').slice(0, 3).join('  ')),
      [
        'Dockerfile:1:6  warning  missing-digest',
        'Dockerfile:5:6  warning  latest-tag',
        'ecs/task-definition.json:6:17  warning  missing-digest',
        '',
        '3 problems (0 errors, 3 warnings, 0 info); 3 files audited.',
        '',
      ],
    );
    assert.ok(!r.stdout.includes(ESC), 'no colour when stdout is not a TTY');
  });

  test('a clean tree says so', () => {
    assert.equal(runCli(['audit'], path.join(FIXTURES, 'clean')).stdout, 'No problems found; 1 file audited.\n');
  });

  const colourCases: [label: string, tty: boolean, env: Record<string, string>, args: string[], coloured: boolean][] = [
    ['TTY', true, {}, [], true],
    ['TTY with NO_COLOR', true, { NO_COLOR: '1' }, [], false],
    ['TTY with --no-color', true, {}, ['--no-color'], false],
    ['not a TTY', false, {}, [], false],
  ];
  for (const [label, tty, env, args, coloured] of colourCases) {
    test(`colour: ${label}`, async () => {
      const stdout = capture(tty);
      const stderr = capture(false);
      const code = await run(['audit', ...args], { stdout, stderr, env, cwd: path.join(FIXTURES, 'levels') });
      assert.equal(code, 0);
      assert.equal(stdout.text().includes(ESC), coloured);
      assert.match(stdout.text().replace(/\u001b\[[0-9;]*m/g, ''), /^Dockerfile:1:6 {2}info {2}latest-tag {2}Base image `node` has no tag/);
    });
  }
});

describe('module loading', () => {
  // (dockerfile-ast needs the protocol's data types, vscode-languageserver-types; the server library is what must stay out.)
  test('an audit does not load vscode-languageserver, vscode-jsonrpc or the LSP layer', async () => {
    const code = await run(['audit', '--fail-on', 'none'], { stdout: capture(false), stderr: capture(false), env: {}, cwd: path.join(FIXTURES, 'basic') });
    assert.equal(code, 0);
    assert.deepEqual(Object.keys(require.cache).filter((k) => /node_modules[\\/](vscode-languageserver|vscode-jsonrpc)[\\/]|[\\/]server[\\/]src[\\/]lsp[\\/]/.test(k)), []);
  });
});
