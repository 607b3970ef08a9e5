// The VS Code client restarts a crashed server: it keeps vscode-languageclient's default error handler
// (restart up to 4 times in 3 minutes). test/e2e/restart.test.ts kills the server in a real editor.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

const ROOT = path.resolve(__dirname, '..', '..', '..');

test('the client does not replace the default error handler or lower the restart count', () => {
  const source = readFileSync(path.join(ROOT, 'client/src/extension.ts'), 'utf8');
  assert.doesNotMatch(source, /errorHandler\s*:/, 'a custom error handler would decide about restarts');
  assert.doesNotMatch(source, /maxRestartCount\s*:\s*0/, 'restarts switched off');
});

test('vscode-languageclient 9 restarts a crashed server up to 4 times in 3 minutes by default', () => {
  const lib = readFileSync(require.resolve('vscode-languageclient/lib/common/client.js'), 'utf8');
  assert.match(lib, /errorHandler: clientOptions\.errorHandler \?\? this\.createDefaultErrorHandler\(clientOptions\.connectionOptions\?\.maxRestartCount\)/);
  assert.match(lib, /new DefaultErrorHandler\(this, maxRestartCount \?\? 4\)/);
  assert.match(lib, /if \(diff <= 3 \* 60 \* 1000\)/);
  assert.match(lib, /return \{ action: CloseAction\.Restart \};/);
});
