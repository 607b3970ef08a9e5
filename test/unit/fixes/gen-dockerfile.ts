// fast-check generator of Dockerfiles with runtime downloads: random bases (some through ARG), CRLF, the
// escape directive, comments between instructions, earlier stages, heredoc RUNs, exec and shell forms.
import fc from 'fast-check';

interface Ecosystem {
  bases: string[];
  installs: string[];
  /** Files the build context may hold. */
  files: Record<string, string>;
}

const ECOSYSTEMS: Record<string, Ecosystem> = {
  pip: {
    bases: ['python:3.12-slim', 'python:3.11', 'docker.io/library/python:3.13-alpine', 'ubuntu:24.04'],
    installs: ['pip install -r requirements.txt', 'pip install flask gunicorn==22.0.0', 'python -m pip install --user requests', 'pip3 install --no-cache-dir -r requirements.txt', 'pip install -e .'],
    files: { 'requirements.txt': 'flask==3.0.3\n' },
  },
  npm: {
    bases: ['node:20-slim', 'node:22', 'node:18-alpine'],
    installs: ['npm ci', 'npm install', 'yarn install', 'pnpm install', 'npm install -g pm2', 'npx -y serve@14.2.3 .'],
    files: { 'package.json': '{ "name": "app" }\n', 'package-lock.json': '{}\n', 'yarn.lock': '\n', 'pnpm-lock.yaml': '\n' },
  },
  os: {
    bases: ['debian:12', 'ubuntu:24.04', 'alpine:3.20', 'fedora:40', 'registry.access.redhat.com/ubi9/ubi-minimal:9.4'],
    installs: ['apt-get update', 'apt-get install -y curl', 'apt install -y jq', 'apk add --no-cache curl', 'apk update', 'dnf install -y procps-ng', 'microdnf install -y tar', 'yum install -y git'],
    files: {},
  },
  ruby: { bases: ['ruby:3.3', 'ruby:3.2-slim'], installs: ['bundle install', 'gem install rake'], files: { Gemfile: "source 'https://rubygems.org'\n", 'Gemfile.lock': 'GEM\n' } },
  go: { bases: ['golang:1.22', 'golang:1.23-alpine'], installs: ['go install github.com/air-verse/air@v1.52.3', 'go mod download'], files: {} },
  cargo: { bases: ['rust:1.79', 'rust:1.80-slim'], installs: ['cargo install cargo-watch'], files: {} },
  fetch: {
    bases: ['debian:12-slim', 'alpine:3.20'],
    installs: [
      'curl -fsSL -o /usr/local/bin/tool https://example.com/dl/tool',
      'wget -q https://example.com/dl/app.jar',
      'curl -fsSL https://get.example.com/install.sh | sh',
      'curl -sL https://example.com/x.tgz | tar -xz -C /opt',
      'git clone https://github.com/example/site.git /srv/site',
    ],
    files: {},
  },
};

const RESTS = ['python app.py', 'exec node server.js', './run --port 80', 'exec gunicorn app:app', 'tool serve', 'java -jar app.jar', 'rake serve'];

export interface GeneratedDockerfile {
  text: string;
  files: Record<string, string>;
}

const join = (lines: string[], eol: string) => lines.join(eol) + eol;

/** A JSON string literal of a shell payload. */
const q = (s: string) => JSON.stringify(s);

export const dockerfileArb: fc.Arbitrary<GeneratedDockerfile> = fc
  .record({
    eco: fc.constantFrom(...Object.keys(ECOSYSTEMS)),
    crlf: fc.boolean(),
    backtick: fc.boolean(),
    syntax: fc.constantFrom(undefined, 'docker/dockerfile:1', 'docker/dockerfile:1.4'),
    argBase: fc.boolean(),
    baseIndex: fc.nat(9),
    earlier: fc.constantFrom('none', 'plain', 'heredoc'),
    workdir: fc.constantFrom(undefined, '/app', '/srv/app'),
    user: fc.boolean(),
    comments: fc.boolean(),
    form: fc.constantFrom('shell', 'shell-continued', 'exec-sh', 'exec-tini', 'heredoc-script'),
    keyword: fc.constantFrom('CMD', 'ENTRYPOINT', 'HEALTHCHECK'),
    installs: fc.array(fc.nat(20), { minLength: 1, maxLength: 3 }),
    rest: fc.constantFrom(...RESTS),
    sep: fc.constantFrom(' && ', '; '),
    restFirst: fc.boolean(),
    withFiles: fc.boolean(),
    env: fc.boolean(),
    bom: fc.boolean(),
    add: fc.constantFrom(
      undefined,
      'ADD https://example.com/tool.tgz /tmp/',
      'ADD --chown=1000 https://example.com/a.txt /a.txt',
      'ADD https://github.com/example/site.git#0123456789abcdef0123456789abcdef01234567 /srv/site',
      'ADD https://github.com/example/site.git#v1.0 /srv/site',
      'ADD https://example.com/a https://example.com/b /opt/',
    ),
  })
  .map((g) => {
    const eco = ECOSYSTEMS[g.eco];
    const eol = g.crlf ? '\r\n' : '\n';
    const esc = g.backtick ? '`' : '\\';
    const lines: string[] = [];
    if (g.syntax) lines.push(`# syntax=${g.syntax}`);
    if (g.backtick) lines.push('# escape=`');
    const base = eco.bases[g.baseIndex % eco.bases.length];
    if (g.argBase) lines.push(`ARG BASE=${base}`);
    if (g.earlier !== 'none') {
      lines.push('FROM alpine:3.20 AS build', g.earlier === 'heredoc' ? 'RUN <<EOF\necho building > /out.txt\nEOF' : 'RUN echo building > /out.txt', '');
    }
    if (g.comments) lines.push('# the runtime image');
    lines.push(`FROM ${g.argBase ? '${BASE}' : base}`);
    if (g.workdir) lines.push(`WORKDIR ${g.workdir}`);
    if (g.comments) lines.push('', '# application code');
    lines.push('COPY . .');
    if (g.earlier !== 'none') lines.push('COPY --from=build /out.txt /out.txt');
    if (g.add) lines.push(g.add);
    if (g.env) lines.push('ENV PORT=8080 MODE=prod');
    if (g.user) lines.push('USER 1000');
    const installs = [...new Set(g.installs.map((i) => eco.installs[i % eco.installs.length]))];
    const steps = g.restFirst ? [g.rest, ...installs] : [...installs, g.rest];
    const script = steps.join(g.sep);
    const kw = g.keyword === 'HEALTHCHECK' ? 'HEALTHCHECK --interval=30s CMD' : g.keyword;
    if (g.comments) lines.push('# start');
    switch (g.form) {
      case 'shell':
        lines.push(`${kw} ${script}`);
        break;
      case 'shell-continued':
        lines.push(`${kw} ${steps.join(` && ${esc}${eol}    `)}`);
        break;
      case 'exec-sh':
        lines.push(`${kw} ["sh", "-c", ${q(script)}]`);
        break;
      case 'exec-tini':
        lines.push(`${kw} ["tini", "--", "/bin/sh", "-c", ${q(script)}]`);
        break;
      case 'heredoc-script':
        lines.push(`COPY --chmod=755 <<EOF /start.sh`, '#!/bin/sh', 'set -e', ...steps, 'EOF', `${g.keyword === 'HEALTHCHECK' ? 'CMD' : g.keyword} ["/start.sh"]`);
        break;
    }
    const files = g.withFiles ? eco.files : {};
    return { text: (g.bom ? '\uFEFF' : '') + join(lines, eol).replace(/\r?\n/g, eol), files };
  });
