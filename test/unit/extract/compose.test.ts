// Table tests for the compose extractor (images, interpolation, .env, commands, anchors), plus the corpus files.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { extractCompose } from '../../../server/src/core/extract/compose';
import { VARIABLE_REPOSITORY } from '../../../server/src/core/model';
import {
  assertSpansInside,
  commandSourceTexts,
  commands,
  corpusEntries,
  corpusText,
  coversLabel,
  images,
  lineOf,
  mapped,
  mutations,
  reportableLines,
  slice,
} from './site-helpers';

const extract = (text: string, file = 'app/compose.yaml', files: Record<string, string> = {}) => extractCompose(file, text, { files: new Map(Object.entries(files)) });
const service = (lines: string) => `services:\n  app:\n${lines}`;

describe('compose: images and interpolation', () => {
  type V = { expression: string; covers: 'registry' | 'tag-or-whole'; defaultValue?: string; defaultSource?: string };
  const cases: { name: string; image: string; env?: string; span: string; resolved?: string; variable?: V }[] = [
    { name: 'plain', image: 'node:18-alpine', span: 'node:18-alpine', resolved: 'node:18-alpine' },
    { name: 'quoted', image: '"redis"', span: 'redis', resolved: 'redis' },
    { name: 'digest', image: `nginx@sha256:${'c'.repeat(64)}`, span: `nginx@sha256:${'c'.repeat(64)}`, resolved: `nginx@sha256:${'c'.repeat(64)}` },
    {
      name: 'inline default',
      image: '${IMAGE:-node:20}',
      span: '${IMAGE:-node:20}',
      resolved: 'node:20',
      variable: { expression: '${IMAGE:-node:20}', covers: 'tag-or-whole', defaultValue: 'node:20', defaultSource: '${IMAGE:-node:20}' },
    },
    {
      name: 'default without colon',
      image: 'node:${TAG-20}',
      span: 'node:${TAG-20}',
      resolved: 'node:20',
      variable: { expression: '${TAG-20}', covers: 'tag-or-whole', defaultValue: '20', defaultSource: '${TAG-20}' },
    },
    {
      name: '.env wins over the inline default',
      image: 'node:${TAG:-18}',
      env: 'TAG=20.11.1\n',
      span: 'node:${TAG:-18}',
      resolved: 'node:20.11.1',
      variable: { expression: '${TAG:-18}', covers: 'tag-or-whole', defaultValue: '20.11.1', defaultSource: '.env' },
    },
    {
      name: 'empty .env value falls back for :-',
      image: 'node:${TAG:-18}',
      env: 'TAG=\n',
      span: 'node:${TAG:-18}',
      resolved: 'node:18',
      variable: { expression: '${TAG:-18}', covers: 'tag-or-whole', defaultValue: '18', defaultSource: '${TAG:-18}' },
    },
    {
      name: '.env value for a bare variable',
      image: '$IMAGE',
      env: '# comment\nexport IMAGE="postgres:16.2" # pinned?\n',
      span: '$IMAGE',
      resolved: 'postgres:16.2',
      variable: { expression: '$IMAGE', covers: 'tag-or-whole', defaultValue: 'postgres:16.2', defaultSource: '.env' },
    },
    { name: 'unknown variable', image: '${IMAGE}', span: '${IMAGE}', variable: { expression: '${IMAGE}', covers: 'tag-or-whole' } },
    { name: 'required variable', image: '${IMAGE:?set IMAGE}', span: '${IMAGE:?set IMAGE}', variable: { expression: '${IMAGE:?set IMAGE}', covers: 'tag-or-whole' } },
    {
      name: 'registry variable with a literal tag',
      image: '${REGISTRY}/app:latest',
      span: '${REGISTRY}/app:latest',
      resolved: `${VARIABLE_REPOSITORY}:latest`,
      variable: { expression: '${REGISTRY}', covers: 'registry' },
    },
    { name: '$$ is a literal dollar', image: 'app:$$x', span: 'app:$$x', resolved: 'app:$x' },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const text = service(`    image: ${c.image}\n`);
      const m = extract(text, 'app/compose.yaml', c.env === undefined ? {} : { 'app/.env': c.env });
      assert.deepEqual(m.problems, []);
      assert.deepEqual(images(m), [{ text: c.span, resolved: c.resolved, ...(c.variable ? { variable: c.variable } : {}), pointer: '/services/app/image' }]);
      assert.equal(m.images[0].context, 'compose-image');
      assert.deepEqual(m.dependencies, ['app/.env']);
    });
  }

  test('.env next to a top-level compose file', () => {
    assert.deepEqual(extract('services: {}\n', 'docker-compose.yml').dependencies, ['.env']);
  });

  test('build: values, null images and non-service keys are not images', () => {
    const text = 'x-common:\n  image: ignored:latest\nservices:\n  a:\n    build: python:3.13.1-alpine3.21\n  b:\n    image:\n  c:\n    build: {context: .}\nvolumes:\n  image: {}\n';
    assert.deepEqual(extract(text).images, []);
  });

  test('anchors and merge keys: a shared image is one site', () => {
    const text = 'x-base: &base\n  image: nginx:latest\n  command: ["npm", "start"]\nservices:\n  a:\n    <<: *base\n  b:\n    <<: *base\n    command: pip install x\n';
    const m = extract(text);
    assert.deepEqual(images(m).map((i) => [i.text, lineOf(text, m.images[0].span.start)]), [['nginx:latest', 2]]);
    assert.deepEqual(commands(m), [
      { context: 'compose-command', argv: ['npm', 'start'] },
      { context: 'compose-command', script: 'pip install x' },
    ]);
  });
});

