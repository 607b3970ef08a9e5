// Table tests: shell structure (lists, pipelines, wrappers, control flow, nested payloads) and span mapping.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { coarseSource, exactSource } from '../../../server/src/core/model';
import { analyzeArgv, analyzeScript } from '../../../server/src/core/shell/analyze';
import { initParsers } from '../../../server/src/core/treesitter';
import { argvDownloads, jsonStringSource, scriptDownloads, slice } from './helpers';

before(() => initParsers());

/** [script, the texts the reported spans cover, in order] */
const structures: [string, string[]][] = [
  ['apt-get update && apt-get install -y curl', ['apt-get update', 'apt-get install -y curl']],
  ['npm ci || yarn; pip install x', ['npm ci', 'yarn', 'pip install x']],
  ['pip install x | tee /var/log/pip.log', ['pip install x']],
  ['pip install x > /dev/null 2>&1 &', ['pip install x > /dev/null 2>&1']],
  ['exec pip install x', ['pip install x']],
  ['FOO=1 BAR="a b" pip install x', ['pip install x']],
  ['env -u HOME X=1 pip install x', ['pip install x']],
  ['sudo -u app -E npm install', ['npm install']],
  ['nohup npm install &', ['npm install']],
  ['timeout 300 pip install x', ['pip install x']],
  ['timeout -s KILL -k 5 30s apt-get update', ['apt-get update']],
  ['gosu app:app bundle install', ['bundle install']],
  ['su-exec node yarn', ['yarn']],
  ['tini -- pip install x', ['pip install x']],
  ['dumb-init --rewrite 15:2 -- npm ci', ['npm ci']],
  ['exec gosu app nohup timeout 10 env X=1 pip install x', ['pip install x']],
  ['command pip install x', ['pip install x']],
  ['xargs -n1 pip install < requirements.txt', ['pip install < requirements.txt']],
  ['(cd /app && npm install)', ['npm install']],
  ['{ npm install; npm start; }', ['npm install']],
  ['echo "$(pip install x)"', ['pip install x']],
  ['X=`npm install`', ['npm install']],
  ['if [ ! -d node_modules ]; then npm install; elif true; then :; else yarn; fi', ['npm install', 'yarn']],
  ['for r in a b; do pip install -r "$r"; done', ['pip install -r "$r"']],
  ['while read -r p; do apk add "$p"; done < pkgs.txt', ['apk add "$p"']],
  ['case "$MODE" in dev) yarn install ;; *) exec node server.js ;; esac', ['yarn install']],
  ['setup() {\n  pip install -r requirements.txt\n}\nsetup', ['pip install -r requirements.txt']],
  ['pip install \\\n  flask \\\n  gunicorn', ['pip install \\\n  flask \\\n  gunicorn']],
  ['pip install x # then start', ['pip install x']],
  ['set -e\r\nif [ "$1" = dev ]; then\r\n  pip install -r dev.txt \\\r\n    --quiet\r\nfi\r\n', ['pip install -r dev.txt \\\r\n    --quiet']],
  ["bash <<-'EOF'\n\tnpm ci\n\tEOF", ['npm ci']],
  ['# pip install x\necho done', []],
  ['echo pip install x', []],
  ['"pip" install \'x\'', ['"pip" install \'x\'']],
  ['/usr/bin/apt-get install -y x', ['/usr/bin/apt-get install -y x']],
  ['sh -c "yarn install && yarn run dev"', ['yarn install']],
  ["bash -lc 'apt-get update && apt-get install -y curl'", ['apt-get update', 'apt-get install -y curl']],
  ['sh -ec "pip install x"', ['pip install x']],
  ['bash -o pipefail -c "npm ci"', ['npm ci']],
  ['sudo -u app sh -c "npm install"', ['npm install']],
  ["su -c 'pip install x' app", ['pip install x']],
  ['su - app -c "bundle install"', ['bundle install']],
  ['runuser -u app -- npm ci', ['npm ci']],
  ['runuser -l app -c "npm ci"', ['npm ci']],
  ['eval "pip install x"', ['pip install x']],
  ['eval pip install "$PKG"', ['pip install "$PKG"']],
  ["sh -c 'sh -c \"pip install deep\"'", ['pip install deep']],
  ['sh <<EOF\npip install from-heredoc\nEOF', ['pip install from-heredoc']],
  ['cat > /start.sh <<EOF\npip install not-run-here\nEOF', []],
  ['su app', []],
  ['command -v pip && pip --version', []],
];

void describe('shell: structure', () => {
  for (const [script, spans] of structures) {
    void test(JSON.stringify(script), () => assert.deepEqual(scriptDownloads(script).map((d) => d.at), spans));
  }
});

