// stale-digest: a pin whose tag has moved, given the digests the registry reports now.
import { ruleTable } from './harness';

const OLD = 'sha256:' + '1'.repeat(64);
const NEW = 'sha256:' + '2'.repeat(64);
ruleTable('stale-digest', {
  valid: [
    { name: 'pin still current', file: 'Dockerfile', text: `FROM node:20@${OLD}\n`, digests: { 'node:20': OLD } },
    { name: 'registry not asked (no digests known)', file: 'Dockerfile', text: `FROM node:20@${OLD}\n` },
    { name: 'digest-only pin has no tag to compare', file: 'Dockerfile', text: `FROM node@${OLD}\n`, digests: { 'node:latest': NEW } },
    { name: 'unpinned reference is missing-digest, not stale', file: 'Dockerfile', text: 'FROM node:20\n', digests: { 'node:20': NEW } },
    { name: 'variable reference cannot be compared', file: 'Dockerfile', text: `ARG V=20\nFROM node:\${V}@${OLD}\n`, digests: { 'node:20': NEW } },
  ],
  invalid: [
    { name: 'Dockerfile FROM with platform and alias', file: 'Dockerfile', text: `FROM --platform=linux/amd64 node:20@${OLD} AS b\n`, digests: { 'node:20': NEW }, expect: [{ line: 1, text: `node:20@${OLD}`, message: 'now points to' }] },
    {
      name: 'task definition',
      file: 'td.json',
      text: `{"containerDefinitions":[{"name":"a",\n "image":"127.0.0.1:5000/demo/app:1.0@${OLD}"}]}`,
      digests: { '127.0.0.1:5000/demo/app:1.0': NEW },
      expect: [{ line: 2, text: `127.0.0.1:5000/demo/app:1.0@${OLD}` }],
    },
    { name: 'compose', file: 'compose.yaml', text: `services:\n  db:\n    image: "postgres:16.2@${OLD}"\n`, digests: { 'postgres:16.2': NEW }, expect: [{ line: 3, text: `postgres:16.2@${OLD}` }] },
  ],
});
