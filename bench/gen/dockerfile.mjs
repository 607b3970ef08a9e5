// Dockerfile templates: single- and multi-stage builds for several stacks, ARG-chosen bases,
// heredocs, long RUN chains, ADD of URLs, health checks, entrypoint scripts and start-time installs.
import { BASES, RUNTIME_BASES, base, digest, imageRef } from './images.mjs';

const APT = ['ca-certificates', 'curl', 'git', 'gnupg', 'jq', 'libpq-dev', 'libssl-dev', 'make', 'netcat-openbsd', 'openssh-client', 'tini', 'tzdata', 'unzip', 'wget', 'xz-utils', 'zip'];
const APK = ['bash', 'ca-certificates', 'curl', 'git', 'libc6-compat', 'openssl', 'su-exec', 'tini', 'tzdata'];

/** The fixed 16-line two-stage Dockerfile of the per-file benchmark. */
export const SMALL_TWO_STAGE = [
  '# syntax=docker/dockerfile:1',
  'FROM golang:1.22-alpine AS build',
  'WORKDIR /src',
  'COPY go.mod go.sum ./',
  'RUN go mod download',
  'COPY . .',
  'RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app',
  '',
  'FROM alpine:3.19',
  'RUN apk add --no-cache ca-certificates tzdata',
  'COPY --from=build /out/app /usr/local/bin/app',
  'USER 65534:65534',
  'EXPOSE 8080',
  'HEALTHCHECK CMD wget -qO- http://localhost:8080/healthz || exit 1',
  'ENTRYPOINT ["/usr/local/bin/app"]',
  'CMD ["serve"]',
].join('\n') + '\n';

/** A RUN chain of package installs and set-up steps (5 to ~30 lines), sometimes with comments inside. */
function runChain(rng, alpine) {
  const lines = ['RUN set -eux; \\'];
  const pkgs = rng.sample(alpine ? APK : APT, rng.int(2, 9));
  if (alpine) lines.push(`\tapk add --no-cache${rng.chance(0.3) ? ' --virtual .build-deps' : ''} \\`);
  else lines.push('\tapt-get update; \\', '\tapt-get install -y --no-install-recommends \\');
  for (const p of pkgs) lines.push(`\t\t${p} \\`);
  lines.push('\t; \\');
  if (rng.chance(0.4)) lines.push('# keep the layer small: remove what the build does not need', '\trm -rf /var/lib/apt/lists/* /tmp/*; \\');
  if (rng.chance(0.5)) {
    const v = `${rng.int(1, 3)}.${rng.int(0, 30)}.${rng.int(0, 9)}`;
    lines.push(`\tcurl -fsSL -o /tmp/tool.tgz "https://releases.example.com/tool/v${v}/tool-linux-amd64.tgz"; \\`);
    lines.push(`\techo "${rng.hex(64)}  /tmp/tool.tgz" | sha256sum -c -; \\`);
    lines.push('\ttar -xzf /tmp/tool.tgz -C /usr/local/bin; \\', '\trm /tmp/tool.tgz; \\');
  }
  lines.push(`\tuseradd --system --uid ${rng.int(1000, 9999)} app || adduser -D app`);
  return lines;
}

/** A BuildKit heredoc RUN. */
function heredoc(rng) {
  return ['RUN <<EOF', 'set -e', `mkdir -p /srv/app/${rng.pick(['data', 'cache', 'logs'])}`, 'chown -R app /srv/app', rng.pick(['pip install --no-cache-dir -r /tmp/requirements.txt', 'npm ci --omit=dev', 'echo built > /srv/app/BUILD']), 'EOF'];
}

/** Build steps of one stack. */
function stackSteps(rng, stack) {
  switch (stack) {
    case 'node':
      return ['WORKDIR /app', 'COPY package.json package-lock.json ./', rng.pick(['RUN npm ci', 'RUN npm ci --omit=dev', 'RUN --mount=type=cache,target=/root/.npm npm ci']), 'COPY . .', 'RUN npm run build'];
    case 'python':
      return ['WORKDIR /app', 'ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1', 'COPY requirements.txt .', 'RUN pip install --no-cache-dir -r requirements.txt', 'COPY . .'];
    case 'golang':
      return ['WORKDIR /src', 'COPY go.mod go.sum ./', 'RUN go mod download', 'COPY . .', 'RUN CGO_ENABLED=0 go build -trimpath -o /out/app ./cmd/server'];
    default:
      return ['WORKDIR /opt/app', 'COPY . .', `RUN ${rng.pick(['make build', './gradlew --no-daemon build', 'mvn -q package', 'bundle install'])}`];
  }
}

