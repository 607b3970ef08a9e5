// Which Dockerfile a container command's install goes to (compose build:, .knowngood.yaml images:, same
// folder), the new Dockerfile when there is none, the config key and compose model they read, and the
// invariant checker's view of the other files a fix edits.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { stripBom } from '../../../server/src/core/analyze';
import { parseConfig } from '../../../server/src/core/config';
import { extractCompose } from '../../../server/src/core/extract/compose';
import { vendorDockerfileCandidates, type Fix } from '../../../server/src/core/fixes';
import { newDockerfilePath } from '../../../server/src/core/fixes/dockerfile-for-image';
import { repositoryNames } from '../../../server/src/core/fixes/image-targets';
import { RULE_IDS } from '../../../server/src/core/rules';
import { initParsers } from '../../../server/src/core/treesitter';
import { analyzeWs, applyFix, fixesOf, invariantProblems, type Workspace } from './helpers';

const DIGEST = `sha256:${'ab'.repeat(32)}`;

void describe('image repository names for images:', () => {
  const cases: [string, string[], string[]][] = [
    ['123456789012.dkr.ecr.eu-west-1.amazonaws.com/demo-web:1.4', ['123456789012.dkr.ecr.eu-west-1.amazonaws.com/demo-web', 'demo-web'], ['web', 'demo-web:1.4']],
    ['python:3.12-slim', ['python', 'library/python', 'docker.io/library/python'], ['python:3.12-slim', 'slim']],
    ['ghcr.io/acme/tool:2@' + DIGEST, ['ghcr.io/acme/tool', 'acme/tool'], ['tool']],
    ['localhost:5000/web', ['localhost:5000/web', 'web'], ['localhost']],
    ['${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/shop/app:${Tag}', ['shop/app'], ['app']],
    ['team/web:latest', ['team/web', 'docker.io/team/web'], ['web']],
  ];
  for (const [text, yes, no] of cases) {
    void test(text, () => {
      const resolved = text.includes('$') ? 'variable.invalid/variable:x' : text;
      const names = repositoryNames({ text, resolved });
      for (const n of yes) assert.ok(names.has(n), `${n} in ${[...names].join(', ')}`);
      for (const n of no) assert.ok(!names.has(n), `${n} not in ${[...names].join(', ')}`);
    });
  }
});

