// knownGood/findings and knownGood/findingsChanged: the view's data after an audit, kept current by
// watched-file changes and editor edits that re-analyse only what changed.
import assert from 'node:assert/strict';
import { rmSync, unlinkSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DIGEST, FILES, makeWorkspace, write } from './fixtures';
import { summary, ViewClient } from './audit-helpers';
import { uriOf } from './lsp-client';

const AUDITED = {
  Dockerfile: ['latest-tag:1', 'runtime-install:2'],
  'app/docker/entrypoint.sh': ['runtime-install:2'],
  'deploy/task-definition.json': ['latest-tag:6'],
  'worker/start.sh': ['runtime-install:2'],
};

describe('the Known Good view data', () => {
  let ws: string;
  let client: ViewClient;
  const p = (rel: string) => path.join(ws, rel);

  before(async () => {
    ws = makeWorkspace({ ...FILES, '.gitignore': 'ignored/\n', 'ignored/Dockerfile': 'FROM node:latest\n', 'excluded/Dockerfile': 'FROM node:latest\n' });
    client = new ViewClient();
    await client.start(ws, { debounceMs: 0 });
  });
  after(() => {
    client.kill();
    rmSync(ws, { recursive: true, force: true });
  });

  test('before an audit the view has nothing', async () => {
    assert.deepEqual(await client.findings(), { revision: 0, folders: [], files: [] });
  });

  test('the audit fills it: findings per file with ranges, severities and doc links; excluded and git-ignored files left out', async () => {
    const before = client.changes.length;
    const result = await client.connection.sendRequest<Record<string, unknown>>('knownGood/auditWorkspace', { exclude: { [uriOf(ws)]: ['excluded'] } });
    assert.deepEqual(result, { folders: 1, files: 6, filesWithFindings: 4, findings: 5, bySeverity: { error: 3, warning: 2, info: 0, hint: 0 }, errors: 0, cancelled: false });
    assert.deepEqual(await client.nextChange(before), { revision: 1 });
    const view = await client.findings();
    assert.deepEqual(view.folders, [{ uri: uriOf(ws), name: path.basename(ws), files: 6, partial: false }]);
    assert.deepEqual(summary(view.files), AUDITED);
    const docker = view.files.find((f) => f.path === 'Dockerfile')!;
    assert.equal(docker.uri, uriOf(p('Dockerfile')));
    assert.equal(docker.folderUri, uriOf(ws));
    assert.deepEqual(docker.findings[0].range, { start: { line: 0, character: 5 }, end: { line: 0, character: 16 } });
    assert.equal(docker.findings[0].severity, 'warning');
    assert.equal(docker.findings[1].severity, 'error');
    assert.equal(docker.findings[1].docUrl, 'https://github.com/known-good/known-good/blob/main/docs/rules/runtime-install.md');
    assert.match(docker.findings[1].message, /^`npm install` in `CMD` installs with npm/);
    // Asking for one file, or a file without findings, answers exactly those.
    const one = await client.findings([uriOf(p('worker/start.sh')), uriOf(p('worker/Dockerfile'))]);
    assert.deepEqual(summary(one.files), { 'worker/Dockerfile': [], 'worker/start.sh': ['runtime-install:2'] });
  });

  test('a file changed on disk: only it is analysed again; the view is told which file changed', async () => {
    const logs = client.logs.length;
    const before = client.changes.length;
    write(ws, 'deploy/task-definition.json', FILES['deploy/task-definition.json'].replace('nginx:latest', 'nginx:1.27'));
    await client.fileEvent(p('deploy/task-definition.json'), 2);
    const change = await client.nextChange(before);
    assert.deepEqual(change, { revision: 2, uris: [uriOf(p('deploy/task-definition.json'))] });
    assert.deepEqual(client.analysedSince(logs).map((l) => l.replace(/ in [\d.]+ ms$/, '')), [`Known Good: analysed ${p('deploy/task-definition.json')} (workspace audit)`]);
    assert.ok(!client.logs.slice(logs).some((l) => l.startsWith('Known Good: audited')), 'no full audit');
    assert.deepEqual(summary((await client.findings(change.uris)).files), { 'deploy/task-definition.json': ['missing-digest:6'] });
    const { diagnostics } = await client.waitForDiagnostics(p('deploy/task-definition.json'), (d) => d.length === 1 && d[0].code === 'missing-digest');
    assert.equal(diagnostics[0].source, 'known-good');
  });

  test('an entrypoint script changed: it and the Dockerfile that reads it are analysed, nothing else', async () => {
    const logs = client.logs.length;
    const before = client.changes.length;
    write(ws, 'worker/start.sh', '#!/bin/sh\nexec python app.py\n');
    await client.fileEvent(p('worker/start.sh'), 2);
    const change = await client.nextChange(before);
    assert.deepEqual(change.uris, [uriOf(p('worker/start.sh'))]);
    assert.deepEqual(client.analysedSince(logs).map((l) => l.replace(/ in [\d.]+ ms$/, '')).sort(), [
      `Known Good: analysed ${p('worker/Dockerfile')} (workspace audit)`,
      `Known Good: analysed ${p('worker/start.sh')} (workspace audit)`,
    ]);
    assert.ok(!(await client.findings()).files.some((f) => f.path === 'worker/start.sh'));
    await client.waitForDiagnostics(p('worker/start.sh'), (d) => d.length === 0);
  });

  test('a Dockerfile stops running its script: facts changed, so the script is analysed again too', async () => {
    const logs = client.logs.length;
    const before = client.changes.length;
    write(ws, 'app/Dockerfile', `FROM node:20.11.1@${DIGEST}\nCMD ["node", "server.js"]\n`);
    await client.fileEvent(p('app/Dockerfile'), 2);
    const change = await client.nextChange(before);
    assert.deepEqual(change.uris, [uriOf(p('app/docker/entrypoint.sh'))]);
    const analysed = client.analysedSince(logs).map((l) => l.replace(/ in [\d.]+ ms$/, ''));
    assert.deepEqual(analysed, [
      `Known Good: analysed ${p('app/Dockerfile')} (workspace audit)`,
      `Known Good: analysed ${p('app/docker/entrypoint.sh')} (workspace audit, facts changed)`,
    ]);
    // The script no longer runs at start: its install is not a runtime finding any more.
    assert.deepEqual(summary((await client.findings()).files), { Dockerfile: AUDITED.Dockerfile, 'deploy/task-definition.json': ['missing-digest:6'] });
  });

  test('created files join the audit unless git-ignored or excluded; deleted files leave it', async () => {
    const before = client.changes.length;
    write(ws, 'ignored/more/Dockerfile', 'FROM node:latest\n');
    write(ws, 'excluded/Dockerfile.two', 'FROM node:latest\n');
    write(ws, 'svc/Dockerfile', 'FROM python:latest\n');
    for (const rel of ['ignored/more/Dockerfile', 'excluded/Dockerfile.two', 'svc/Dockerfile']) await client.fileEvent(p(rel), 1);
    const change = await client.nextChange(before);
    assert.deepEqual(change.uris, [uriOf(p('svc/Dockerfile'))]);
    assert.deepEqual(summary((await client.findings(change.uris)).files), { 'svc/Dockerfile': ['latest-tag:1'] });
    assert.equal((await client.findings()).folders[0].files, 7);

    const logs = client.logs.length;
    unlinkSync(p('svc/Dockerfile'));
    await client.fileEvent(p('svc/Dockerfile'), 3);
    const gone = await client.nextChange(before + 1);
    assert.deepEqual(gone.uris, [uriOf(p('svc/Dockerfile'))]);
    assert.deepEqual(client.analysedSince(logs), []);
    assert.equal((await client.findings()).folders[0].files, 6);
    await client.waitForDiagnostics(p('svc/Dockerfile'), (d) => d.length === 0);
  });

  test('a folder announced alone (created or moved in): the files in it join, git-ignored ones do not', async () => {
    const before = client.changes.length;
    write(ws, 'moved/api/Dockerfile', 'FROM redis:latest\n');
    write(ws, 'moved/api/entry.sh', '#!/bin/sh\nexec redis-server\n');
    write(ws, 'moved/ignored/Dockerfile', 'FROM redis:latest\n');
    await client.fileEvent(p('moved'), 1);
    const change = await client.nextChange(before);
    assert.deepEqual(change.uris, [uriOf(p('moved/api/Dockerfile'))]);
    assert.equal((await client.findings()).folders[0].files, 8);
    // Deleting the folder takes its files out again.
    rmSync(p('moved'), { recursive: true, force: true });
    await client.fileEvent(p('moved'), 3);
    assert.deepEqual((await client.nextChange(before + 1)).uris, [uriOf(p('moved/api/Dockerfile'))]);
    assert.equal((await client.findings()).folders[0].files, 6);
  });

  test('an open document: its unsaved text is what the view shows; closing it brings back the disk', async () => {
    const file = p('Dockerfile');
    let before = client.changes.length;
    await client.open(file, 'FROM node:latest\nCMD ["node", "server.js"]\n', 'dockerfile');
    let change = await client.nextChange(before);
    assert.deepEqual(change.uris, [uriOf(file)]);
    assert.deepEqual(summary((await client.findings(change.uris)).files), { Dockerfile: ['latest-tag:1'] });
    // An edit that changes nothing the view shows is not announced.
    before = client.changes.length;
    await client.change(file, 'FROM node:latest\nCMD ["node", "server.js"]\n# comment\n', 2);
    await client.change(file, 'FROM node:latest\nCMD ["node", "app.js"]\nRUN npm ci\nCMD ["npm", "start"]\n', 3);
    await client.waitForDiagnostics(file, (d) => d.length === 1 && d[0].code === 'latest-tag');
    await client.change(file, 'FROM node:22\n', 4);
    change = await client.nextChange(before);
    assert.deepEqual(summary((await client.findings(change.uris)).files), { Dockerfile: ['missing-digest:1'] });
    before = client.changes.length;
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: uriOf(file) } });
    change = await client.nextChange(before);
    assert.deepEqual(summary((await client.findings(change.uris)).files), { Dockerfile: AUDITED.Dockerfile });
    await client.waitForDiagnostics(file, (d) => d.length === 2);
  });

  test('.knowngood.yaml changes audit the folder again (its ignores decide which files belong)', async () => {
    const before = client.changes.length;
    write(ws, '.knowngood.yaml', 'ignore:\n  - path: Dockerfile\n');
    await client.fileEvent(p('.knowngood.yaml'), 1);
    const change = await client.nextChange(before);
    assert.deepEqual(change, { revision: change.revision });
    assert.ok(client.logs.some((l) => l.startsWith(`Known Good: audited ${ws} (`)));
    assert.deepEqual(summary((await client.findings()).files), { 'deploy/task-definition.json': ['missing-digest:6'] });
  });

  test('shutdown', async () => {
    assert.equal(await client.stop(), 0);
  });
});
