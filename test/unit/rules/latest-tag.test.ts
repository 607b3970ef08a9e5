// latest-tag: `:latest` or untagged references everywhere an image is named.
import { ruleTable } from './harness';

ruleTable('latest-tag', {
  valid: [
    { name: 'scratch and stage names', file: 'Dockerfile', text: 'FROM golang:1.22.5@sha256:' + 'a'.repeat(64) + ' AS builder\nFROM scratch\nCOPY --from=builder /app /app\n' },
    { name: 'digest wins even with latest', file: 'Dockerfile', text: 'FROM node:latest@sha256:' + 'b'.repeat(64) + '\n' },
    { name: 'tagged reference is missing-digest, not latest', file: 'Dockerfile', text: 'FROM node:20\n' },
    { name: 'commented-out FROM', file: 'Dockerfile', text: '#FROM python\nFROM python:3.13.0-slim\n' },
    { name: 'stage referenced by index', file: 'Dockerfile', text: 'FROM alpine:3.20 AS a\nFROM alpine:3.20\nCOPY --from=0 /x /x\n' },
    { name: 'FROM of an earlier stage, case-insensitive', file: 'Dockerfile', text: 'FROM node:20 AS Base\nFROM base\n' },
    { name: 'compose build-only service', file: 'compose.yaml', text: 'services:\n  app:\n    build: .\n' },
  ],
  invalid: [
    { name: 'FROM untagged', file: 'Dockerfile', text: 'FROM python\n', expect: [{ line: 1, text: 'python', message: 'no tag' }] },
    { name: 'FROM latest with platform and alias', file: 'Dockerfile', text: 'FROM --platform=$BUILDPLATFORM node:latest AS build\n', expect: [{ line: 1, text: 'node:latest' }] },
    { name: 'COPY --from an image', file: 'Dockerfile', text: 'FROM php:8.2.1-fpm\nCOPY --from=composer:latest /usr/bin/composer /usr/bin/composer\n', expect: [{ line: 2, text: 'composer:latest' }] },
    { name: 'RUN --mount=from an image', file: 'Dockerfile', text: 'FROM alpine:3.20.1\nRUN --mount=type=bind,from=busybox,target=/b ls /b\n', expect: [{ line: 2, text: 'busybox' }] },
    { name: 'CRLF and BOM', file: 'dockerfile', text: '\ufeffFROM golang AS builder\r\nFROM scratch\r\nCOPY --from=builder /a /a\r\n', expect: [{ line: 1, text: 'golang' }] },
    { name: 'untagged quay image', file: 'Dockerfile', text: 'FROM quay.io/sdmrepo/relay\n', expect: [{ line: 1, text: 'quay.io/sdmrepo/relay' }] },
    { name: 'ARG default that is untagged', file: 'Dockerfile', text: 'ARG BASE=ubuntu\nFROM $BASE\n', expect: [{ line: 2, text: '$BASE', message: 'default' }] },
    { name: 'registry variable with literal latest', file: 'Dockerfile', text: 'ARG REGISTRY\nFROM ${REGISTRY}/app:latest\n', expect: [{ line: 2, text: '${REGISTRY}/app:latest' }] },
    {
      name: 'task definition, untagged ECR image',
      file: 'task-definition.json',
      text: '{\n  "family": "x",\n  "containerDefinitions": [\n    { "name": "a", "image": "147882094138.dkr.ecr.eu-central-1.amazonaws.com/witp" }\n  ]\n}\n',
      expect: [{ line: 4, text: '147882094138.dkr.ecr.eu-central-1.amazonaws.com/witp', message: 'ECS' }],
    },
    { name: 'compose untagged', file: 'docker-compose.yml', text: 'services:\n  ls:\n    image: localstack/localstack\n', expect: [{ line: 3, text: 'localstack/localstack' }] },
    {
      name: 'CloudFormation !Sub with literal latest',
      file: 'ecs.yaml',
      text: "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Name: web\n          Image: !Sub '${Repo.RepositoryUri}:latest'\n",
      expect: [{ line: 8, text: '${Repo.RepositoryUri}:latest' }],
    },
    {
      name: 'Terraform jsonencode with interpolated repository and latest',
      file: 'task.tf',
      text: 'resource "aws_ecs_task_definition" "t" {\n  family = "x"\n  container_definitions = jsonencode([{\n    name  = "app"\n    image = "${aws_ecr_repository.r.repository_url}:latest"\n  }])\n}\n',
      expect: [{ line: 5, text: '${aws_ecr_repository.r.repository_url}:latest' }],
    },
  ],
});