void describe('.knowngood.yaml images:', () => {
  const cases: { name: string; text: string; images?: Record<string, string>; problems: RegExp[] }[] = [
    { name: 'registry and short keys', text: 'images:\n  123.dkr.ecr.eu-west-1.amazonaws.com/web: web/Dockerfile\n  worker: ./worker/Dockerfile.prod\n', images: { '123.dkr.ecr.eu-west-1.amazonaws.com/web': 'web/Dockerfile', worker: './worker/Dockerfile.prod' }, problems: [] },
    { name: 'with rules and ignore', text: 'rules:\n  missing-digest: info\nignore: [legacy/]\nimages:\n  localhost:5000/web: Dockerfile\n', images: { 'localhost:5000/web': 'Dockerfile' }, problems: [] },
    { name: 'a tag in the key', text: 'images:\n  web:1.0: Dockerfile\n', images: {}, problems: [/"web:1.0" is not an image repository/] },
    { name: 'a digest in the key', text: `images:\n  web@${DIGEST}: Dockerfile\n`, images: {}, problems: [/is not an image repository/] },
    { name: 'an absolute path', text: 'images:\n  web: /srv/Dockerfile\n', images: {}, problems: [/must be a path relative to this file's folder/] },
    { name: 'no path', text: 'images:\n  web:\n', images: {}, problems: [/must be a path relative/] },
    { name: 'a list', text: 'images:\n  - web\n', problems: [/`images` must map image repositories/] },
    { name: 'other keys still name images', text: 'imagez: {}\n', problems: [/Unknown key "imagez" \(expected rules, ignore, images\)/] },
  ];
  for (const c of cases) {
    void test(c.name, () => {
      const { config, problems } = parseConfig(c.text, RULE_IDS);
      assert.deepEqual(config.images, c.images);
      assert.equal(problems.length, c.problems.length, problems.map((p) => p.message).join('; '));
      c.problems.forEach((re, i) => assert.match(problems[i].message, re));
    });
  }
  void test('the config file with images: analyses clean', () => {
    const files = new Map([['.knowngood.yaml', 'images:\n  web: web/Dockerfile\n']]);
    assert.deepEqual(analyzeWs({ file: '.knowngood.yaml', files }).findings, []);
  });
});

void describe('compose build: in the model', () => {
  const svc = (build: string) => `services:\n  web:\n${build}`;
  const cases: [string, string, string, { context: string; dockerfile?: string; target?: string } | undefined][] = [
    ['a context path', 'compose.yaml', svc('    build: .\n'), { context: '.', dockerfile: 'Dockerfile' }],
    ['context and dockerfile', 'compose.yaml', svc('    build:\n      context: ./web\n      dockerfile: Dockerfile.prod\n      target: prod\n'), { context: './web', dockerfile: 'web/Dockerfile.prod', target: 'prod' }],
    ['only dockerfile', 'deploy/compose.yaml', svc('    build:\n      dockerfile: docker/app.Dockerfile\n'), { context: '.', dockerfile: 'deploy/docker/app.Dockerfile' }],
    ['a context above the compose file', 'deploy/compose.yaml', svc('    build: ../app\n'), { context: '../app', dockerfile: 'app/Dockerfile' }],
    ['an absolute dockerfile', 'compose.yaml', svc('    build:\n      context: .\n      dockerfile: /repo/Dockerfile\n'), { context: '.', dockerfile: '/repo/Dockerfile' }],
    ['a git context', 'compose.yaml', svc('    build: https://github.com/acme/web.git#main\n'), { context: 'https://github.com/acme/web.git#main' }],
    ['an inline Dockerfile', 'compose.yaml', svc('    build:\n      context: .\n      dockerfile_inline: |\n        FROM alpine\n'), { context: '.' }],
    ['a variable', 'compose.yaml', svc('    build: ${WEB_DIR}\n'), { context: '${WEB_DIR}' }],
    ['no build', 'compose.yaml', svc('    image: nginx:1.27\n'), undefined],
  ];
  for (const [name, file, text, want] of cases) {
    void test(name, () => {
      const builds = extractCompose(file, text, { files: new Map() }).builds;
      if (!want) return assert.equal(builds, undefined);
      assert.equal(builds?.length, 1);
      const { context, dockerfile, target, service, pointer } = builds[0];
      assert.deepEqual(JSON.parse(JSON.stringify({ context, dockerfile, target })), want);
      assert.equal(service, 'web');
      assert.equal(pointer, '/services/web/build');
    });
  }
});

void describe('where the new Dockerfile goes', () => {
  const cases: [string, string | undefined, string[], string][] = [
    ['ecs/td.json', 'api', [], 'ecs/api.Dockerfile'],
    ['td.json', 'my api/v2', [], 'my-api-v2.Dockerfile'],
    ['td.json', undefined, [], 'Dockerfile.known-good'],
    ['ecs/td.json', 'api', ['ecs/api.Dockerfile', 'ecs/api-2.Dockerfile'], 'ecs/api-3.Dockerfile'],
    ['td.json', '...', [], 'Dockerfile.known-good'],
  ];
  for (const [file, name, taken, want] of cases) {
    void test(`${file} ${name}`, () => assert.equal(newDockerfilePath(file, name, new Map(taken.map((t) => [t, '']))), want));
  }
  void test('Dockerfile candidates a caller loads', () => {
    const model = extractCompose('deploy/compose.yaml', 'services:\n  a:\n    build: ../a\n  b:\n    build: https://x/y.git\n', { files: new Map() });
    const files = new Map([['.knowngood.yaml', 'images:\n  web: web/Dockerfile\n']]);
    assert.deepEqual(vendorDockerfileCandidates(model, files), ['a/Dockerfile', 'web/Dockerfile', 'deploy/Dockerfile']);
  });
});

const td = (image: string, members: string) => `{\n  "containerDefinitions": [\n    {\n      "name": "app",\n      "image": "${image}",\n${members}\n    }\n  ]\n}\n`;

/** The fixes of the first runtime finding of `ws`. */
function fixesFor(ws: Workspace) {
  const finding = analyzeWs(ws).findings.find((f) => f.ruleId.startsWith('runtime-'));
  assert.ok(finding, 'a runtime finding');
  return { finding, result: fixesOf(ws, finding) };
}

void describe('the new Dockerfile', () => {
  before(() => initParsers());
  const cases: { name: string; file: string; text: string; dockerfile?: string; reason?: string }[] = [
    {
      name: 'entryPoint and command, OS packages',
      file: 'td.json',
      text: td(`debian:12@${DIGEST}`, '      "entryPoint": ["/usr/bin/tini", "--"],\n      "command": ["sh", "-c", "apt-get update && apt-get install -y curl && exec /app/run --port 80"]'),
      dockerfile: `FROM debian:12@${DIGEST}\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\nENTRYPOINT ["/usr/bin/tini", "--"]\nCMD ["/app/run", "--port", "80"]\n`,
    },
    {
      name: 'compose string that is not plain words: refused (compose runs no shell)',
      file: 'compose.yaml',
      text: `services:\n  web:\n    image: alpine:3.20@${DIGEST}\n    command: apk add --no-cache curl && ./migrate && ./serve\n`,
      reason: 'not a plain list of words',
    },
    {
      name: 'compose entrypoint string of plain words',
      file: 'compose.yaml',
      text: `services:\n  web:\n    image: alpine:3.20@${DIGEST}\n    entrypoint: sh -c "apk add --no-cache curl && exec ./serve"\n`,
      dockerfile: `FROM alpine:3.20@${DIGEST}\nRUN apk add --no-cache curl\nENTRYPOINT ["sh", "-c", "exec ./serve"]\n`,
    },
    {
      name: 'compose variable left in the command',
      file: 'compose.yaml',
      text: `services:\n  web:\n    image: alpine:3.20@${DIGEST}\n    command: ["sh", "-c", "apk add --no-cache curl && exec ./serve --port $$PORT"]\n`,
      dockerfile: `FROM alpine:3.20@${DIGEST}\nRUN apk add --no-cache curl\nCMD ["sh", "-c", "exec ./serve --port $PORT"]\n`,
    },
    {
      name: 'CloudFormation image from a parameter',
      file: 'template.yaml',
      text: 'Parameters:\n  Image:\n    Type: String\nResources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Name: app\n          Image: !Ref Image\n          Command: ["sh", "-c", "apk add curl && exec ./serve"]\n',
      reason: 'the image is a variable',
    },
    {
      name: 'Terraform image from a variable without default',
      file: 'main.tf',
      text: 'variable "image" {}\nresource "aws_ecs_task_definition" "t" {\n  family = "t"\n  container_definitions = jsonencode([{\n    name    = "app"\n    image   = var.image\n    command = ["sh", "-c", "apk add curl && exec ./serve"]\n  }])\n}\n',
      reason: 'the image is a variable',
    },
  ];
  for (const c of cases) {
    void test(c.name, () => {
      const ws: Workspace = { file: c.file, files: new Map([[c.file, c.text]]) };
      const { finding, result } = fixesFor(ws);
      if (c.reason) {
        assert.ok(result.reason?.includes(c.reason), result.reason);
        return;
      }
      const fix = result.fixes.find((f) => f.id === 'dockerfile-for-image');
      assert.ok(fix, result.reason);
      const created = fix.edits.find((e) => e.create);
      assert.ok(created);
      assert.equal(created.edits[0].newText, c.dockerfile);
      assert.deepEqual(invariantProblems(ws, finding, fix), []);
    });
  }
});

void describe('titles, preference and confirmation', () => {
  before(() => initParsers());
  const cmd = '      "command": ["sh", "-c", "apk add --no-cache curl && exec ./serve"]';
  const dockerfile = `FROM alpine:3.20@${DIGEST}\nCOPY serve /serve\nCMD ["/serve"]\n`;
  void test('a mapped Dockerfile: one preferred fix, no new file', () => {
    const ws: Workspace = { file: 'ecs/td.json', files: new Map([['ecs/td.json', td('web:1', cmd)], ['.knowngood.yaml', 'images:\n  web: docker/web.Dockerfile\n'], ['docker/web.Dockerfile', dockerfile], ['ecs/Dockerfile', dockerfile]]) };
    const fixes = fixesFor(ws).result.fixes;
    assert.deepEqual(fixes.map((f) => [f.id, !!f.preferred]), [['vendor-run', true], ['ignore-config', false]]);
    assert.equal(fixes[0].title, 'Install the apk packages at build time (a RUN before the start command) in docker/web.Dockerfile, and remove it from the command');
    assert.deepEqual(fixes[0].edits.map((e) => e.file), ['ecs/td.json', 'docker/web.Dockerfile']);
    assert.equal(fixes[0].needsConfirmation, true);
  });
  void test('a same-folder Dockerfile asks for confirmation and is not preferred', () => {
    const ws: Workspace = { file: 'ecs/td.json', files: new Map([['ecs/td.json', td('web:1', cmd)], ['ecs/Dockerfile', dockerfile]]) };
    const fixes = fixesFor(ws).result.fixes;
    assert.deepEqual(fixes.map((f) => [f.id, !!f.preferred]), [['vendor-run', false], ['dockerfile-for-image', false], ['ignore-config', false]]);
    assert.match(fixes[0].title, /^Vendor into \.\/Dockerfile \(same folder — check it builds this image\): install the apk packages/);
    assert.match(fixes[1].title, /^Create a Dockerfile that vendors it \(app\.Dockerfile\): .*; the task definition must then point at the image built from it$/);
    assert.deepEqual(fixes[1].edits.map((e) => [e.file, !!e.create]), [['ecs/td.json', false], ['ecs/app.Dockerfile', true]]);
  });
  void test('compose says the service must build it', () => {
    const ws: Workspace = { file: 'compose.yaml', files: new Map([['compose.yaml', 'services:\n  web:\n    image: web:1\n    command: sh -c "apk add curl && exec ./serve"\n']]) };
    const fixes = fixesFor(ws).result.fixes;
    assert.match(fixes[0].title, /\(web\.Dockerfile\).*; the service must then build it or run the image built from it$/);
  });
  void test('a mapped Dockerfile that cannot take the install gives its reason, no new Dockerfile', () => {
    const ws: Workspace = { file: 'td.json', files: new Map([['td.json', td('web:1', '      "command": ["sh", "-c", "pip install flask && exec python app.py"]')], ['.knowngood.yaml', 'images:\n  web: Dockerfile\n'], ['Dockerfile', '# no FROM here\n']]) };
    const r = fixesFor(ws).result;
    assert.deepEqual(r.fixes.map((f) => f.id), ['ignore-config']);
    assert.match(r.reason ?? '', /Dockerfile has no FROM/);
  });
});

void describe('invariant checker: the other files a fix writes', () => {
  before(() => initParsers());
  const text = td('web:1', '      "command": ["sh", "-c", "apk add curl && exec ./serve"]');
  const ws: Workspace = { file: 'td.json', files: new Map([['td.json', text], ['Dockerfile', 'FROM alpine:3.20\nCMD ["/serve"]\n']]) };
  const strip = { file: 'td.json', edits: [{ span: { start: text.indexOf('"sh"'), end: text.indexOf('"]') + 1 }, newText: '"./serve"' }] };
  const fake = (other: Fix['edits'][number]): Fix => ({ id: 't', title: 't', ruleId: 'runtime-install', needsConfirmation: true, edits: [strip, other] });
  const finding = () => analyzeWs(ws).findings.find((f) => f.ruleId === 'runtime-install')!;
  void test('the install moved into the Dockerfile start command is caught', () => {
    const df = ws.files.get('Dockerfile')!;
    const at = df.indexOf('CMD');
    const p = invariantProblems(ws, finding(), fake({ file: 'Dockerfile', edits: [{ span: { start: at, end: df.length }, newText: 'CMD apk add curl && exec /serve\n' }] }));
    assert.match(p.join(), /new finding in Dockerfile: runtime-install/);
  });
  void test('a created Dockerfile with a runtime install is caught; its image findings for the same reference are not', () => {
    const p = invariantProblems(ws, finding(), fake({ file: 'app.Dockerfile', create: true, edits: [{ span: { start: 0, end: 0 }, newText: 'FROM web:1\nCMD apk add curl && exec ./serve\n' }] }));
    assert.deepEqual(p.map((x) => x.replace(/:.*/, '')), ['new finding in app.Dockerfile']);
    assert.match(p[0], /runtime-install/);
    const clean = applyFix(ws.files, fake({ file: 'app.Dockerfile', create: true, edits: [{ span: { start: 0, end: 0 }, newText: 'FROM web:1\nRUN apk add curl\nCMD ["./serve"]\n' }] }));
    assert.equal(stripBom(clean.get('app.Dockerfile')!), 'FROM web:1\nRUN apk add curl\nCMD ["./serve"]\n');
    assert.deepEqual(invariantProblems(ws, finding(), fake({ file: 'app.Dockerfile', create: true, edits: [{ span: { start: 0, end: 0 }, newText: 'FROM web:1\nRUN apk add curl\nCMD ["./serve"]\n' }] })), []);
  });
});