void describe('shell: nested payloads map back into the document', () => {
  void test('double-quoted payload with backslash escapes', () => {
    const doc = 'CMD sh -c "echo \\"start\\" && pip install \\"flask==2.0\\" \\$HOME"';
    const [d] = scriptDownloads(doc, doc.slice(4), 4);
    assert.equal(d.at, 'pip install \\"flask==2.0\\" \\$HOME');
    assert.equal(d.command, 'pip install "flask==2.0" $HOME');
    assert.deepEqual(d.packages, ['flask==2.0', '$HOME']);
  });
  void test('single-quoted payload maps one to one', () => {
    const doc = "CMD bash -lc 'cd /app && npm ci'";
    const [d] = analyzeScript(exactSource(doc.slice(4), 4));
    assert.deepEqual(d.span, { start: 25, end: 31 });
    assert.equal(slice(doc, d.span), 'npm ci');
  });
  void test('payload inside a JSON string (exec form with escapes)', () => {
    const doc = '{"command": ["sh", "-c", "echo \\"hi\\" && pip install \\"x\\""]}';
    const found = argvDownloads(doc);
    assert.deepEqual(found.map((d) => [d.at, d.command, d.packages]), [['pip install \\"x\\"', 'pip install "x"', ['x']]]);
  });
  void test('sh -c inside an already-mapped source (ECS command string with escapes)', () => {
    const doc = '{"command": "bash -c \\"npm install && npm start\\""}';
    const source = jsonStringSource(doc, doc.indexOf('"bash'));
    assert.equal(source.text, 'bash -c "npm install && npm start"');
    const [d] = analyzeScript(source);
    assert.equal(slice(doc, d.span), 'npm install');
  });
  void test('a coarse source maps every span to the whole value', () => {
    const source = coarseSource('pip install x && curl -fsSL https://example.com/i | sh', { start: 10, end: 60 });
    const found = analyzeScript(source);
    assert.equal(found.length, 2);
    for (const d of found) assert.deepEqual(d.span, { start: 10, end: 60 });
  });
  void test('command text collapses whitespace and line continuations', () => {
    const [d] = scriptDownloads('pip install \\\r\n    -r dev.txt \\\n\tflask');
    assert.equal(d.command, 'pip install -r dev.txt flask');
  });
  void test('offsets are UTF-16 code units (non-ASCII text before the command)', () => {
    const doc = 'echo "héllo 😀" && pip install x';
    assert.deepEqual(scriptDownloads(doc).map((d) => d.at), ['pip install x']);
  });
});

void describe('shell: exec form', () => {
  const cases: [string, string[]][] = [
    ['["pip", "install", "x"]', ['pip", "install", "x']],
    ['["/opt/venv/bin/pip", "install", "-r", "/app/requirements.txt"]', ['/opt/venv/bin/pip", "install", "-r", "/app/requirements.txt']],
    ['["sh", "-c", "pip install x && exec /start.sh"]', ['pip install x']],
    ['["/bin/bash", "-lc", "npm ci && npm start"]', ['npm ci']],
    ['["tini", "--", "npm", "install"]', ['npm", "install']],
    ['["dumb-init", "gosu", "app", "bundle"]', ['bundle']],
    ['["CMD-SHELL", "curl -f http://localhost:8000/ || exit 1"]', []],
    ['["CMD", "curl", "-o", "/tmp/x", "https://example.com/x"]', ['curl", "-o", "/tmp/x", "https://example.com/x']],
    ['["curl", "-f", "https://example.com/health"]', []],
    ['["wget", "-q", "https://example.com/a.jar"]', ['wget", "-q", "https://example.com/a.jar']],
    ['["bundle", "exec", "rails", "s", "-b", "0.0.0.0"]', []],
    ['["npm", "run", "start"]', []],
    ['["npx", "prisma", "migrate", "deploy"]', []],
    ['["/entrypoint.sh"]', []],
  ];
  for (const [doc, spans] of cases) {
    void test(doc, () => assert.deepEqual(argvDownloads(doc).map((d) => d.at), spans));
  }
  void test('command text is the argv joined', () => {
    assert.deepEqual(argvDownloads('["pip", "install", "x"]').map((d) => d.command), ['pip install x']);
  });
  void test('empty argv and empty strings', () => {
    assert.deepEqual(analyzeArgv([]), []);
    assert.deepEqual(analyzeArgv([exactSource('', 0)]), []);
    assert.deepEqual(analyzeArgv([exactSource('sh', 0), exactSource('-c', 3)]), []);
  });
});
