// The files a fix may read (FixFiles): open documents first, then disk inside the workspace folders only
// (links out of them refused), size-capped, with where each text came from; and where a fix may create files.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { FixFiles } from '../../server/src/lsp/fix-files';
import { MAX_FILE_BYTES } from '../../server/src/lsp/files';
import { pathToUri, toPosix } from '../../server/src/lsp/uri';

describe('FixFiles', () => {
  let dir: string;
  let ws: string;
  let outside: string;
  const open = new Map<string, TextDocument>();
  const make = (roots: string[]) => new FixFiles({ roots, openDoc: (f) => open.get(f) });

  before(() => {
    dir = toPosix(mkdtempSync(path.join(os.tmpdir(), 'kg-fixfiles-')));
    ws = path.posix.join(dir, 'ws');
    outside = path.posix.join(dir, 'outside');
    mkdirSync(path.join(ws, 'app'), { recursive: true });
    mkdirSync(outside);
    writeFileSync(path.join(ws, 'app/requirements.txt'), 'flask\n');
    writeFileSync(path.join(outside, 'secret.txt'), 'secret\n');
    writeFileSync(path.join(ws, 'big.txt'), Buffer.alloc(MAX_FILE_BYTES + 1, 'a'));
    symlinkSync(path.join(outside, 'secret.txt'), path.join(ws, 'app/link.txt'));
    symlinkSync(outside, path.join(ws, 'out'));
    open.set(path.posix.join(ws, 'app/Dockerfile'), TextDocument.create(pathToUri(path.posix.join(ws, 'app/Dockerfile')), 'dockerfile', 4, 'FROM x\n'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const cases: [string, string, string | undefined][] = [
    ['a file inside the folder', 'app/requirements.txt', 'flask\n'],
    ['an open document, not on disk', 'app/Dockerfile', 'FROM x\n'],
    ['a missing file', 'app/package.json', undefined],
    ['a file outside the folder', '../outside/secret.txt', undefined],
    ['a link inside that points outside', 'app/link.txt', undefined],
    ['a file under a linked folder that points outside', 'out/secret.txt', undefined],
    ['a file over the size cap', 'big.txt', undefined],
    ['a relative path', 'RELATIVE', undefined],
    ['a path with ..', 'app/../app/requirements.txt', undefined],
  ];
  for (const [name, rel, expected] of cases) {
    test(name, () => {
      const files = make([ws]);
      const file = rel === 'RELATIVE' ? 'app/requirements.txt' : rel.includes('..') && !rel.startsWith('..') ? `${ws}/${rel}` : path.posix.normalize(path.posix.join(ws, rel));
      assert.equal(files.get(file), expected);
      assert.equal(files.has(file), expected !== undefined);
    });
  }

  test('sources: version of an open document, null from disk; iteration lists only what was read', () => {
    const files = make([ws]);
    const df = path.posix.join(ws, 'app/Dockerfile');
    const req = path.posix.join(ws, 'app/requirements.txt');
    assert.deepEqual(files.source(df), { uri: pathToUri(df), text: 'FROM x\n', version: 4 });
    assert.deepEqual(files.source(req), { uri: pathToUri(req), text: 'flask\n', version: null });
    files.get(path.posix.join(ws, 'nothing'));
    assert.deepEqual([...files.keys()], [df, req]);
  });

  test('no folder: only open documents', () => {
    const files = make([]);
    assert.equal(files.get(path.posix.join(ws, 'app/requirements.txt')), undefined);
    assert.equal(files.get(path.posix.join(ws, 'app/Dockerfile')), 'FROM x\n');
  });

  test('creating: inside the folder (new subfolders too), not outside or through a link out', () => {
    const files = make([ws]);
    assert.equal(files.mayCreate(path.posix.join(ws, '.knowngood.yaml')), true);
    assert.equal(files.mayCreate(path.posix.join(ws, 'new/dir/web.Dockerfile')), true);
    assert.equal(files.mayCreate(path.posix.join(outside, 'web.Dockerfile')), false);
    assert.equal(files.mayCreate(path.posix.join(ws, 'out/web.Dockerfile')), false);
  });
});
