// Table tests for file-kind detection by name, language id and content, plus the corpus kinds.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { detectKind } from '../../../server/src/core/detect';
import type { FileKind } from '../../../server/src/core/types';
import { corpusEntries, corpusText } from './site-helpers';

const ECS = '{"family": "f", "containerDefinitions": [{"name": "a", "image": "nginx"}]}';
const CFN_YAML = "AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n";
const CFN_NO_VERSION = 'Resources:\n  R:\n    Type: AWS::ECR::Repository\n';
const CFN_JSON = '{"Resources": {"R": {"Type": "AWS::ECS::TaskDefinition", "Properties": {}}}}';
const COMPOSE = 'services:\n  web:\n    image: nginx\n';

describe('detectKind', () => {
  const cases: { file: string; text?: string; languageId?: string; kind: FileKind | undefined }[] = [
    // Dockerfiles by name or language id.
    { file: 'Dockerfile', kind: 'dockerfile' },
    { file: 'src/dockerfile', kind: 'dockerfile' },
    { file: 'docker/Dockerfile.builder', kind: 'dockerfile' },
    { file: 'api.Dockerfile', kind: 'dockerfile' },
    { file: 'Containerfile', kind: 'dockerfile' },
    { file: 'C:\\repo\\Dockerfile', kind: 'dockerfile' },
    { file: 'build/image.txt', languageId: 'dockerfile', kind: 'dockerfile' },
    { file: 'Dockerfile.md', kind: undefined },
    // The config file.
    { file: '.knowngood.yaml', text: 'rules: {}\n', kind: 'knowngood-config' },
    { file: 'sub/.knowngood.yml', kind: 'knowngood-config' },
    // Compose by name, language id or content.
    { file: 'compose.yaml', text: 'x: 1\n', kind: 'compose' },
    { file: 'docker-compose.dev.yml', kind: 'compose' },
    { file: 'podman-compose.yaml', kind: 'compose' },
    { file: 'stack.yml', text: COMPOSE, kind: 'compose' },
    { file: 'stack.yml', text: 'services:\n  web:\n    build: .\n', kind: 'compose' },
    { file: 'other.yml', text: 'services:\n  - name: a\n', kind: undefined },
    { file: 'k8s.yaml', text: 'apiVersion: v1\nkind: Service\nmetadata: {name: services}\n', kind: undefined },
    { file: 'x.yaml', text: 'services: {}', languageId: 'dockercompose', kind: 'compose' },
    // CloudFormation by content.
    { file: 'template.yaml', text: CFN_YAML, kind: 'cloudformation' },
    { file: 'ecr.yml', text: CFN_NO_VERSION, kind: 'cloudformation' },
    { file: 'stack.template.json', text: CFN_JSON, kind: 'cloudformation' },
    { file: 'stack.template', text: CFN_YAML, kind: 'cloudformation' },
    { file: 'config.yaml', text: 'Resources:\n  cpu: 2\n', kind: undefined },
    { file: 'a.txt', text: CFN_YAML, kind: undefined },
    // ECS task definitions by content, whatever the name.
    { file: 'task-definition.json', text: ECS, kind: 'ecs-json' },
    { file: 'anything.json', text: `{"taskDefinition": ${ECS}, "tags": []}`, kind: 'ecs-json' },
    { file: 'defs.json', text: '[{"name": "a", "image": "b"}, {"name": "c", "image": "d"}]', kind: 'ecs-json' },
    { file: 'defs.json.tftpl', text: '[{"name": "${n}", "image": "${image}:latest", "cpu": ${cpu}}]', kind: 'ecs-json' },
    { file: 'defs.tpl', text: ECS, kind: 'ecs-json' },
    { file: 'defs.tmpl', text: ECS, kind: 'ecs-json' },
    { file: 'package.json', text: '{"name": "x", "version": "1.0.0", "dependencies": {"image": "1"}}', kind: undefined },
    { file: 'list.json', text: '[{"name": "a", "image": "b"}, {"name": "c"}]', kind: undefined },
    { file: 'ecs.yaml', text: ECS, kind: undefined },
    // Terraform and shell.
    { file: 'infra/main.tf', text: '', kind: 'terraform' },
    { file: 'entrypoint.sh', text: 'echo hi\n', kind: 'shell' },
    { file: 'docker/start', text: '#!/bin/sh\nexec app\n', kind: 'shell' },
    { file: 'bin/run', text: '#!/usr/bin/env bash\nset -e\n', kind: 'shell' },
    { file: 'bin/run.py', text: '#!/usr/bin/env python3\n', kind: undefined },
    { file: 'bin/run', text: '#!/bin/shell-thing\n', kind: undefined },
    { file: 'README.md', text: '# hi', kind: undefined },
  ];
  for (const c of cases) {
    test(`${c.file}${c.languageId ? ` (${c.languageId})` : ''} → ${c.kind}`, () => {
      assert.equal(detectKind(c.file, c.text ?? '', c.languageId), c.kind);
    });
  }

  test('a huge JSON file is classified from its prefix without parsing everything', () => {
    const big = `{"containerDefinitions": [{"name": "a", "image": "b"}], "pad": "${'x'.repeat(5 * 1024 * 1024)}"}`;
    const started = Date.now();
    assert.equal(detectKind('big.json', big), 'ecs-json');
    assert.equal(detectKind('big.json', `{"pad": "${'x'.repeat(5 * 1024 * 1024)}"}`), undefined);
    assert.ok(Date.now() - started < 1000);
  });

  const kinds: Record<string, FileKind> = { dockerfile: 'dockerfile', script: 'shell', 'ecs-json': 'ecs-json', cfn: 'cloudformation', terraform: 'terraform', compose: 'compose' };
  for (const [corpusKind, kind] of Object.entries(kinds)) {
    for (const entry of corpusEntries(corpusKind)) {
      test(`corpus ${entry.id} → ${kind}`, () => assert.equal(detectKind(entry.file, corpusText(entry)), kind));
    }
  }
});