describe('compose: commands', () => {
  const cases: { name: string; lines: string; expect: ReturnType<typeof commands>; exact?: (string | undefined)[][] }[] = [
    { name: 'command string is a script', lines: '    command: sh -c "yarn install && yarn run dev"\n', expect: [{ context: 'compose-command', script: 'sh -c "yarn install && yarn run dev"' }] },
    { name: 'command list is an argv', lines: '    command: ["npm", "run", "start"]\n', expect: [{ context: 'compose-command', argv: ['npm', 'run', 'start'] }] },
    { name: 'entrypoint string', lines: '    entrypoint: /app/docker-entrypoint.sh\n', expect: [{ context: 'compose-entrypoint', script: '/app/docker-entrypoint.sh' }] },
    { name: 'entrypoint list', lines: '    entrypoint:\n      - sh\n      - -c\n      - pip install -r requirements.txt && python app.py\n', expect: [{ context: 'compose-entrypoint', argv: ['sh', '-c', 'pip install -r requirements.txt && python app.py'] }] },
    { name: 'empty entrypoint resets it', lines: '    entrypoint: ""\n    command: []\n', expect: [] },
    {
      name: '$$ becomes $ with the map kept',
      lines: "    command: sh -c 'echo $$HOME && curl x'\n",
      expect: [{ context: 'compose-command', script: "sh -c 'echo $HOME && curl x'" }],
      exact: [["sh -c 'echo $$HOME && curl x'"]],
    },
    { name: 'healthcheck CMD-SHELL', lines: '    healthcheck:\n      test: ["CMD-SHELL", "curl -f http://localhost || exit 1"]\n', expect: [{ context: 'compose-healthcheck', script: 'curl -f http://localhost || exit 1' }] },
    { name: 'healthcheck CMD', lines: '    healthcheck:\n      test: ["CMD", "curl", "-f", "http://localhost"]\n', expect: [{ context: 'compose-healthcheck', argv: ['curl', '-f', 'http://localhost'] }] },
    { name: 'healthcheck string is CMD-SHELL', lines: '    healthcheck:\n      test: curl -f http://localhost\n', expect: [{ context: 'compose-healthcheck', script: 'curl -f http://localhost' }] },
    { name: 'healthcheck NONE', lines: '    healthcheck:\n      test: ["NONE"]\n', expect: [] },
    {
      name: 'literal block maps exactly',
      lines: '    command:\n      - sh\n      - -c\n      - |\n        pip install flask\n        python app.py\n',
      expect: [{ context: 'compose-command', argv: ['sh', '-c', 'pip install flask\npython app.py\n'] }],
    },
    { name: 'folded block is coarse', lines: '    command: >\n      sh -c "pip install\n      flask"\n', expect: [{ context: 'compose-command', script: 'sh -c "pip install flask"\n' }], exact: [[undefined]] },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const text = service(`    image: x:1.0.0\n${c.lines}`);
      const m = extract(text);
      assert.deepEqual(m.problems, []);
      assert.deepEqual(commands(m), c.expect);
      if (c.exact) assert.deepEqual(commandSourceTexts(m), c.exact);
      assertSpansInside(m);
    });
  }

  test('literal block: a sub-range maps to its line', () => {
    const text = service('    command:\n      - |\n        echo hi\n        pip install flask\n');
    const src = extract(text).commands[0].argv![0];
    const at = src.text.indexOf('pip');
    assert.equal(mapped(text, src, at, at + 'pip install flask'.length), 'pip install flask');
    assert.equal(lineOf(text, src.map[at]), 6);
  });

  test('pointers', () => {
    const m = extract(service('    command: a\n    healthcheck: {test: b}\n'));
    assert.deepEqual(m.commands.map((c) => c.pointer), ['/services/app/command', '/services/app/healthcheck/test']);
  });
});

