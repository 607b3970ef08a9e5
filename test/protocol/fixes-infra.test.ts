// Fixes of infrastructure files through the language server: ECR immutability (CloudFormation YAML,
// Terraform), versionConsistency in a task definition, a new Dockerfile for a task's install (CreateFile),
// the .knowngood.yaml ignore entry for JSON (a new file), and a document edited between offer and resolve.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { AnnotatedTextEdit, CreateFile } from 'vscode-languageserver-protocol';
import { makeWorkspace } from './fixtures';
import { applyFixThrough, applyWorkspaceEdit, DIGEST, documentEdits, FixClient, minusOne, uriOf } from './fixes-helpers';

const CHANGED = 'The document changed after this fix was offered; nothing was edited. Ask for the fix again.';

const task = (container: Record<string, unknown>) => JSON.stringify({ family: 'web', containerDefinitions: [{ name: 'web', ...container }] }, null, 2) + '\n';

const FILES: Record<string, string> = {
  'cfn/template.yaml': "Resources:\n  Repo:\n    Type: 'AWS::ECR::Repository'\n    Properties:\n      RepositoryName: app # the app\n      LifecyclePolicy:\n        LifecyclePolicyText: '{}'\n",
  'tf/ecr.tf': 'resource "aws_ecr_repository" "app" {\n  name                 = "app"\n  image_tag_mutability = "MUTABLE"\n}\n',
  'vc/task-definition.json': task({ image: `nginx:1.27@${DIGEST}`, versionConsistency: 'disabled' }),
  'latest/task-definition.json': task({ image: 'nginx:latest' }),
  'install/task-definition.json': task({ image: `python:3.12-slim@${DIGEST}`, command: ['sh', '-c', 'pip install flask && python app.py'] }),
  'changed/Dockerfile': `FROM debian:12@${DIGEST}\nCMD apt-get install -y curl && exec /app/run\n`,
};

