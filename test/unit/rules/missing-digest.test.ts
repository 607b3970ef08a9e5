// missing-digest: tagged references without a digest; the message tells floating from exact-looking tags.
import { ruleTable } from './harness';

const D = 'sha256:' + 'c'.repeat(64);
ruleTable('missing-digest', {
  valid: [
    { name: 'pinned', file: 'Dockerfile', text: `FROM node:20.11.1@${D}\n` },
    { name: 'untagged is latest-tag only', file: 'Dockerfile', text: 'FROM node\n' },
    { name: 'stage copy', file: 'Dockerfile', text: `FROM node:20@${D} AS deps\nFROM node:20@${D}\nCOPY --from=deps /a /a\n` },
    { name: 'compose pinned', file: 'compose.yaml', text: `services:\n  db:\n    image: postgres:16.2@${D}\n` },
    { name: 'ECS pinned with digest only', file: 'td.json', text: `{"containerDefinitions":[{"name":"a","image":"nginx@${D}"}]}` },
  ],
  invalid: [
    { name: 'floating major tag', file: 'Dockerfile', text: 'FROM node:20 AS build\n', expect: [{ line: 1, text: 'node:20', message: 'floats' }] },
    { name: 'exact-looking tag', file: 'Dockerfile', text: 'FROM nginx:1.25.3-alpine\n', expect: [{ line: 1, text: 'nginx:1.25.3-alpine', message: 'looks exact' }] },
    { name: 'channel tag', file: 'Dockerfile', text: 'FROM node:lts-alpine\n', expect: [{ line: 1, text: 'node:lts-alpine', message: 'floats' }] },
    { name: 'syntax directive', file: 'Dockerfile', text: '# syntax=docker/dockerfile:1\nFROM alpine:3.19.1\n', expect: [{ line: 1, text: 'docker/dockerfile:1' }, { line: 2, text: 'alpine:3.19.1' }] },
    { name: 'ARG version in tag, default analysed', file: 'Dockerfile', text: 'ARG V=3.12\nFROM python:${V}-slim\n', expect: [{ line: 2, text: 'python:${V}-slim', message: 'default' }] },
    { name: 'inline default with a colon inside the variable', file: 'Dockerfile', text: 'FROM node:${NODE_VERSION:-20}-alpine\n', expect: [{ line: 1, text: 'node:${NODE_VERSION:-20}-alpine', message: 'node:20-alpine' }] },
    { name: 'compose with default from interpolation', file: 'compose.yaml', text: 'services:\n  app:\n    image: ${APP_IMAGE:-myorg/app:1.4}\n', expect: [{ line: 3, text: '${APP_IMAGE:-myorg/app:1.4}' }] },
    { name: 'compose image', file: 'compose.yaml', text: '---\nservices:\n  db:\n    # image: mysql:8.0\n    image: mysql:5.7\n...\n', expect: [{ line: 5, text: 'mysql:5.7', message: 'compose' }] },
    {
      name: 'describe-task-definition output',
      file: 'out.json',
      text: '{\n  "taskDefinition": {\n    "containerDefinitions": [\n      {"name": "w", "image": "public.ecr.aws/nginx/nginx:1.27"}\n    ]\n  }\n}\n',
      expect: [{ line: 4, text: 'public.ecr.aws/nginx/nginx:1.27', message: 'ECS resolves the tag' }],
    },
  ],
});
