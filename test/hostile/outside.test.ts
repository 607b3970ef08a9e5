// Paths that lead out of the workspace are not read: `../` entrypoint scripts and build contexts above
// the folder, file()/templatefile() targets, symbolic links out, a linked `.knowngood.yaml` — in the CLI
// audit and in the language server. Files outside hold a marker that would show in any output.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli } from '../cli/helpers';
import { codes, TestClient, uriOf } from '../protocol/lsp-client';
import { CaseCount } from './helpers';

const MARKER = 'outside-marker-7c1f';
const SCRIPT_OUT = `#!/bin/sh\npip install ${MARKER}\n`;
const SCRIPT_IN = '#!/bin/sh\npip install inside-package\n';
const DEFS_OUT = JSON.stringify({ containerDefinitions: [{ name: 'x', image: `${MARKER}:latest`, command: ['sh', '-c', `pip install ${MARKER}`] }] });
const cases = new CaseCount('outside-the-workspace cases');

/** base/{outside/…, start.sh, ws/…}: the workspace is base/ws. */
function layout(): { base: string; ws: string } {
  const base = mkdtempSync(path.join(tmpdir(), 'kg-outside-'));
  const ws = path.join(base, 'ws');
  const put = (rel: string, text: string) => {
    mkdirSync(path.dirname(path.join(base, rel)), { recursive: true });
    writeFileSync(path.join(base, rel), text);
  };
  put('outside/secret.sh', SCRIPT_OUT);
  put('outside/defs.json', DEFS_OUT);
  put('outside/Dockerfile', `FROM ${MARKER}:latest\n`);
  put('outside/.knowngood.yaml', 'rules:\n  latest-tag: off\n');
  // A build context above the workspace: a script of the same name one folder up.
  put('start.sh', SCRIPT_OUT);
  put('ws/Dockerfile', 'FROM node:latest\nCOPY start.sh /start.sh\nCMD ["/start.sh"]\n');
  put('ws/a/Dockerfile', 'FROM node:20\nCOPY ../../outside/secret.sh /start.sh\nENTRYPOINT ["/start.sh"]\n');
  put('ws/b/Dockerfile', 'FROM node:20\nCOPY link/secret.sh /start.sh\nCMD ["/start.sh"]\n');
  symlinkSync('../../outside', path.join(ws, 'b/link'));
  symlinkSync('../../outside/Dockerfile', path.join(base, 'ws/c-Dockerfile-link'));
  mkdirSync(path.join(ws, 'c'));
  symlinkSync('../../outside/Dockerfile', path.join(ws, 'c/Dockerfile'));
  put('ws/main.tf', [
    'resource "aws_ecs_task_definition" "a" {\n  family = "a"\n  container_definitions = file("../outside/defs.json")\n}',
    'resource "aws_ecs_task_definition" "b" {\n  family = "b"\n  container_definitions = file("${path.module}/tflink/defs.json")\n}',
    'resource "aws_ecs_task_definition" "c" {\n  family = "c"\n  container_definitions = templatefile("../../../../../../etc/passwd", {})\n}',
  ].join('\n') + '\n');
  symlinkSync('../outside', path.join(ws, 'tflink'));
  symlinkSync('../outside/.knowngood.yaml', path.join(ws, '.knowngood.yaml'));
  // The control: the same things inside the workspace are read.
  put('ws/d/Dockerfile', 'FROM node:20\nCOPY start.sh /start.sh\nCMD ["/start.sh"]\n');
  put('ws/d/start.sh', SCRIPT_IN);
  return { base, ws };
}

void describe('nothing outside the workspace is read', () => {
  let base: string;
  let ws: string;
  before(() => ({ base, ws } = layout()));
  after(() => {
    rmSync(base, { recursive: true, force: true });
    console.log(cases.summary());
  });

  void test('CLI audit (text, JSON, SARIF, Markdown): no finding, path or word from outside; the control inside is found', () => {
    for (const format of ['json', 'sarif', 'markdown', 'text']) {
      const r = runCli(['audit', '--format', format], ws);
      assert.equal(r.code, 1, r.stderr);
      assert.ok(!r.stdout.includes(MARKER) && !r.stderr.includes(MARKER), `${format} output shows a file from outside`);
      assert.ok(!r.stdout.includes('outside/') && !r.stdout.includes('/etc/passwd'), `${format} names a path outside`);
      cases.add(`CLI ${format}`);
    }
    const report = JSON.parse(runCli(['audit', '--format', 'json'], ws).stdout) as { files: { file: string }[]; findings: { file: string; ruleId: string; related: { file: string }[] }[] };
    assert.deepEqual(report.files.map((f) => f.file), ['Dockerfile', 'a/Dockerfile', 'b/Dockerfile', 'd/Dockerfile', 'd/start.sh', 'main.tf']);
    for (const f of report.findings) for (const p of [f.file, ...f.related.map((r) => r.file)]) assert.ok(!p.startsWith('..') && !path.isAbsolute(p), p);
    assert.deepEqual(report.findings.map((f) => `${f.file} ${f.ruleId}`), [
      'Dockerfile latest-tag',
      'a/Dockerfile missing-digest',
      'b/Dockerfile missing-digest',
      'd/Dockerfile missing-digest',
      'd/start.sh runtime-install',
    ]);
    cases.add('CLI: ../ script, context above the root, link out, file() ../ and link, templatefile /etc/passwd, linked Dockerfile, linked .knowngood.yaml');
  });

  void describe('language server', () => {
    let client: TestClient;
    before(async () => {
      client = new TestClient();
      await client.start(ws, { debounceMs: 0 });
    });
    after(() => client.kill());

    void test('open documents: nothing from outside in diagnostics, published URIs or logs; the control inside is found', async () => {
      const open = async (rel: string, languageId: string) => {
        const file = path.join(ws, rel);
        await client.open(file, readFileSync(file, 'utf8'), languageId);
        return file;
      };
      const root = await open('Dockerfile', 'dockerfile');
      const a = await open('a/Dockerfile', 'dockerfile');
      const b = await open('b/Dockerfile', 'dockerfile');
      const tf = await open('main.tf', 'terraform');
      const d = await open('d/Dockerfile', 'dockerfile');
      await client.waitForDiagnostics(path.join(ws, 'd/start.sh'), (x) => codes(x).includes('runtime-install'));
      assert.deepEqual(codes((await client.waitForDiagnostics(root, (x) => x.length > 0)).diagnostics), ['latest-tag'], 'the linked .knowngood.yaml (latest-tag: off) is not read');
      assert.deepEqual(codes((await client.waitForDiagnostics(a, (x) => x.length > 0)).diagnostics), ['missing-digest']);
      assert.deepEqual(codes((await client.waitForDiagnostics(b, (x) => x.length > 0)).diagnostics), ['missing-digest']);
      assert.deepEqual(codes((await client.waitForDiagnostics(d, (x) => x.length > 0)).diagnostics), ['missing-digest']);
      await client.waitForDiagnostics(tf, () => true);
      await new Promise((r) => setTimeout(r, 500));
      const everything = JSON.stringify([...client.diagnostics]) + client.logs.join('\n') + client.stderr;
      assert.ok(!everything.includes(MARKER), 'something from outside reached the client');
      for (const uri of client.diagnostics.keys()) assert.ok(uri.startsWith(`${uriOf(ws)}/`), `diagnostics published for ${uri}`);
      assert.equal(client.diagnostics.get(uriOf(tf))?.diagnostics.length, 0);
      assert.equal(await client.stop(), 0);
      cases.add('language server: the same seven paths out, through open documents');
    });
  });
});
