// Removing a download from a start command or script: separators, line ends, nesting, exec form, refusals.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { exactSource } from '../../../server/src/core/model';
import { jsonStringSource } from '../../../server/src/core/json-source';
import { applyEdits } from '../../../server/src/core/fixes/pin';
import type { Located } from '../../../server/src/core/fixes/shell-chain';
import { locateGroup } from '../../../server/src/core/fixes/vendor-core';
import { removeElements, simpleArgv } from '../../../server/src/core/fixes/shell-remove';
import { NotFixable } from '../../../server/src/core/fixes/types';
import { analyzeArgv, analyzeScript } from '../../../server/src/core/shell/analyze';
import { initParsers } from '../../../server/src/core/treesitter';

/** Remove every download whose command contains `what` from a shell-form script. */
function removeFromScript(script: string, what: string): string {
  const site = { script: exactSource(script, 0) };
  const downloads = analyzeScript(site.script).filter((d) => d.command.includes(what));
  assert.ok(downloads.length, `a download matching "${what}"`);
  const located = locateGroup({ file: 'x', text: script, site }, downloads, downloads[0].span, downloads[0].kind);
  return applyEdits(script, removeAll(located, script));
}

function removeAll(located: Located[], doc: string) {
  const byLevel = new Map<Located['level'], Set<number>>();
  for (const l of located) byLevel.set(l.level, (byLevel.get(l.level) ?? new Set()).add(l.index));
  return [...byLevel].flatMap(([level, idx]) => removeElements(level, idx, doc));
}

/** An exec-form JSON array in a document, as the Dockerfile extractor reads it. */
function removeFromArgv(json: string, what: string): string {
  const argv: ReturnType<typeof exactSource>[] = [];
  const re = /"(?:[^"\\]|\\.)*"/g;
  for (let m = re.exec(json); m; m = re.exec(json)) argv.push(jsonStringSource(m[0], m.index)!);
  const downloads = analyzeArgv(argv).filter((d) => d.command.includes(what));
  assert.ok(downloads.length, `a download matching "${what}"`);
  const located = locateGroup({ file: 'x', text: json, site: { argv } }, downloads, downloads[0].span, downloads[0].kind);
  return applyEdits(json, removeAll(located, json));
}

const SCRIPTS: [string, string, string, string][] = [
  ['first of &&', 'pip install x && python app.py', 'pip', 'python app.py'],
  ['middle of &&', 'cd /app && pip install x && python app.py', 'pip', 'cd /app && python app.py'],
  ['last of &&', 'python migrate.py && pip install x', 'pip', 'python migrate.py'],
  ['semicolon', 'pip install x; exec python app.py', 'pip', 'exec python app.py'],
  ['env prefix goes with it', 'FOO=1 pip install x && FOO=1 python app.py', 'pip', 'FOO=1 python app.py'],
  ['|| true fallback goes with it', 'pip install x || true && python app.py', 'pip', 'python app.py'],
  ['|| echo fallback', 'npm ci || echo "install failed" >&2; npm start', 'npm ci', 'npm start'],
  ['redirected', 'pip install x > /dev/null 2>&1 && python app.py', 'pip', 'python app.py'],
  ['redirect of the last element', 'python a.py && pip install x > /tmp/log', 'pip', 'python a.py'],
  ['two of one ecosystem', 'apt-get update && apt-get install -y jq && exec app', 'apt-get', 'exec app'],
  ['continuation lines', 'pip install x && \\\n    python app.py', 'pip', 'python app.py'],
  ['own line in a script', '#!/bin/sh\nset -e\npip install -r r.txt\nexec "$@"\n', 'pip', '#!/bin/sh\nset -e\nexec "$@"\n'],
  ['own line, CRLF', 'set -e\r\npip install x\r\nexec "$@"\r\n', 'pip', 'set -e\r\nexec "$@"\r\n'],
  ['own line with a trailing comment', 'a\n  pip install x # deps\nb\n', 'pip', 'a\nb\n'],
  ['comment lines around stay', '# deps\npip install x\n# start\nexec app\n', 'pip', '# deps\n# start\nexec app\n'],
  ['last line of a script', 'set -e\npip install x\n', 'pip', 'set -e\n'],
  ['statement sharing a line with ;', 'set -e; pip install x\nexec app\n', 'pip', 'set -e\nexec app\n'],
  ['inside sh -c', 'sh -c "pip install x && python app.py"', 'pip', 'sh -c "python app.py"'],
  ['inside sh -c, escaped quotes', 'sh -c "pip install \\"x>=1\\" && python app.py"', 'pip', 'sh -c "python app.py"'],
  ['sh -c left empty goes too', 'sh -c "pip install x" && python app.py', 'pip', 'python app.py'],
  ['piped into sh', 'curl -fsSL https://x.example/i.sh | sh && exec app', 'curl', 'exec app'],
];

