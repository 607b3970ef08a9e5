// Vendoring variants too small for golden folders: which fixes are offered, the lines they write, and
// that every offered fix keeps the invariants.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { initParsers } from '../../../server/src/core/treesitter';
import { analyzeWs, applyFix, fakeHash, fixesOf, invariantProblems, type Workspace } from './helpers';

interface Row {
  name: string;
  dockerfile: string;
  files?: Record<string, string>;
  rule?: string;
  /** Fragment of the finding's text. */
  match: string;
  /** Ids of the fixes offered (ignore fixes left out). */
  offered: string[];
  /** Lines the first offered fix writes (each must be a whole line of the result). */
  lines?: string[];
  /** Reason when nothing but ignoring is offered. */
  reason?: string;
}

const rows: Row[] = [
  // curl / wget destinations
  { name: 'curl -O into WORKDIR', dockerfile: 'FROM debian:12\nWORKDIR /opt\nCMD curl -fsSLO https://x.example/dl/tool-1.0.tgz && tar xzf tool-1.0.tgz && ./run\n', rule: 'runtime-fetch', match: 'curl', offered: ['vendor-add'], lines: ['ADD --checksum=@ https://x.example/dl/tool-1.0.tgz /opt/tool-1.0.tgz', 'CMD tar xzf tool-1.0.tgz && ./run'] },
  { name: 'wget without -O', dockerfile: 'FROM eclipse-temurin:21\nWORKDIR /srv\nCMD wget https://x.example/a.jar && java -jar a.jar\n', rule: 'runtime-fetch', match: 'wget', offered: ['vendor-add'], lines: ['ADD --checksum=@ https://x.example/a.jar /srv/a.jar', 'CMD java -jar a.jar'] },
  { name: 'wget -P', dockerfile: 'FROM eclipse-temurin:21\nCMD wget -q -P /opt/lib https://x.example/a.jar && java -cp /opt/lib/a.jar Main\n', rule: 'runtime-fetch', match: 'wget', offered: ['vendor-add'], lines: ['ADD --checksum=@ https://x.example/a.jar /opt/lib/a.jar'] },
  { name: 'redirect and chmod 700', dockerfile: 'FROM debian:12\nCMD curl -sL https://x.example/bin > /usr/local/bin/x && chmod 700 /usr/local/bin/x && x\n', rule: 'runtime-fetch', match: 'curl', offered: ['vendor-add'], lines: ['ADD --checksum=@ --chmod=700 https://x.example/bin /usr/local/bin/x', 'CMD x'] },
  { name: 'executed later without chmod', dockerfile: 'FROM debian:12\nCMD curl -fsSLo /usr/local/bin/x https://x.example/bin && /usr/local/bin/x serve\n', rule: 'runtime-fetch', match: 'curl', offered: ['vendor-add'], lines: ['ADD --checksum=@ --chmod=755 https://x.example/bin /usr/local/bin/x'] },
  { name: 'piped into tar', dockerfile: 'FROM debian:12\nCMD curl -fsSL https://x.example/app.tgz | tar -xz -C /opt && /opt/app/run\n', rule: 'runtime-fetch', match: 'curl', offered: ['vendor-add'], lines: ['ADD --checksum=@ https://x.example/app.tgz /tmp/app.tgz', 'RUN tar -xz -C /opt < /tmp/app.tgz', 'CMD /opt/app/run'] },
  { name: 'piped into bash with arguments', dockerfile: 'FROM debian:12\nCMD curl -fsSL https://x.example/i.sh | bash -s -- --yes && exec app\n', rule: 'runtime-fetch', match: 'curl', offered: ['vendor-add'], lines: ['RUN bash -s -- --yes < /tmp/i.sh'] },
  { name: 'cd before the fetch', dockerfile: 'FROM debian:12\nWORKDIR /app\nCMD cd /tmp && curl -o t.sh https://x.example/t.sh && sh t.sh\n', rule: 'runtime-fetch', match: 'curl', offered: ['vendor-add'], lines: ['ADD --checksum=@ https://x.example/t.sh /tmp/t.sh', 'CMD cd /tmp && sh t.sh'] },
  { name: '--output-dir', dockerfile: 'FROM debian:12\nCMD curl -O --output-dir /opt https://x.example/a && /opt/a\n', rule: 'runtime-fetch', match: 'curl', offered: [], reason: 'file name at run time' },
  { name: 'command substitution', dockerfile: 'FROM debian:12\nCMD sh -c "$(curl -fsSL https://x.example/i.sh)" && exec app\n', rule: 'runtime-fetch', match: 'curl', offered: [], reason: 'command substitution' },
  { name: 'URL from a variable', dockerfile: 'FROM debian:12\nCMD curl -fsSL "$TOOL_URL" -o /x && /x\n', rule: 'runtime-fetch', match: 'curl', offered: [], reason: 'variable' },
  { name: 'aws s3', dockerfile: 'FROM amazon/aws-cli:2.17.0\nCMD aws s3 cp s3://bucket/app.jar /app.jar && java -jar /app.jar\n', rule: 'runtime-fetch', match: 'aws', offered: [], reason: 'credentials' },
  // pip
  { name: 'pip on a non-official base', dockerfile: 'FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y python3-pip\nCMD pip install flask && python3 app.py\n', match: 'pip', offered: ['vendor-run'] },
  { name: 'pip installed by the Dockerfile', dockerfile: 'FROM python:3.12\nRUN apt-get install -y python3-pip\nCMD pip install flask && python3 app.py\n', match: 'pip', offered: ['vendor-run'] },
  { name: 'pip -e .', dockerfile: 'FROM python:3.12\nWORKDIR /app\nCOPY . .\nCMD pip install -e . && python -m app\n', match: 'pip', offered: ['vendor-run'], lines: ['RUN pip install -e .'] },
  { name: 'requirements not copied', dockerfile: 'FROM python:3.12\nCMD pip install -r /work/r.txt && python app.py\n', match: 'pip', offered: ['vendor-run'] },
  { name: 'requirements include local code', dockerfile: 'FROM python:3.12\nWORKDIR /app\nCOPY . .\nCMD pip install -r r.txt && python app.py\n', files: { 'r.txt': 'flask\n-e .\n' }, match: 'pip', offered: ['vendor-run'] },
  { name: 'stage name taken', dockerfile: 'FROM alpine:3.20 AS deps\nRUN true\nFROM python:3.12\nCMD pip install flask && flask run\n', match: 'pip', offered: ['vendor-build-stage', 'vendor-run'], lines: ['FROM python:3.12 AS deps-2', 'COPY --from=deps-2 /install /usr/local'] },
  { name: 'start command inherited from the parent stage', dockerfile: 'FROM python:3.12 AS base\nCMD pip install flask && flask run\n\nFROM base\nCOPY . /app\n', match: 'pip', offered: ['vendor-build-stage', 'vendor-run'], lines: ['FROM base AS deps', 'COPY --from=deps /install /usr/local', 'CMD flask run'] },
  { name: 'other pip tools run in place', dockerfile: 'FROM python:3.12\nWORKDIR /app\nCOPY . .\nCMD poetry install --no-root && poetry run python app.py\n', match: 'poetry', offered: ['vendor-run'], lines: ['RUN poetry install --no-root'] },
  // node
  { name: 'npm global', dockerfile: 'FROM node:20\nCMD npm install -g pm2 && pm2-runtime app.js\n', match: 'npm', offered: ['vendor-run'], lines: ['RUN npm install -g pm2'] },
  { name: 'npm workspaces', dockerfile: 'FROM node:20\nWORKDIR /app\nCOPY . .\nCMD npm ci && npm start\n', files: { 'package.json': '{"workspaces":["a"]}' }, match: 'npm', offered: ['vendor-run'] },
  { name: 'npm without a lock file', dockerfile: 'FROM node:20\nWORKDIR /app\nCOPY . .\nCMD npm install && npm start\n', files: { 'package.json': '{}' }, match: 'npm', offered: ['vendor-build-stage', 'vendor-run'], lines: ['COPY package.json ./', 'RUN npm install --omit=dev'] },
  { name: 'npm with named packages', dockerfile: 'FROM node:20\nWORKDIR /app\nCOPY . .\nCMD npm install express && node server.js\n', files: { 'package.json': '{}', 'package-lock.json': '{}' }, match: 'npm', offered: ['vendor-build-stage', 'vendor-run'], lines: ['RUN npm install --omit=dev express'] },
  { name: 'yarn berry', dockerfile: 'FROM node:20\nWORKDIR /app\nCOPY . .\nCMD yarn install && yarn start\n', files: { 'package.json': '{}', 'yarn.lock': '', '.yarnrc.yml': '' }, match: 'yarn', offered: ['vendor-run'] },
  { name: 'bunx', dockerfile: 'FROM oven/bun:1\nCMD bunx cowsay@1.6.0 hi\n', match: 'bunx', offered: [], reason: 'in one step' },
  // OS packages
  { name: 'apt option values and env prefix', dockerfile: 'FROM debian:12\nCMD DEBIAN_FRONTEND=noninteractive apt-get install -t bookworm-backports -y jq && exec app\n', match: 'apt-get', offered: ['vendor-run'], lines: ['RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -t bookworm-backports -y --no-install-recommends jq && rm -rf /var/lib/apt/lists/*'] },
  { name: 'apt-get update alone', dockerfile: 'FROM debian:12\nCMD apt-get update && exec app\n', match: 'apt-get', offered: ['vendor-run'], lines: ['CMD exec app'] },
  { name: 'sudo dropped, USER kept', dockerfile: 'FROM debian:12\nUSER 1000:1000\nCMD sudo apk add jq && exec app\n', match: 'apk', offered: ['vendor-run'], lines: ['USER root', 'RUN apk add --no-cache jq', 'USER 1000:1000'] },
  { name: 'zypper', dockerfile: 'FROM opensuse/leap:15.6\nCMD zypper install -y jq && exec app\n', match: 'zypper', offered: ['vendor-run'], lines: ['RUN zypper --non-interactive install -y jq && zypper clean --all'] },
  { name: 'yum update', dockerfile: 'FROM amazonlinux:2023\nCMD yum update && exec app\n', match: 'yum', offered: ['vendor-run'], lines: ['RUN yum update -y && yum clean all'] },
  // others
  { name: 'in place with cd', dockerfile: 'FROM php:8.3\nWORKDIR /app\nCMD cd /srv && composer install && php -S 0.0.0.0:80\n', match: 'composer', offered: ['vendor-run'], lines: ['RUN cd /srv && composer install', 'CMD cd /srv && php -S 0.0.0.0:80'] },
  { name: 'go install without a version', dockerfile: 'FROM golang:1.22\nWORKDIR /src\nCOPY . .\nCMD go install ./cmd/app && app\n', match: 'go install', offered: ['vendor-run'] },
  { name: 'cargo on a non-rust base', dockerfile: 'FROM debian:12\nCMD cargo install ripgrep && rg x\n', match: 'cargo', offered: ['vendor-run'] },
  { name: 'bundle with --path', dockerfile: 'FROM ruby:3.3\nWORKDIR /app\nCOPY . .\nCMD bundle install --path vendor && bundle exec rails s\n', match: 'bundle', offered: ['vendor-run'] },
  { name: 'a runtime-only variable', dockerfile: 'FROM debian:12\nCMD apt-get install -y "$PKG" && exec app\n', match: 'apt-get', offered: [], reason: '$PKG' },
  { name: 'a variable ENV sets', dockerfile: 'FROM debian:12\nENV PKG=jq\nCMD apt-get install -y "$PKG" && exec app\n', match: 'apt-get', offered: ['vendor-run'], lines: ['RUN apt-get update && apt-get install -y --no-install-recommends "$PKG" && rm -rf /var/lib/apt/lists/*'] },
];