describe('infrastructure fixes over the protocol', () => {
  let ws: string;
  let client: FixClient;
  const file = (rel: string) => path.join(ws, rel);

  before(async () => {
    ws = makeWorkspace(FILES);
    client = new FixClient();
    await client.start(ws, { debounceMs: 0 });
  });
  after(async () => {
    await client.stop().catch(() => undefined);
    client.kill();
    rmSync(ws, { recursive: true, force: true });
  });

  test('CloudFormation YAML: ImageTagMutability inserted in the properties, in their indentation and quoting', async () => {
    const r = await applyFixThrough(client, file('cfn/template.yaml'), FILES['cfn/template.yaml'], 'yaml', 'ecr-mutable-tags', (a) => a.isPreferred === true);
    assert.equal(r.texts.get(uriOf(file('cfn/template.yaml'))), "Resources:\n  Repo:\n    Type: 'AWS::ECR::Repository'\n    Properties:\n      ImageTagMutability: 'IMMUTABLE'\n      RepositoryName: app # the app\n      LifecyclePolicy:\n        LifecyclePolicyText: '{}'\n");
    assert.deepEqual(r.after, minusOne(r.before, 'ecr-mutable-tags'));
  });

  test('Terraform: image_tag_mutability set to IMMUTABLE', async () => {
    const r = await applyFixThrough(client, file('tf/ecr.tf'), FILES['tf/ecr.tf'], 'terraform', 'ecr-mutable-tags', (a) => a.isPreferred === true);
    assert.equal(r.texts.get(uriOf(file('tf/ecr.tf'))), 'resource "aws_ecr_repository" "app" {\n  name                 = "app"\n  image_tag_mutability = "IMMUTABLE"\n}\n');
    assert.deepEqual(r.after, minusOne(r.before, 'ecr-mutable-tags'));
  });

  for (const [title, expected] of [
    ['Remove versionConsistency (the default is enabled)', task({ image: `nginx:1.27@${DIGEST}` })],
    ['Set versionConsistency to enabled', task({ image: `nginx:1.27@${DIGEST}`, versionConsistency: 'enabled' })],
  ] as const) {
    test(`task definition JSON: ${title}`, async () => {
      const f = file('vc/task-definition.json');
      const r = await applyFixThrough(client, f, FILES['vc/task-definition.json'], 'json', 'version-consistency-disabled', (a) => a.title === title);
      assert.equal(r.texts.get(uriOf(f)), expected);
      assert.deepEqual(r.after, minusOne(r.before, 'version-consistency-disabled'));
      await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: uriOf(f) } });
    });
  }

  test('a task install with no Dockerfile to edit: a new Dockerfile next to it (CreateFile) and the command stripped, in one previewed edit', async () => {
    const f = file('install/task-definition.json');
    const diagnostics = await client.openAndWait(f, FILES['install/task-definition.json'], 'json', 'runtime-install');
    const { actions } = await client.actionsFor(f, diagnostics, 'runtime-install');
    const create = actions.find((a) => a.title.startsWith('Create a Dockerfile that vendors it'));
    assert.ok(create, JSON.stringify(actions.map((a) => a.title)));
    assert.match(create.title, /the task definition must then point at the image built from it/);
    const resolved = await client.resolve(create);
    const ops = resolved.edit!.documentChanges!;
    const made = ops.find((c): c is CreateFile => 'kind' in c && c.kind === 'create')!;
    assert.deepEqual(made, { kind: 'create', uri: uriOf(file('install/web.Dockerfile')), options: { overwrite: false, ignoreIfExists: false }, annotationId: 'knownGood.fix' });
    assert.ok(ops.indexOf(made) < ops.findIndex((c) => !('kind' in c) && c.textDocument.uri === made.uri), 'created before it is written');
    const texts = applyWorkspaceEdit(resolved.edit!, new Map([[uriOf(f), FILES['install/task-definition.json']]]));
    const dockerfile = texts.get(made.uri)!;
    const base = `python:3.12-slim@${DIGEST}`;
    assert.equal(dockerfile, `FROM ${base} AS deps\nRUN pip install --no-cache-dir --prefix=/install flask\n\nFROM ${base}\nCOPY --from=deps /install /usr/local\nCMD ["python", "app.py"]\n`);
    assert.equal(texts.get(uriOf(f)), task({ image: base, command: ['python', 'app.py'] }));
    for (const c of documentEdits(resolved.edit).values()) assert.ok(c.edits.every((e) => (e as AnnotatedTextEdit).annotationId === 'knownGood.fix'));
    assert.equal(resolved.edit!.changeAnnotations!['knownGood.fix'].needsConfirmation, true);
    // Applied: the install is gone from the task definition.
    writeFileSync(fileURLToPath(made.uri), dockerfile);
    const since = client.lastSeq;
    await client.change(f, texts.get(uriOf(f))!, 2);
    const now = await client.waitForDiagnostics(f, () => true, since);
    assert.deepEqual(now.diagnostics.map((d) => d.code), []);
  });

  test('JSON has no comments: "Ignore … (.knowngood.yaml)" creates the config, and it silences the finding', async () => {
    const f = file('latest/task-definition.json');
    const diagnostics = await client.openAndWait(f, FILES['latest/task-definition.json'], 'json', 'latest-tag');
    const { actions } = await client.actionsFor(f, diagnostics, 'latest-tag');
    assert.ok(!actions.some((a) => a.title.startsWith('Disable')), 'no inline pragma in JSON');
    const ignore = actions.find((a) => a.title === 'Ignore latest-tag at /containerDefinitions/0/image (.knowngood.yaml)')!;
    assert.ok(ignore, JSON.stringify(actions.map((a) => a.title)));
    const resolved = await client.resolve(ignore);
    const config = path.join(ws, '.knowngood.yaml');
    const texts = applyWorkspaceEdit(resolved.edit!);
    assert.equal(texts.get(uriOf(config)), 'ignore:\n  # reason\n  - path: latest/task-definition.json\n    pointer: /containerDefinitions/0/image\n    rules: [latest-tag]\n');
    assert.ok(!existsSync(config), 'the server wrote nothing itself');
    // Applying the edit creates the file; the watcher reports it; the finding goes.
    writeFileSync(config, texts.get(uriOf(config))!);
    const since = client.lastSeq;
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(config), type: 1 }] });
    const now = await client.waitForDiagnostics(f, (d) => !d.some((x) => x.code === 'latest-tag'), since);
    assert.deepEqual(now.diagnostics, []);
    // With the config there, the next entry is appended to it (a text edit of the file on disk, no version).
    const vc = file('vc/task-definition.json');
    const more = await client.openAndWait(vc, FILES['vc/task-definition.json'], 'json', 'version-consistency-disabled');
    const append = (await client.actionsFor(vc, more, 'version-consistency-disabled')).actions.find((a) => a.title.endsWith('(.knowngood.yaml)'))!;
    const appended = await client.resolve(append);
    assert.ok(!appended.edit!.documentChanges!.some((c) => 'kind' in c), 'no CreateFile');
    assert.deepEqual(documentEdits(appended.edit).get(uriOf(config))!.textDocument.version, null);
    assert.equal(
      applyWorkspaceEdit(appended.edit!).get(uriOf(config)),
      `${readFileSync(config, 'utf8')}  # reason\n  - path: vc/task-definition.json\n    pointer: /containerDefinitions/0/versionConsistency\n    rules: [version-consistency-disabled]\n`,
    );
    rmSync(config);
  });

  test('the document changed between the offer and resolve: refused, nothing edited', async () => {
    const f = file('changed/Dockerfile');
    const diagnostics = await client.openAndWait(f, FILES['changed/Dockerfile'], 'dockerfile', 'runtime-install');
    const { actions } = await client.actionsFor(f, diagnostics, 'runtime-install');
    const fix = actions.find((a) => a.isPreferred)!;
    assert.match(fix.title, /apt packages at build time/);
    await client.change(f, `# moved\n${FILES['changed/Dockerfile']}`, 2);
    const messages = client.messages.length;
    const resolved = await client.resolve(fix);
    assert.equal(resolved.edit, undefined);
    assert.equal(resolved.disabled?.reason, CHANGED);
    assert.deepEqual(client.messages.slice(messages).map((m) => m.message), [`Known Good: ${CHANGED}`]);
  });

  test('a finding with no cure: a disabled action says why, next to the disable action', async () => {
    const f = file('gitclone/Dockerfile');
    mkdirSync(path.dirname(f), { recursive: true });
    const text = `FROM alpine:3.20@${DIGEST}\nCMD git clone https://github.com/example/app.git /app && exec /app/run\n`;
    writeFileSync(f, text);
    const diagnostics = await client.openAndWait(f, text, 'dockerfile', 'runtime-fetch');
    const { actions } = await client.actionsFor(f, diagnostics, 'runtime-fetch');
    const reason = actions.find((a) => a.disabled);
    assert.ok(reason, JSON.stringify(actions.map((a) => a.title)));
    assert.match(reason.title, /^No automatic fix: a `git clone` at start has no build-time equivalent/);
    assert.equal(reason.disabled!.reason, reason.title);
    assert.deepEqual(actions.map((a) => a.title), ['Disable runtime-fetch for this line', reason.title]);
    assert.ok(readFileSync(f, 'utf8') === text);
  });
});
