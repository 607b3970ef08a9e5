// A small grammar of shell scripts: installs, fetches and ordinary commands under wrappers, pipes,
// lists, conditionals, loops, subshells, substitutions, `sh -c` payloads, heredocs and odd quoting.
import fc from 'fast-check';

/** Commands that download at start (the rules' targets) and commands that do not. */
export const COMMANDS = [
  'pip install flask', 'pip3 install -r requirements.txt', 'python -m pip install --upgrade pip', 'uv pip install x', 'pipx install y', 'poetry install',
  'npm install', 'npm ci', 'npm i -g pm2', 'npx -y create-app', 'yarn add left-pad', 'yarn', 'pnpm add z', 'bun install',
  'apt-get update', 'apt-get install -y curl', 'apt install jq', 'apk add --no-cache bash', 'yum install -y git', 'dnf -y install make', 'microdnf install x',
  'gem install bundler', 'bundle install', 'go install example.com/x@latest', 'go get example.com/y', 'cargo install ripgrep', 'composer install', 'conda install numpy',
  'curl -fsSL https://get.example.com/install.sh', 'curl -o /tmp/x https://example.com/x.tgz', 'curl -s http://localhost:8080/health', 'curl https://x.example/a | sh',
  'wget https://example.com/f', 'wget -qO- http://x.example/s | bash', 'git clone https://github.com/a/b.git', 'git pull', 'aws s3 cp s3://bucket/key /app/key', 'aws s3 sync s3://b/p .',
  'gsutil cp gs://b/o .', 'deno run https://deno.land/x/y.ts', 'helm repo add a https://charts.example', 'kubectl apply -f https://x.example/m.yaml', 'docker pull nginx',
  'exec node server.js', 'node server.js', 'python app.py', 'gunicorn app:app', "nginx -g 'daemon off;'", 'sleep 1', 'echo hi', 'true', 'test -f /x', '[ -f /x ]',
  '[[ $A == b ]]', 'source /etc/profile', '. ./env.sh', '/entrypoint.sh', './start.sh', 'sh /app/run.sh', 'bash scripts/boot.sh', '"$@"', 'exec "$@"', 'cd /app',
  'export A=1', 'set -euo pipefail', 'update-ca-certificates', 'chmod +x /x', 'ping -c1 db', 'java -jar app.jar', 'php-fpm', 'ruby app.rb', 'tar xzf /tmp/x.tgz',
];

const WRAPPERS = ['', 'sudo ', 'exec ', 'env A=1 ', 'gosu app ', 'su-exec app ', 'tini -- ', 'timeout 5 ', 'nohup ', 'A=1 B="x y" ', 'command ', 'dumb-init ', 'xargs '];
const WORDS = ['x', '"$HOME"', "'a b'", '$VAR', '${VAR:-def}', '${VAR:?}', '"$(date)"', '*', '~/x', '--flag=1', '\\"', 'a\\ b', '$((1+2))', '"${A[@]}"', '<(ls)', '2>&1', '>/dev/null', '>> log', '<<< "s"', '&>/dev/null'];
const SEPARATORS = [' && ', ' || ', ' | ', '; ', '\n', ' & ', ' |& ', ';\n'];

/** A simple command: optional wrapper, a command, extra words. */
export const simpleCommand: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(...WRAPPERS), fc.constantFrom(...COMMANDS), fc.array(fc.constantFrom(...WORDS), { maxLength: 3 }))
  .map(([w, c, words]) => [w + c, ...words].join(' '));

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const dquote = (s: string) => `"${s.replace(/["\\$`]/g, (c) => `\\${c}`)}"`;

/** Scripts built from commands by the shell's compound forms (depth-limited). */
export const script: fc.Arbitrary<string> = fc.letrec<{ stmt: string }>((tie) => ({
  stmt: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    simpleCommand,
    fc.tuple(tie('stmt'), fc.constantFrom(...SEPARATORS), tie('stmt')).map(([a, s, b]) => a + s + b),
    tie('stmt').map((s) => `if [ -n "$X" ]; then ${s}; fi`),
    fc.tuple(tie('stmt'), tie('stmt')).map(([a, b]) => `if ${a}; then\n  ${b}\nelse\n  true\nfi`),
    tie('stmt').map((s) => `for f in a b; do ${s}; done`),
    tie('stmt').map((s) => `while read -r l; do ${s}; done < /x`),
    tie('stmt').map((s) => `( ${s} )`),
    tie('stmt').map((s) => `{ ${s}; }`),
    tie('stmt').map((s) => `echo "$(${s})"`),
    tie('stmt').map((s) => `echo \`${s.replace(/`/g, '\\`')}\``),
    tie('stmt').map((s) => `sh -c ${shellQuote(s)}`),
    tie('stmt').map((s) => `bash -lc ${dquote(s)}`),
    tie('stmt').map((s) => `eval ${dquote(s)}`),
    tie('stmt').map((s) => `f() {\n  ${s}\n}\nf "$@"`),
    tie('stmt').map((s) => `case "$1" in\n  start) ${s} ;;\n  *) exit 1 ;;\nesac`),
    tie('stmt').map((s) => `cat <<'EOF' > /tmp/s.sh\n${s}\nEOF`),
    tie('stmt').map((s) => `cat <<EOF | sh\n${s}\nEOF`),
    tie('stmt').map((s) => `# ${s.replace(/\n/g, ' ')}`),
    tie('stmt').map((s) => `! ${s}`),
    tie('stmt').map((s) => `${s} # known-good-ignore runtime-install -- fuzz`),
  ),
})).stmt;

/** Whole script files: an optional shebang and `set` line, then statements. */
export const scriptFile: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom('#!/bin/sh\n', '#!/bin/bash\n', '#!/usr/bin/env bash\n', '#!/usr/bin/env -S bash -e\n', ''), fc.array(script, { minLength: 1, maxLength: 5 }), fc.boolean())
  .map(([shebang, stmts, trailing]) => shebang + stmts.join('\n') + (trailing ? '\n' : ''));
