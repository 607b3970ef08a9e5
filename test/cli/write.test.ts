// rewriteFile, the atomic writer behind `pin`: mode kept, links kept, refusals leave the file alone.
import { execFileSync } from 'node:child_process';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { rewriteFile, WriteRefused } from '../../server/src/pin/cli-write';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'kg-write-'));
}

describe('rewriteFile', () => {
  test('replaces the content, keeps the permission bits and leaves no temp file', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'Dockerfile');
    fs.writeFileSync(file, 'FROM a:1\r\n');
    fs.chmodSync(file, 0o751);
    await rewriteFile(file, 'FROM a:1\r\n', 'FROM a:1@sha256:x\r\n');
    assert.equal(fs.readFileSync(file, 'utf8'), 'FROM a:1@sha256:x\r\n');
    assert.equal(fs.statSync(file).mode & 0o7777, 0o751);
    assert.deepEqual(fs.readdirSync(dir), ['Dockerfile']);
  });

  test('writes through a symbolic link: the link stays a link', async () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'real'));
    fs.writeFileSync(path.join(dir, 'real', 'Dockerfile'), 'old\n');
    fs.symlinkSync(path.join('real', 'Dockerfile'), path.join(dir, 'link'));
    await rewriteFile(path.join(dir, 'link'), 'old\n', 'new\n');
    assert.ok(fs.lstatSync(path.join(dir, 'link')).isSymbolicLink());
    assert.equal(fs.readFileSync(path.join(dir, 'real', 'Dockerfile'), 'utf8'), 'new\n');
    assert.deepEqual(fs.readdirSync(path.join(dir, 'real')), ['Dockerfile']);
  });

  test('refuses a link to a file outside the root', async () => {
    const outside = tempDir();
    const root = tempDir();
    fs.writeFileSync(path.join(outside, 'Dockerfile'), 'old\n');
    fs.symlinkSync(path.join(outside, 'Dockerfile'), path.join(root, 'Dockerfile'));
    await assert.rejects(rewriteFile(path.join(root, 'Dockerfile'), 'old\n', 'new\n', root), (e: Error) => e instanceof WriteRefused && /outside the root/.test(e.message));
    assert.equal(fs.readFileSync(path.join(outside, 'Dockerfile'), 'utf8'), 'old\n');
  });

  const refusals: [name: string, bytes: Buffer, before: string, message: RegExp][] = [
    ['a file that changed since it was read', Buffer.from('FROM b:2\n'), 'FROM a:1\n', /changed while pinning/],
    ['a file that is not valid UTF-8', Buffer.from([0x46, 0x52, 0x4f, 0x4d, 0x20, 0xe9, 0x0a]), 'FROM \ufffd\n', /not valid UTF-8/],
  ];
  for (const [name, bytes, before, message] of refusals) {
    test(`refuses ${name} and leaves it byte for byte`, async () => {
      const dir = tempDir();
      const file = path.join(dir, 'f');
      fs.writeFileSync(file, bytes);
      await assert.rejects(rewriteFile(file, before, 'anything'), (e: Error) => e instanceof WriteRefused && message.test(e.message));
      assert.deepEqual(fs.readFileSync(file), bytes);
      assert.deepEqual(fs.readdirSync(dir), ['f']);
    });
  }

  test('a read-only folder: the error comes back and nothing is left behind', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'f');
    fs.writeFileSync(file, 'a\n');
    fs.chmodSync(dir, 0o555);
    try {
      if (process.getuid?.() === 0) {
        // Root writes anywhere: try the rewrite as `nobody` in a child process (the CI case).
        fs.chmodSync(file, 0o666);
        fs.chmodSync(path.dirname(dir), 0o755);
        const script = `require(${JSON.stringify(require.resolve('../../server/src/pin/cli-write'))}).rewriteFile(${JSON.stringify(file)}, 'a\\n', 'b\\n').then(() => process.stdout.write('written'), (e) => process.stdout.write(String(e.code ?? e.message)))`;
        assert.equal(execFileSync(process.execPath, ['-e', script], { uid: 65534, gid: 65534, encoding: 'utf8' }), 'EACCES');
      } else {
        await assert.rejects(rewriteFile(file, 'a\n', 'b\n'), /EACCES/);
      }
      assert.equal(fs.readFileSync(file, 'utf8'), 'a\n');
      assert.deepEqual(fs.readdirSync(dir), ['f']);
    } finally {
      fs.chmodSync(dir, 0o755);
    }
  });

});
