// Vendoring a runtime install out of task-definition, CloudFormation, Terraform and compose commands: the
// command stripped in each file's own form (exact text), the Dockerfile it goes to, and the refusals.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { stripBom } from '../../../server/src/core/analyze';
import { initParsers } from '../../../server/src/core/treesitter';
import type { Finding } from '../../../server/src/core/types';
import { analyzeWs, applyFix, fixesOf, invariantProblems, withFakeNeeds, type Workspace } from './helpers';

const DIGEST = `sha256:${'ab'.repeat(32)}`;
const CONFIG = 'images:\n  app: app/Dockerfile\n';
const DOCKERFILE = `FROM alpine:3.20@${DIGEST}\nCOPY run /usr/local/bin/run\nCMD ["run"]\n`;
const IMAGE = `registry.example.com/app:1.0@${DIGEST}`;

interface Case {
  name: string;
  file: string;
  text: string;
  /** Text the finding covers (first match). */
  match: string;
  /** Exact text the command file must hold afterwards (the stripped command). */
  expect?: string;
  /** Files besides the command file (default: the mapping and app/Dockerfile). */
  files?: Record<string, string>;
  fix?: string;
  reason?: string;
  rule?: string;
}

const ecs = (command: string, extra = '') => `{\n  "containerDefinitions": [\n    {\n      "name": "app",\n      "image": "${IMAGE}",${extra}\n      "command": ${command}\n    }\n  ]\n}\n`;
const compose = (lines: string) => `services:\n  app:\n    image: ${IMAGE}\n${lines}`;