void describe('vendoring variants', () => {
  before(() => initParsers());
  for (const r of rows) {
    void test(r.name, () => {
      const ws: Workspace = { file: 'Dockerfile', files: new Map([['Dockerfile', r.dockerfile], ...Object.entries(r.files ?? {})]) };
      const rule = r.rule ?? 'runtime-install';
      const finding = analyzeWs(ws).findings.find((f) => f.ruleId === rule && r.dockerfile.slice(f.location.span.start, f.location.span.end).includes(r.match));
      assert.ok(finding, `a ${rule} finding on "${r.match}"`);
      let result = fixesOf(ws, finding);
      const needs = result.fixes.flatMap((f) => f.needs ?? []);
      if (needs.length) {
        ws.checksums = new Map(needs.filter((n) => n.kind === 'download-sha256').map((n) => [n.kind === 'download-sha256' ? n.url : '', fakeHash('x')]));
        ws.digests = new Map(needs.filter((n) => n.kind === 'image-digest').map((n) => [n.kind === 'image-digest' ? n.reference : '', fakeHash('y')]));
        result = fixesOf(ws, finding);
      }
      const cures = result.fixes.filter((f) => !f.id.startsWith('ignore-'));
      assert.deepEqual(cures.map((f) => f.id), r.offered, `offered (reason: ${result.reason})`);
      if (r.reason) assert.ok(result.reason?.includes(r.reason), `reason "${result.reason}" should contain "${r.reason}"`);
      for (const fix of cures) assert.deepEqual(invariantProblems(ws, finding, fix), [], fix.id);
      if (r.lines) {
        const out = applyFix(ws.files, cures[0]).get('Dockerfile')!.split('\n');
        const sum = fakeHash('x');
        for (const l of r.lines) assert.ok(out.includes(l.replace('=@', `=${sum}`)), `line "${l}" in:\n${out.join('\n')}`);
      }
    });
  }
});