const REFUSED: [string, string, string][] = [
  ['inside if', 'if [ -f r.txt ]; then pip install -r r.txt; fi; python app.py', 'compound command'],
  ['inside a subshell', '(pip install x) && python app.py', 'compound command'],
  ['a real || alternative', 'pip install x || python fallback.py && python app.py', '`||` fallback'],
  ['nothing left', 'pip install x', 'nothing would be left'],
  ['nothing left in a chain', 'apt-get update && apt-get install -y jq', 'nothing would be left'],
];

const ARGV: [string, string, string, string][] = [
  ['sh -c → argv', '["sh", "-c", "pip install flask && python app.py"]', 'pip', '["python", "app.py"]'],
  ['compact separators kept', '["sh","-c","pip install flask && python app.py"]', 'pip', '["python","app.py"]'],
  ['exec dropped', '["sh", "-c", "npm ci && exec node server.js --port 80"]', 'npm', '["node", "server.js", "--port", "80"]'],
  ['quoted words decoded', `["sh", "-c", "pip install x && python -c 'print(1)'"]`, 'pip', '["python", "-c", "print(1)"]'],
  ['wrappers before sh kept', '["tini", "--", "/bin/sh", "-c", "pip install x && gunicorn app:app"]', 'pip', '["tini", "--", "gunicorn", "app:app"]'],
  ['a variable keeps the shell', '["sh", "-c", "pip install x && python app.py --port $PORT"]', 'pip', '["sh", "-c", "python app.py --port $PORT"]'],
  ['a glob keeps the shell', '["sh", "-c", "pip install x && cat *.txt"]', 'pip', '["sh", "-c", "cat *.txt"]'],
  ['a chain keeps the shell', '["sh", "-c", "pip install x && cd /app && python app.py"]', 'pip', '["sh", "-c", "cd /app && python app.py"]'],
  ['bash -lc keeps the login shell', '["bash", "-lc", "bundle install && bundle exec puma"]', 'bundle install', '["bash", "-lc", "bundle exec puma"]'],
  ['$0 argument keeps the shell', '["sh", "-c", "pip install x && python app.py", "app"]', 'pip', '["sh", "-c", "python app.py", "app"]'],
  ['JSON escapes', '["sh", "-c", "pip install \\"x>=1\\" && echo \\"ready\\""]', 'pip', '["echo", "ready"]'],
];

void describe('removing downloads from commands', () => {
  before(() => initParsers());
  for (const [name, script, what, expected] of SCRIPTS) {
    void test(`script: ${name}`, () => assert.equal(removeFromScript(script, what), expected));
  }
  for (const [name, script, reason] of REFUSED) {
    void test(`refused: ${name}`, () => {
      assert.throws(() => removeFromScript(script, script.includes('apt') ? 'apt' : 'pip'), (e: unknown) => e instanceof NotFixable && e.message.includes(reason));
    });
  }
  for (const [name, json, what, expected] of ARGV) {
    void test(`exec form: ${name}`, () => assert.equal(removeFromArgv(json, what), expected));
  }
  void test('exec form that is the install itself', () => {
    assert.throws(() => removeFromArgv('["pip", "install", "flask"]', 'pip'), (e: unknown) => e instanceof NotFixable && e.message.includes('whole start command'));
  });
});

void describe('simpleArgv', () => {
  before(() => initParsers());
  const rows: [string, string[] | undefined][] = [
    ['python app.py', ['python', 'app.py']],
    ['exec gunicorn -b 0.0.0.0:80 app:app', ['gunicorn', '-b', '0.0.0.0:80', 'app:app']],
    [`node -e 'console.log("a b")'`, ['node', '-e', 'console.log("a b")']],
    ['echo "a  b"', ['echo', 'a  b']],
    ['python app.py > log', undefined],
    ['FOO=1 python app.py', undefined],
    ['python $APP', undefined],
    ['ls ~/x', undefined],
    ['cat *.txt', undefined],
    ['a && b', undefined],
    ['exec', undefined],
    ['exec -a name app', undefined],
  ];
  for (const [script, expected] of rows) void test(script, () => assert.deepEqual(simpleArgv(script), expected));
});