/** How the container starts: exec form mostly, sometimes a shell form that installs or fetches first. */
function startCommand(rng, stack) {
  const app = { node: 'node dist/server.js', python: 'python -m app', golang: '/usr/local/bin/app' }[stack] ?? './bin/start';
  const r = rng.next();
  if (r < 0.06) return [`CMD pip install -r requirements.txt && ${app}`];
  if (r < 0.1) return [`CMD ["sh", "-c", "apt-get update && apt-get install -y curl && ${app}"]`];
  if (r < 0.13) return [`CMD npm install && npm start`];
  if (r < 0.15) return [`ENTRYPOINT ["sh", "-c", "curl -fsSL https://config.example.com/bootstrap.sh | sh && exec ${app}"]`];
  return [`CMD [${app.split(' ').map((w) => JSON.stringify(w)).join(', ')}]`];
}

/**
 * A Dockerfile for one service. `script` (a file name beside it) makes it COPY and run that entrypoint
 * script. `scale` multiplies the middle of the file (a few large Dockerfiles exist in every monorepo).
 */
export function dockerfile(rng, { script, scale = 1 } = {}) {
  const stack = rng.pick(['node', 'python', 'golang', 'other', 'node', 'python']);
  const out = [];
  if (rng.chance(0.25)) out.push(`# syntax=docker/dockerfile:1.${rng.int(4, 7)}`);
  let ref;
  if (rng.chance(0.15)) {
    const b = base(rng);
    out.push(`ARG BASE_IMAGE=${b.name}:${b.tag}`);
    ref = '${BASE_IMAGE}';
  } else {
    const name = stack === 'other' ? base(rng).name : stack;
    ref = imageRef(rng, name, rng.pick(BASES[name] ?? ['1']));
  }
  const multi = rng.chance(0.4);
  out.push(`FROM ${rng.chance(0.05) ? '--platform=$BUILDPLATFORM ' : ''}${ref}${multi ? ' AS build' : ''}`);
  if (rng.chance(0.3)) out.push(`LABEL org.opencontainers.image.source="https://git.example.com/${rng.hex(8)}"`);
  const alpine = /alpine/.test(ref);
  for (let i = 0; i < scale; i++) {
    if (rng.chance(0.7)) out.push(...runChain(rng, alpine), '');
    if (rng.chance(0.15)) out.push(...heredoc(rng), '');
  }
  out.push(...stackSteps(rng, stack));
  if (multi) {
    const rt = rng.pick(RUNTIME_BASES);
    out.push('', `FROM ${rt === 'scratch' ? rt : rng.chance(0.5) ? `${rt}@${digest(rng)}` : `${rt}:${rng.pick(['latest', 'nonroot', '12', '3.20'])}`}`);
    out.push(`COPY --from=build ${stack === 'golang' ? '/out/app /usr/local/bin/app' : '/app /app'}`);
  }
  if (rng.chance(0.05)) out.push(`COPY --from=${rng.pick(['composer:latest', 'composer:2.7', 'ghcr.io/astral-sh/uv:0.4.18'])} /usr/bin/tool /usr/bin/tool`);
  if (rng.chance(0.08)) {
    out.push('ENV TINI_VERSION v0.19.0');
    out.push(rng.chance(0.5) ? 'ADD https://github.com/krallin/tini/releases/download/${TINI_VERSION}/tini /tini' : `ADD --checksum=sha256:${rng.hex(64)} https://github.com/krallin/tini/releases/download/v0.19.0/tini /tini`);
    out.push('RUN chmod +x /tini');
  }
  out.push(`EXPOSE ${rng.pick([80, 3000, 5000, 8000, 8080, 9090])}`);
  if (rng.chance(0.2)) out.push(`HEALTHCHECK --interval=30s CMD ${rng.pick(['curl -f http://localhost:8080/health || exit 1', 'wget -qO- http://127.0.0.1/ || exit 1', 'pg_isready -U postgres'])}`);
  if (rng.chance(0.5)) out.push('USER app');
  if (script) {
    out.push(`COPY ${script} /usr/local/bin/${script}`, `RUN chmod +x /usr/local/bin/${script}`, `ENTRYPOINT ["${script}"]`, 'CMD ["serve"]');
  } else {
    out.push(...startCommand(rng, stack));
  }
  return out.join('\n') + '\n';
}

/** A Dockerfile of exactly `lines` lines: stages of realistic blocks, padded with ENV lines. */
export function dockerfileOfLines(rng, lines) {
  const tail = ['EXPOSE 8080', 'CMD ["node", "dist/server.js"]'];
  const out = [`FROM node:20-bookworm-slim AS base`];
  let stage = 0;
  for (;;) {
    const block = [...runChain(rng, false), ''];
    if (rng.chance(0.2)) block.push(...heredoc(rng), '');
    if (rng.chance(0.1)) block.push(`FROM ${imageRef(rng)} AS stage${++stage}`, `COPY --from=base /app /app`, '');
    if (out.length + block.length > lines - tail.length) break;
    out.push(...block);
  }
  for (let i = 0; out.length < lines - tail.length; i++) out.push(`ENV PAD_${i}=${rng.hex(6)}`);
  return [...out, ...tail].join('\n') + '\n';
}