const CASES: Case[] = [
  { name: 'JSON, compact list', file: 'td.json', text: ecs('["sh","-c","apk add --no-cache jq && exec run"]'), match: 'apk add', expect: '"command": ["run"]' },
  { name: 'JSON, payload left with two steps', file: 'td.json', text: ecs('["sh", "-c", "apk add jq && cd /srv && run"]'), match: 'apk add', expect: '"command": ["sh", "-c", "cd /srv && run"]' },
  { name: 'JSON, escaped quotes kept in the payload', file: 'td.json', text: ecs('["sh", "-c", "apk add jq && echo \\"up\\" > /tmp/s && exec run"]'), match: 'apk add', expect: '"command": ["sh", "-c", "echo \\"up\\" > /tmp/s && exec run"]' },
  { name: 'JSON, escaped words become plain strings', file: 'td.json', text: ecs('["sh", "-c", "apk add jq && exec run \\"--name=a b\\" \'x\\\\\\\\y\'"]'), match: 'apk add', expect: '"command": ["run", "--name=a b", "x\\\\\\\\y"]' },
  { name: 'JSON, tini before the shell', file: 'td.json', text: ecs('["tini", "--", "sh", "-c", "apk add jq && exec run"]'), match: 'apk add', expect: '"command": ["tini", "--", "run"]' },
  {
    name: 'JSON, shell in entryPoint and payload in command',
    file: 'td.json',
    text: ecs('["apk add jq && exec run"]', '\n      "entryPoint": ["sh", "-c"],'),
    match: 'apk add',
    expect: '"entryPoint": ["sh", "-c"],\n      "command": ["exec run"]',
  },
  {
    name: 'JSON, CMD-SHELL health check',
    file: 'td.json',
    text: ecs('["run"]', '\n      "healthCheck": { "command": ["CMD-SHELL", "apk add curl && curl -f http://localhost/"] },'),
    match: 'apk add',
    expect: '"healthCheck": { "command": ["CMD-SHELL", "curl -f http://localhost/"] }',
  },
  { name: 'JSON, CRLF', file: 'td.json', text: ecs('[\r\n        "sh",\r\n        "-c",\r\n        "apk add jq && exec run"\r\n      ]').replace(/\r?\n/g, '\r\n'), match: 'apk add', expect: '"command": [\r\n        "run"\r\n      ]' },
  { name: 'compose, shell string keeps its form', file: 'compose.yaml', text: compose('    command: sh -c "apk add jq && exec run"\n'), match: 'apk add', expect: '    command: sh -c "exec run"\n' },
  { name: 'compose, plain string', file: 'compose.yaml', text: compose('    command: apk add jq && run --port 80\n'), match: 'apk add', expect: '    command: run --port 80\n' },
  { name: 'compose, block list to plain items', file: 'compose.yaml', text: compose('    command:\n      - /bin/sh\n      - -c\n      - apk add jq && exec run --port=8080 app:main\n'), match: 'apk add', expect: '    command:\n      - run\n      - --port=8080\n      - app:main\n' },
  { name: 'compose, flow list of plain items', file: 'compose.yaml', text: compose('    command: [sh, -c, "apk add jq && exec run --port=8080 app:main"]\n'), match: 'apk add', expect: '    command: [run, --port=8080, "app:main"]\n' },
  { name: 'compose, single-quoted list', file: 'compose.yaml', text: compose("    command: ['sh', '-c', 'apk add jq && exec run \"it''s\"']\n"), match: 'apk add', expect: "    command: ['run', 'it''s']\n" },
  { name: 'compose, $$ kept in a payload', file: 'compose.yaml', text: compose('    command: ["sh", "-c", "apk add jq && echo $$HOSTNAME && exec run"]\n'), match: 'apk add', expect: '    command: ["sh", "-c", "echo $$HOSTNAME && exec run"]\n' },
  { name: 'compose, a literal $ is written $$', file: 'compose.yaml', text: compose('    command: ["sh", "-c", "apk add jq && exec run \'$$x\'"]\n'), match: 'apk add', expect: '    command: ["run", "$$x"]\n' },
  { name: 'compose, literal block', file: 'compose.yaml', text: compose('    command:\n      - sh\n      - -c\n      - |\n        apk add jq\n        exec run\n'), match: 'apk add', expect: '    command:\n      - run\n' },
  {
    name: 'CloudFormation YAML, block list',
    file: 'template.yaml',
    text: `Resources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Name: app\n          Image: ${IMAGE}\n          Command:\n            - "sh"\n            - "-c"\n            - "apk add jq && exec run"\n`,
    match: 'apk add',
    expect: '          Command:\n            - "run"\n',
  },
  {
    name: 'Terraform jsonencode, ${ in a word written $${',
    file: 'main.tf',
    text: `resource "aws_ecs_task_definition" "t" {\n  family = "t"\n  container_definitions = jsonencode([{\n    name    = "app"\n    image   = "${IMAGE}"\n    command = ["sh", "-c", "apk add jq && exec run '$\${HOME}'"]\n  }])\n}\n`,
    match: 'apk add',
    expect: '    command = ["run", "$${HOME}"]\n',
  },
  {
    name: 'Terraform heredoc JSON',
    file: 'main.tf',
    text: `resource "aws_ecs_task_definition" "t" {\n  family                = "t"\n  container_definitions = <<EOF\n[\n  {\n    "name": "app",\n    "image": "${IMAGE}",\n    "command": ["sh", "-c", "apk add jq && exec run"]\n  }\n]\nEOF\n}\n`,
    match: 'apk add',
    expect: '    "command": ["run"]\n',
  },
  { name: 'folded YAML scalar: refused', file: 'compose.yaml', text: compose('    command: >\n      sh -c "apk add jq\n      && exec run"\n'), match: 'apk add', reason: 'cannot be edited in place' },
  { name: 'sh -c string expanding a variable: refused', file: 'compose.yaml', text: compose('    command: sh -c "apk add jq && exec run --home \\"$$HOME\\""\n'), match: 'apk add', reason: 'expands variables' },
  {
    name: 'compose command from a merge key: refused',
    file: 'compose.yaml',
    text: `x-base: &base\n  image: ${IMAGE}\n  command: sh -c "apk add jq && exec run"\nservices:\n  a:\n    <<: *base\n  b:\n    <<: *base\n`,
    match: 'apk add',
    reason: 'shared through a YAML anchor or merge key',
  },
  {
    name: 'compose command aliased by another service: refused',
    file: 'compose.yaml',
    text: `services:\n  a:\n    image: ${IMAGE}\n    command: &cmd ["sh", "-c", "apk add jq && exec run"]\n  b:\n    image: ${IMAGE}\n    command: *cmd\n`,
    match: 'apk add',
    reason: 'shared through a YAML anchor or merge key',
  },
  { name: 'whole command is the install: refused', file: 'td.json', text: ecs('["sh", "-c", "apk add jq"]'), match: 'apk add', reason: 'nothing would be left to start' },
  { name: 'variable from the task environment: refused', file: 'td.json', text: ecs('["sh", "-c", "apk add $PKG && exec run"]'), match: 'apk add', reason: 'depends on `$PKG`' },
  {
    name: 'mount over the working directory: refused',
    file: 'td.json',
    text: ecs('["sh", "-c", "pip install -r requirements.txt && exec run"]', '\n      "workingDirectory": "/srv",\n      "mountPoints": [{ "sourceVolume": "code", "containerPath": "/srv/" }],'),
    match: 'pip install',
    files: { '.knowngood.yaml': CONFIG, 'app/Dockerfile': `FROM python:3.12-slim@${DIGEST}\nWORKDIR /srv\nCOPY . .\nCMD ["run"]\n` },
    reason: 'mounts a volume at /srv/, where the install runs',
  },
  {
    name: 'OS packages are not affected by a mount over the working directory',
    file: 'td.json',
    text: ecs('["sh", "-c", "apk add jq && exec run"]', '\n      "workingDirectory": "/srv",\n      "mountPoints": [{ "sourceVolume": "code", "containerPath": "/srv" }],'),
    match: 'apk add',
    expect: '"command": ["run"]',
  },
  { name: 'git clone: refused', file: 'td.json', rule: 'runtime-fetch', text: ecs('["sh", "-c", "git clone https://github.com/acme/site /srv && exec run"]'), match: 'git clone', reason: 'no build-time equivalent' },
];

