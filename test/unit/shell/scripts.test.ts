// Table tests: which scripts a start-time command runs (exec form and shell form), with exact spans.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { exactSource } from '../../../server/src/core/model';
import { invokedScripts } from '../../../server/src/core/shell/analyze';
import { initParsers } from '../../../server/src/core/treesitter';
import { scriptsOf } from './helpers';

before(() => initParsers());

/** [exec-form argv as JSON, scripts as written] (each span covers the path inside its quotes) */
const execForm: [string, string[]][] = [
  ['["/entrypoint.sh"]', ['/entrypoint.sh']],
  ['["./start.sh", "--port", "80"]', ['./start.sh']],
  ['["docker/entrypoint.sh"]', ['docker/entrypoint.sh']],
  ['["entrypoint.sh"]', ['entrypoint.sh']],
  ['["docker-entrypoint.sh", "postgres"]', ['docker-entrypoint.sh']],
  ['["/usr/lib/presto/bin/run-ecs-presto"]', ['/usr/lib/presto/bin/run-ecs-presto']],
  ['["/tini", "--", "/docker-entrypoint.sh", "postgres"]', ['/docker-entrypoint.sh']],
  ['["/sbin/tini", "-g", "--", "./run"]', ['./run']],
  ['["dumb-init", "--", "gosu", "app", "/run.sh"]', ['/run.sh']],
  ['["su-exec", "app", "/app/start"]', ['/app/start']],
  ['["bash", "/x.sh"]', ['/x.sh']],
  ['["sh", "-e", "boot"]', ['boot']],
  ['["/bin/sh", "-c", "/app/docker-entrypoint.sh \\"$@\\"", "--"]', ['/app/docker-entrypoint.sh']],
  ['["sh", "-c", ". /venv/bin/activate && exec ./serve.sh"]', ['/venv/bin/activate', './serve.sh']],
  ['["usr/local/bin/tini", "--"]', []],
  ['["/tini", "--"]', []],
  ['["python", "app.py"]', []],
  ['["/opt/venv/bin/python", "/app/main.py"]', []],
  ['["./manage.py", "runserver"]', []],
  ['["node", "src/index.js"]', []],
  ['["/usr/local/bin/node", "server.js"]', []],
  ['["/bin/bash"]', []],
  ['["memcached"]', []],
  ['["bundle", "exec", "rails", "s"]', []],
  ['["/opt/venv/bin/pip", "install", "x"]', []],
];

void describe('invokedScripts: exec form', () => {
  for (const [doc, paths] of execForm) {
    void test(doc, () => {
      const found = scriptsOf(doc, 'argv');
      assert.deepEqual(found.map((s) => s.path), paths);
      for (const s of found) assert.equal(s.at, s.path);
    });
  }
});

/** [shell-form script, scripts as written] */
const shellForm: [string, string[]][] = [
  ['exec /entrypoint.sh "$@"', ['/entrypoint.sh']],
  ['exec "/entrypoint.sh" "$@"', ['/entrypoint.sh']],
  ['. /x.sh && source ./env.sh', ['/x.sh', './env.sh']],
  ['/app/migrate.sh && exec gosu app /app/run', ['/app/migrate.sh', '/app/run']],
  ['sh /scripts/init.sh; bash -x ./start.sh', ['/scripts/init.sh', './start.sh']],
  ['if [ "$1" = web ]; then ./web.sh; else ./worker.sh; fi', ['./web.sh', './worker.sh']],
  ['sh -c "./wait-for-it.sh db:5432 -- ./start.sh"', ['./wait-for-it.sh']],
  ['cd /app && /opt/venv/bin/python /app/main.py', []],
  ['exec "$@"', []],
  ['$CMD relay --daemon', []],
  ['rm -f /workspace/tmp/pids/server.pid', []],
  ['echo /entrypoint.sh', []],
  ['# /entrypoint.sh', []],
];

void describe('invokedScripts: shell form', () => {
  for (const [doc, paths] of shellForm) {
    void test(doc, () => {
      const found = scriptsOf(doc, 'script');
      assert.deepEqual(found.map((s) => s.path), paths);
      for (const s of found) assert.equal(s.at, s.path);
    });
  }
  void test('spans are document offsets of the path without its quotes', () => {
    const doc = 'RUN x\nCMD exec "/entrypoint.sh" "$@"';
    const base = doc.indexOf('exec');
    const [s] = invokedScripts({ script: exactSource(doc.slice(base), base) });
    assert.deepEqual(s, { path: '/entrypoint.sh', span: { start: base + 6, end: base + 20 } });
  });
  void test('no command, empty script', () => {
    assert.deepEqual(invokedScripts({}), []);
    assert.deepEqual(invokedScripts({ script: exactSource('', 0) }), []);
    assert.deepEqual(invokedScripts({ argv: [] }), []);
  });
});
