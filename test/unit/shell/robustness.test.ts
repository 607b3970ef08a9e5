// Broken, half-typed and random input: the analysis never throws and keeps spans inside the text.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { exactSource } from '../../../server/src/core/model';
import { analyzeArgv, analyzeScript, invokedScripts } from '../../../server/src/core/shell/analyze';
import { walkArgv, walkScript } from '../../../server/src/core/shell/walk';
import { downloadsOf } from '../../../server/src/core/shell/analyze';
import { initParsers } from '../../../server/src/core/treesitter';
import { scriptDownloads } from './helpers';

before(() => initParsers());

void describe('shell: broken input', () => {
  const cases: [string, string[]][] = [
    ['', []],
    ['   \n\t', []],
    ['&& &&', []],
    ['|', []],
    [';;', []],
    ['pip install "unterminated', ['pip install']],
    ["sh -c 'pip install x", []],
    ['sh -c "pip install x', ['pip install x']], // tree-sitter closes the string: the user is still typing
    ['npm install $(', ['npm install']],
    ['curl -fsSL https://example.com/i.sh |', []],
    ['if then fi', []],
    ['case', []],
    ['pip install x &&', ['pip install x']],
    ['&& pip install x', ['pip install x']],
    ['sudo', []],
    ['env', []],
    ['timeout', []],
    ['sh -c', []],
    ['eval', []],
    ['curl -o', []],
    ['wget -O', []],
    ['wget', []],
    ['curl', []],
    ['git', []],
    ['aws s3 cp', []],
    ['npx -p', []],
    ['"', []],
    ["'", []],
    ['\\', []],
    ['$\'', []],
    ['sh <<EOF\npip install x', []],
    ['constructor toString', []],
    ['__proto__ install x', []],
  ];
  for (const [script, spans] of cases) {
    void test(JSON.stringify(script), () => {
      assert.deepEqual(scriptDownloads(script).map((d) => d.at), spans);
      assert.doesNotThrow(() => invokedScripts({ script: exactSource(script, 0) }));
    });
  }
});

void describe('shell: random token soup', () => {
  const tokens = [
    'pip', 'install', 'curl', 'wget', '-o', '-O', '-', '|', '||', '&&', ';', 'sh', '-c', '"', "'", '$(', ')', '`', '<(', '>', '>>',
    '2>&1', '\\\n', '\n', 'sudo', 'exec', 'env', 'X=1', 'eval', 'su', '{', '}', '(', 'if', 'then', 'fi', 'for', 'do', 'done',
    'case', 'esac', 'in', ';;', '<<EOF', 'EOF', 'http://x/y', 'localhost', '\\', '$x', '${y:-z}', 'npm', 'yarn', 'npx', '-y',
    'apt-get', 'tini', '--', 'git', 'clone', 'aws', 's3', 'cp', 's3://b/a.jar', '/app', 'bash', '.', 'source', '/x.sh', '#',
    'tee', 'tar', "$'", '\r\n', ' ', 'é', '😀',
  ];
  let seed = 7;
  const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % n);
  void test('3000 random scripts and argvs: no exception, spans inside the text', () => {
    for (let i = 0; i < 3000; i++) {
      let s = '';
      for (let k = 1 + rnd(20); k > 0; k--) s += tokens[rnd(tokens.length)] + (rnd(3) ? ' ' : '');
      const check = (text: string) => (v: Parameters<Parameters<typeof walkScript>[1]>[0]) => {
        const d = downloadsOf(v);
        if (d) assert.ok(d.span.start >= 0 && d.span.start <= d.span.end && d.span.end <= text.length, `${JSON.stringify(text)}: ${JSON.stringify(d.span)}`);
      };
      walkScript(exactSource(s, 0), check(s));
      const parts = s.split(' ');
      let at = 0;
      const argv = parts.map((p) => exactSource(p, (at += p.length + 1) - p.length - 1));
      walkArgv(argv, check(s));
      assert.ok(Array.isArray(analyzeScript(exactSource(s, 0))));
      assert.ok(Array.isArray(analyzeArgv(argv)));
    }
  });
});