function findingOf(ws: Workspace, c: Case): Finding {
  const text = stripBom(ws.files.get(ws.file)!);
  const f = analyzeWs(ws).findings.find((x) => x.ruleId === (c.rule ?? 'runtime-install') && text.slice(x.location.span.start, x.location.span.end).includes(c.match));
  assert.ok(f, `a finding on "${c.match}"`);
  return f;
}

void describe('vendoring out of container commands', () => {
  before(() => initParsers());
  for (const c of CASES) {
    void test(c.name, () => {
      const ws: Workspace = { file: c.file, files: new Map([[c.file, c.text], ...Object.entries(c.files ?? { '.knowngood.yaml': CONFIG, 'app/Dockerfile': DOCKERFILE })]) };
      const finding = findingOf(ws, c);
      const result = fixesOf(ws, finding);
      if (c.reason) {
        assert.ok(result.reason?.includes(c.reason), `reason "${result.reason}" should contain "${c.reason}"`);
        assert.ok(result.fixes.every((f) => f.id.startsWith('ignore-')));
        return;
      }
      const offered = result.fixes.find((f) => (c.fix ? f.id === c.fix : !f.id.startsWith('ignore-')));
      assert.ok(offered, `a fix (reason: ${result.reason})`);
      const { ws: filled, fix } = withFakeNeeds(ws, finding, offered);
      assert.ok(fix);
      const after = applyFix(filled.files, fix);
      assert.ok(after.get(c.file)!.includes(c.expect!), `${c.file} holds ${JSON.stringify(c.expect)}:\n${after.get(c.file)}`);
      assert.deepEqual(fix.edits.map((e) => e.file).sort(), ['app/Dockerfile', c.file].sort());
      assert.deepEqual(invariantProblems(filled, finding, fix), []);
    });
  }
});
