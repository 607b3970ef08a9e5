// variable-image: references whose tag or whole value comes from a variable.
import { ruleTable } from './harness';

ruleTable('variable-image', {
  valid: [
    { name: 'literal reference', file: 'Dockerfile', text: 'FROM node:20\n' },
    { name: 'only the registry is a variable', file: 'Dockerfile', text: 'ARG REG\nFROM ${REG}/node:20\n' },
    { name: 'stage name through ARG', file: 'Dockerfile', text: 'FROM alpine:3.20 AS base\nARG STAGE=base\nFROM alpine:3.20\nCOPY --from=base /a /a\n' },
  ],
  invalid: [
    { name: 'FROM $BASE without default', file: 'Dockerfile', text: 'ARG BASE\nFROM $BASE\n', expect: [{ line: 2, text: '$BASE', message: 'No default' }] },
    { name: 'FROM with default', file: 'Dockerfile', text: 'ARG BASE=node:20\nFROM ${BASE}\n', expect: [{ line: 2, text: '${BASE}', message: '`node:20`' }] },
    { name: 'compose ${IMAGE} without default', file: 'compose.yaml', text: 'services:\n  app:\n    image: ${IMAGE}\n', expect: [{ line: 3, text: '${IMAGE}' }] },
    {
      name: 'compose ${IMAGE} from .env',
      file: 'compose.yaml',
      text: 'services:\n  app:\n    image: ${IMAGE}\n',
      files: { '.env': 'IMAGE=redis:7\n' },
      expect: [{ line: 3, text: '${IMAGE}', message: 'redis:7' }],
    },
    {
      name: 'CloudFormation !Ref parameter with default',
      file: 'stack.yaml',
      text: "AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  ImageParam:\n    Type: String\n    Default: nginx:1.27.0\nResources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Name: web\n          Image: !Ref ImageParam\n",
      expect: [{ line: 12, text: '!Ref ImageParam', message: 'nginx:1.27.0' }],
    },
    {
      name: 'Terraform var.image',
      file: 'main.tf',
      text: 'variable "image" {\n  type = string\n}\nresource "aws_ecs_task_definition" "t" {\n  family = "x"\n  container_definitions = jsonencode([{ name = "a", image = var.image }])\n}\n',
      expect: [{ line: 6, text: 'var.image' }],
    },
  ],
});
