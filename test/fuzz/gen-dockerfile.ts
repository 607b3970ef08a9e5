// A grammar of Dockerfiles: directives, stages, ARG/ENV, RUN (mounts, heredocs), start-time commands in
// shell and exec form, COPY/ADD (remote, --from, heredoc scripts), SHELL, continuations, pragmas.
import fc from 'fast-check';
import { script, simpleCommand } from './gen-shell';

export const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

/** Image references in every shape the rules distinguish (and some broken ones). */
export const IMAGES = [
  'node', 'node:latest', 'node:20', `node:20@${DIGEST}`, `python@${DIGEST}`, 'ghcr.io/a/b:1.2', 'registry.example.com:5000/team/app:latest', 'localhost:5000/x',
  '$BASE', '${BASE}', '${BASE:-alpine:3.19}', '${REG}/app:latest', '$REG/app:${TAG}', 'scratch', 'stage0', 'builder', 'public.ecr.aws/x/y:v1', '123456789012.dkr.ecr.us-east-1.amazonaws.com/app:prod',
  'NODE:LATEST', 'a:b:c', '@sha256:', ':', 'x@sha256:short', 'docker.io/library/alpine', '"quoted"',
];

const img = fc.constantFrom(...IMAGES);
const name = fc.constantFrom('BASE', 'TAG', 'REG', 'A', 'PATH', 'VERSION');
const value = fc.constantFrom('alpine:3.19', 'latest', 'ghcr.io', '1', '"with space"', '${A}', '$TAG', '', 'x\\ y');
const json = (items: string[]) => JSON.stringify(items);
const execForm = fc.oneof(
  fc.array(fc.constantFrom('sh', '-c', 'npm', 'install', 'curl', 'https://x', '/entrypoint.sh', './start.sh', 'node', 'server.js', '/bin/bash', '-lc', 'pip install x', 'exec "$@"'), { minLength: 1, maxLength: 4 }).map(json),
  script.map((s) => json(['sh', '-c', s])),
  script.map((s) => json(['/bin/bash', '-c', s])),
  fc.constantFrom('["unterminated', '[]', '["a",]', "['single']", '["\\u0041\\n"]', '[1, 2]', '["a" "b"]'),
);
/** A script on one logical line: newlines become continuations or `&&`. */
const shellForm = fc.tuple(script, fc.constantFrom(' \\\n    ', ' && ', '; ', ' \\\r\n  ')).map(([s, join]) => s.replace(/\n/g, join));

const START = fc.constantFrom('CMD', 'ENTRYPOINT', 'cmd', 'Entrypoint');
const instruction: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom('', '--platform=$BUILDPLATFORM ', '--platform=linux/amd64 '), img, fc.constantFrom('', ' AS stage0', ' AS builder', ' as final', ' AS')).map(([p, i, as]) => `FROM ${p}${i}${as}`) },
  fc.tuple(name, fc.option(value)).map(([n, v]) => (v === null ? `ARG ${n}` : `ARG ${n}=${v}`)),
  fc.tuple(name, value).map(([n, v]) => `ENV ${n}=${v}`),
  fc.tuple(name, value).map(([n, v]) => `ENV ${n} ${v}`),
  shellForm.map((s) => `RUN ${s}`),
  fc.tuple(img, shellForm).map(([i, s]) => `RUN --mount=type=bind,from=${i},target=/x ${s}`),
  script.map((s) => `RUN <<EOF\n${s}\nEOF`),
  script.map((s) => `RUN <<EOF cat > /start.sh\n${s}\nEOF`),
  { weight: 3, arbitrary: fc.tuple(START, fc.oneof(shellForm, execForm)).map(([k, c]) => `${k} ${c}`) },
  fc.tuple(fc.constantFrom('', '--interval=5s ', '--retries=3 --timeout=1s '), fc.oneof(shellForm, execForm)).map(([o, c]) => `HEALTHCHECK ${o}CMD ${c}`),
  fc.constant('HEALTHCHECK NONE'),
  fc.tuple(fc.constantFrom('', '--chmod=755 ', '--chown=app '), fc.constantFrom('start.sh', 'docker/entrypoint.sh', '. ', 'a b', 'scripts/'), fc.constantFrom('/start.sh', '/entrypoint.sh', '/app/', '.', '/usr/local/bin/')).map(([f, s, d]) => `COPY ${f}${s} ${d}`),
  fc.tuple(img, fc.constantFrom('/x', '/app')).map(([i, d]) => `COPY --from=${i} ${d} ${d}`),
  script.map((s) => `COPY <<EOF /start.sh\n${s}\nEOF`),
  fc.tuple(fc.constantFrom('', `--checksum=${DIGEST} `, '--keep-git-dir=true '), fc.constantFrom('https://example.com/a.tgz', 'http://x/y', 'git@github.com:a/b.git', 'https://github.com/a/b.git#v1', 'local.tgz'), fc.constantFrom('/x', '/app/')).map(([f, u, d]) => `ADD ${f}${u} ${d}`),
  fc.constantFrom('WORKDIR /app', 'WORKDIR ..', 'WORKDIR $A', 'USER app', 'EXPOSE 80', 'LABEL a="b"', 'VOLUME ["/data"]', 'STOPSIGNAL SIGTERM', 'ONBUILD RUN npm install', 'MAINTAINER x'),
  fc.constantFrom('SHELL ["/bin/bash", "-o", "pipefail", "-c"]', 'SHELL ["pwsh", "-Command"]', 'SHELL ["cmd", "/S", "/C"]', 'SHELL []'),
  simpleCommand.map((c) => `# ${c}`),
  fc.constantFrom('', '   ', '# known-good-ignore', '# known-good-ignore latest-tag -- fuzz', '# known-good-ignore runtime-install,runtime-fetch', 'BOGUS instruction', '\\', 'FROM'),
);

/** Whole Dockerfiles: optional parser directives, then instructions, usually starting with FROM. */
export const dockerfile: fc.Arbitrary<string> = fc
  .tuple(
    fc.subarray(['# syntax=docker/dockerfile:1', '# syntax=docker/dockerfile:1.7-labs', '# escape=`', '# check=skip=all']),
    fc.option(img),
    fc.array(instruction, { minLength: 1, maxLength: 12 }),
    fc.constantFrom('\n', '\r\n'),
  )
  .map(([directives, first, body, nl]) => {
    const escape = directives.includes('# escape=`');
    const lines = [...directives, ...(first ? [`FROM ${first}`] : []), ...body].map((l) => (escape ? l.replace(/\\\r?\n/g, '`\n') : l));
    return lines.join('\n').replace(/\n/g, nl) + nl;
  });
