// "Disable <rule> for this line": where the pragma goes, where it must not (JSON, directives, heredocs,
// continuations, YAML block scalars), and that the inserted pragma really silences the finding.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { analyze } from '../../server/src/core/analyze';
import { initParsers } from '../../server/src/core/treesitter';
import { disableLineEdit, heredocBodies } from '../../server/src/lsp/suppress-action';

interface Case {
  name: string;
  file: string;
  text: string;
  rule: string;
  /** 0-based line of the finding. */
  line: number;
  /** The text after the edit, or undefined when no action may be offered. */
  expected: string | undefined;
}

const TASK = '{"family":"x","containerDefinitions":[{"name":"a","image":"nginx:latest"}]}\n';

const CASES: Case[] = [
  { name: 'Dockerfile FROM', file: 'Dockerfile', text: 'FROM node:latest\n', rule: 'latest-tag', line: 0, expected: '# known-good-ignore latest-tag -- \nFROM node:latest\n' },
  { name: 'Dockerfile CRLF keeps CRLF', file: 'Dockerfile', text: 'FROM node:20\r\nCMD npm install\r\n', rule: 'runtime-install', line: 1, expected: 'FROM node:20\r\n# known-good-ignore runtime-install -- \r\nCMD npm install\r\n' },
  { name: 'Dockerfile indented stage keeps its indentation', file: 'Dockerfile', text: 'FROM node:20@sha256:' + 'a'.repeat(64) + '\n  CMD npm install\n', rule: 'runtime-install', line: 1, expected: 'FROM node:20@sha256:' + 'a'.repeat(64) + '\n  # known-good-ignore runtime-install -- \n  CMD npm install\n' },
  {
    name: 'an existing pragma above gets the rule added',
    file: 'Dockerfile',
    text: 'FROM node:20\n# known-good-ignore runtime-fetch -- reviewed\nCMD npm install\n',
    rule: 'runtime-install',
    line: 2,
    expected: 'FROM node:20\n# known-good-ignore runtime-fetch,runtime-install -- reviewed\nCMD npm install\n',
  },
  { name: 'Dockerfile # syntax= directive: a comment above would end the directives', file: 'Dockerfile', text: '# syntax=docker/dockerfile\nFROM node:20@sha256:' + 'a'.repeat(64) + '\n', rule: 'latest-tag', line: 0, expected: undefined },
  { name: 'compose image', file: 'compose.yaml', text: 'services:\n  web:\n    image: nginx:1.27\n', rule: 'missing-digest', line: 2, expected: 'services:\n  web:\n    # known-good-ignore missing-digest -- \n    image: nginx:1.27\n' },
  {
    name: 'compose command inside a block scalar: the comment would become script text',
    file: 'compose.yaml',
    text: 'services:\n  web:\n    image: nginx:1.27@sha256:' + 'a'.repeat(64) + '\n    command:\n      - sh\n      - -c\n      - |\n        echo start\n        npm install\n',
    rule: 'runtime-install',
    line: 8,
    expected: undefined,
  },
  { name: 'shell line', file: 'start.sh', text: '#!/bin/sh\nnpm install\nexec node app.js\n', rule: 'runtime-install', line: 1, expected: '#!/bin/sh\n# known-good-ignore runtime-install -- \nnpm install\nexec node app.js\n' },
  { name: 'shell continuation: a comment would cut the command', file: 'start.sh', text: '#!/bin/sh\ncd /app && \\\n  npm install\n', rule: 'runtime-install', line: 2, expected: undefined },
  { name: 'ECS task definition JSON has no comments', file: 'task-definition.json', text: TASK, rule: 'latest-tag', line: 0, expected: undefined },
  {
    name: 'Terraform heredoc body',
    file: 'main.tf',
    text: 'resource "aws_ecs_task_definition" "t" {\n  family = "t"\n  container_definitions = <<EOF\n[{"name": "a", "image": "nginx:latest"}]\nEOF\n}\n',
    rule: 'latest-tag',
    line: 3,
    expected: undefined,
  },
  {
    name: 'Terraform HCL attribute',
    file: 'main.tf',
    text: 'resource "aws_ecs_task_definition" "t" {\n  family = "t"\n  container_definitions = jsonencode([{\n    name  = "a"\n    image = "nginx:latest"\n  }])\n}\n',
    rule: 'latest-tag',
    line: 4,
    expected: 'resource "aws_ecs_task_definition" "t" {\n  family = "t"\n  container_definitions = jsonencode([{\n    name  = "a"\n    # known-good-ignore latest-tag -- \n    image = "nginx:latest"\n  }])\n}\n',
  },
];

/** Scripts are analysed when a Dockerfile runs them: the workspace says one does. */
const workspace = (file: string) => ({ imageTags: [], scriptRunners: new Map([[file, [{ runBy: { file: 'Dockerfile', span: { start: 0, end: 1 } } }]]]) });
const run = (file: string, text: string) => analyze({ file, text, workspace: workspace(file) });
const findingsOn = (file: string, text: string, rule: string, line: number) => run(file, text).findings.filter((f) => f.ruleId === rule && f.range.start.line === line);

describe('Disable <rule> for this line', () => {
  before(() => initParsers());

  for (const c of CASES) {
    test(c.name, () => {
      const result = run(c.file, c.text);
      assert.equal(findingsOn(c.file, c.text, c.rule, c.line).length, 1, `the case has a ${c.rule} finding on line ${c.line}: ${JSON.stringify(result.findings.map((f) => [f.ruleId, f.range.start.line]))}`);
      const insertion = disableLineEdit(c.text, result.kind, c.file, c.line, c.rule);
      if (c.expected === undefined) return assert.equal(insertion, undefined);
      assert.ok(insertion);
      const lines = c.text.split('\n');
      const offset = lines.slice(0, insertion.line).reduce((n, l) => n + l.length + 1, 0) + insertion.character;
      const edited = c.text.slice(0, offset) + insertion.newText + c.text.slice(offset);
      assert.equal(edited, c.expected);
      // The pragma works: the finding is gone, and only that one.
      const after = run(c.file, edited).findings.map((f) => f.ruleId);
      const expectedRules = result.findings.map((f) => f.ruleId);
      expectedRules.splice(expectedRules.indexOf(c.rule), 1);
      assert.deepEqual(after, expectedRules);
    });
  }

  test('heredoc bodies: quoted and dash forms, here-strings ignored', () => {
    const lines = ['RUN <<EOF', 'a', 'EOF', "COPY <<-'X' /f", 'b', '\tX', 'RUN cat <<< word', 'c'];
    assert.deepEqual([...heredocBodies(lines)], [1, 4]);
  });
});