describe('compose: documents and bad input', () => {
  test('document markers and commented-out lines', () => {
    const text = '---\nservices:\n  db:\n    # image: mysql:8.0\n    image: mysql:5.7\n...\n';
    const m = extract(text);
    assert.deepEqual(images(m).map((i) => i.text), ['mysql:5.7']);
    assert.equal(lineOf(text, m.images[0].span.start), 5);
  });

  test('invalid YAML gives problems and no exception; every prefix extracts', () => {
    const bad = extract('services:\n  a:\n    image: [unclosed\n');
    assert.ok(bad.problems.length > 0);
    const full = service('    image: "${IMG:-node:20}"\n    command: [sh, -c, "echo \\"x\\""]\n    entrypoint: |\n      a\n      b\n    healthcheck:\n      test: [CMD-SHELL, x]\n');
    for (let i = 0; i <= full.length; i++) assertSpansInside(extract(full.slice(0, i)));
  });

  test('alias bombs stay cheap', () => {
    const lines = ['a: &a ["x", "x"]'];
    for (let i = 1; i < 30; i++) lines.push(`a${i}: &a${i} [*${i === 1 ? 'a' : `a${i - 1}`}, *${i === 1 ? 'a' : `a${i - 1}`}]`);
    const started = Date.now();
    extract(`${lines.join('\n')}\nservices:\n  s:\n    image: x:1\n    command: *a29\n`);
    assert.ok(Date.now() - started < 2000);
  });
});

describe('compose: corpus', () => {
  for (const entry of corpusEntries('compose')) {
    test(`${entry.id} ${entry.file}`, () => {
      const text = corpusText(entry);
      const m = extract(text, entry.file);
      assertSpansInside(m);
      assert.deepEqual(m.problems, []);
      for (const label of entry.expect) assert.ok(coversLabel(m, label), `line ${label.line} (${label.category}) not extracted`);
      const labelled = new Set(entry.expect.map((l) => l.line));
      for (const line of reportableLines(m)) assert.ok(labelled.has(line), `unlabelled reportable site on line ${line}`);
    });
  }

  test('cmp-013: the command is a script with exact offsets', () => {
    const entry = corpusEntries('compose').find((e) => e.id === 'cmp-013')!;
    const text = corpusText(entry);
    const m = extract(text, entry.file);
    assert.deepEqual(commandSourceTexts(m), [['sh -c "yarn install && yarn run dev"']]);
    assert.equal(slice(text, m.commands[0].span), 'sh -c "yarn install && yarn run dev"');
  });
});

describe('compose: mutated corpus files', () => {
  for (const entry of corpusEntries('compose')) {
    test(`${entry.id}: 80 mutations extract without throwing, spans inside the text`, () => {
      for (const t of mutations(corpusText(entry), 80, [...entry.id].reduce((a, c) => a * 31 + c.charCodeAt(0), 7))) assertSpansInside(extract(t, entry.file));
    });
  }
});
