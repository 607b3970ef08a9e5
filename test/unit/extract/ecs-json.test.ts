// Table tests for the ECS task-definition JSON extractor, plus the corpus task definitions.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { extractEcsJson } from '../../../server/src/core/extract/ecs-json';
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

const ctx = { files: new Map<string, string>() };
const extract = (text: string, file = 'task-definition.json') => extractEcsJson(file, text, ctx);
const one = (image: string) => `{"containerDefinitions": [{"name": "app", "image": ${JSON.stringify(image)}}]}`;

describe('ecs-json: task-definition shapes', () => {
  const cases: { name: string; text: string; pointer: string }[] = [
    { name: 'register-task-definition input', text: '{"family": "f", "containerDefinitions": [{"name": "a", "image": "nginx:1.25"}]}', pointer: '/containerDefinitions/0/image' },
    { name: 'describe-task-definition output', text: '{"taskDefinition": {"containerDefinitions": [{"name": "a", "image": "nginx:1.25"}]}, "tags": []}', pointer: '/taskDefinition/containerDefinitions/0/image' },
    { name: 'bare container-definitions array', text: '[{"name": "x", "image": "busybox"}, {"name": "a", "image": "nginx:1.25"}]', pointer: '/1/image' },
    { name: 'comments and trailing commas', text: '// task\n{"containerDefinitions": [{"name": "a", /* c */ "image": "nginx:1.25",},],}', pointer: '/containerDefinitions/0/image' },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const m = extract(c.text);
      const site = m.images.find((i) => i.pointer === c.pointer);
      assert.ok(site, `no image at ${c.pointer}`);
      assert.equal(slice(c.text, site.span), 'nginx:1.25');
      assert.equal(site.text, 'nginx:1.25');
      assert.equal(site.context, 'ecs-image');
      assert.equal(site.resolved, 'nginx:1.25');
      assert.deepEqual(m.problems, []);
    });
  }

  test('a JSON document that is not a task definition gives nothing', () => {
    for (const text of ['{"name": "x", "version": "1.0"}', '[1, 2]', '"image"', '{"services": {"a": {"image": "x"}}}']) {
      const m = extract(text);
      assert.deepEqual([m.images, m.commands, m.versionConsistency], [[], [], []], text);
    }
  });
});

describe('ecs-json: image references and variables', () => {
  const cases: { image: string; resolved?: string; variable?: { expression: string; covers: 'registry' | 'tag-or-whole' } }[] = [
    { image: 'nginx:latest', resolved: 'nginx:latest' },
    { image: '123.dkr.ecr.us-east-1.amazonaws.com/app', resolved: '123.dkr.ecr.us-east-1.amazonaws.com/app' },
    { image: '${image}:latest', resolved: `${VARIABLE_REPOSITORY}:latest`, variable: { expression: '${image}', covers: 'registry' } },
    { image: '${REGISTRY}/app', resolved: VARIABLE_REPOSITORY, variable: { expression: '${REGISTRY}', covers: 'registry' } },
    { image: '$REGISTRY/app:1.2.3', resolved: `${VARIABLE_REPOSITORY}:1.2.3`, variable: { expression: '$REGISTRY', covers: 'registry' } },
    { image: `\${repo}@sha256:${'a'.repeat(64)}`, resolved: `${VARIABLE_REPOSITORY}@sha256:${'a'.repeat(64)}`, variable: { expression: '${repo}', covers: 'registry' } },
    { image: '${image}', variable: { expression: '${image}', covers: 'tag-or-whole' } },
    { image: '<IMAGE1_NAME>', variable: { expression: '<IMAGE1_NAME>', covers: 'tag-or-whole' } },
    { image: 'myrepo/${NAME}', variable: { expression: '${NAME}', covers: 'tag-or-whole' } },
    { image: '${REPO}:${TAG}', variable: { expression: '${TAG}', covers: 'tag-or-whole' } },
    { image: 'nginx:$TAG', variable: { expression: '$TAG', covers: 'tag-or-whole' } },
  ];
  for (const c of cases) {
    test(c.image, () => {
      const text = one(c.image);
      const m = extract(text);
      assert.deepEqual(images(m), [
        { text: c.image, resolved: c.resolved, ...(c.variable ? { variable: c.variable } : {}), pointer: '/containerDefinitions/0/image' },
      ]);
    });
  }

  test('the span holds the reference as written (escapes kept), resolved is decoded', () => {
    const text = '{"containerDefinitions": [{"image": "ng\\u0069nx:1.0"}]}';
    const [site] = extract(text).images;
    assert.equal(site.text, 'ng\\u0069nx:1.0');
    assert.equal(site.resolved, 'nginx:1.0');
  });

  test('empty and non-string images are skipped', () => {
    const m = extract('{"containerDefinitions": [{"image": ""}, {"image": 5}, {"image": null}, {"image": {"a": 1}}]}');
    assert.deepEqual(m.images, []);
  });

  test('a Terraform template with ${...} outside strings still parses, without problems', () => {
    const text = '[{"name": "a", "image": "${image}:${tag}", "cpu": ${cpu}, "environment": ${jsonencode(env)}, %{ if x }"memory": 5%{ endif }}]';
    const m = extract(text, 'defs.json.tftpl');
    assert.deepEqual(images(m), [{ text: '${image}:${tag}', resolved: undefined, variable: { expression: '${tag}', covers: 'tag-or-whole' }, pointer: '/0/image' }]);
    assert.deepEqual(m.problems, []);
  });
});

describe('ecs-json: commands', () => {
  const cases: { name: string; def: string; expect: ReturnType<typeof commands> }[] = [
    {
      name: 'entryPoint and command run together as one command line',
      def: '"entryPoint": ["sh", "-c"], "command": ["pip install x && python app.py"]',
      expect: [{ context: 'ecs-command', argv: ['sh', '-c', 'pip install x && python app.py'] }],
    },
    { name: 'command only', def: '"command": ["npm", "start"]', expect: [{ context: 'ecs-command', argv: ['npm', 'start'] }] },
    { name: 'entryPoint only', def: '"entryPoint": ["/entrypoint.sh"]', expect: [{ context: 'ecs-entrypoint', argv: ['/entrypoint.sh'] }] },
    { name: 'entryPoint [""] resets the entrypoint', def: '"entryPoint": [""], "command": ["/run"]', expect: [{ context: 'ecs-command', argv: ['/run'] }] },
    { name: 'empty lists and non-lists give nothing', def: '"entryPoint": [], "command": "npm start"', expect: [] },
    { name: 'non-string elements are skipped', def: '"command": ["run", 3, null, "x"]', expect: [{ context: 'ecs-command', argv: ['run', 'x'] }] },
    { name: 'CMD-SHELL health check is a script', def: '"healthCheck": {"command": ["CMD-SHELL", "curl -f http://localhost/ || exit 1"]}', expect: [{ context: 'ecs-healthcheck', script: 'curl -f http://localhost/ || exit 1' }] },
    { name: 'CMD-SHELL words are joined', def: '"healthCheck": {"command": ["CMD-SHELL", "curl", "-f", "x"]}', expect: [{ context: 'ecs-healthcheck', script: 'curl -f x' }] },
    { name: 'CMD health check is an argv', def: '"healthCheck": {"command": ["CMD", "curl", "-f", "http://localhost/"]}', expect: [{ context: 'ecs-healthcheck', argv: ['curl', '-f', 'http://localhost/'] }] },
    { name: 'health check without prefix, one element: a script', def: '"healthCheck": {"command": ["curl http://localhost:8080"]}', expect: [{ context: 'ecs-healthcheck', script: 'curl http://localhost:8080' }] },
    { name: 'health check without prefix, several elements: an argv', def: '"healthCheck": {"command": ["curl", "localhost"]}', expect: [{ context: 'ecs-healthcheck', argv: ['curl', 'localhost'] }] },
    { name: 'NONE health check', def: '"healthCheck": {"command": ["NONE"]}', expect: [] },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const m = extract(`{"containerDefinitions": [{"name": "a", ${c.def}}]}`);
      assert.deepEqual(commands(m), c.expect);
      assertSpansInside(m);
    });
  }

  test('the combined command spans both values and points at command', () => {
    const text = '{"containerDefinitions": [{"entryPoint": ["sh", "-c"], "cpu": 1, "command": ["apt-get install -y x"]}]}';
    const [c] = extract(text).commands;
    assert.equal(slice(text, c.span), '["sh", "-c"], "cpu": 1, "command": ["apt-get install -y x"]');
    assert.equal(c.pointer, '/containerDefinitions/0/command');
  });

  test('argument maps go back to the document through escapes', () => {
    const text = '{"containerDefinitions": [{"command": ["sh", "-c", "echo \\"hi\\" && pip install \\u0078yz"]}]}';
    const m = extract(text);
    const script = m.commands[0].argv![2];
    assert.equal(script.text, 'echo "hi" && pip install xyz');
    assert.equal(mapped(text, script, script.text.indexOf('pip'), script.text.length), 'pip install \\u0078yz');
    assert.equal(mapped(text, script, 5, 9), '\\"hi\\"');
    assert.deepEqual(commandSourceTexts(m), [['sh', '-c', 'echo \\"hi\\" && pip install \\u0078yz']]);
  });
});

describe('ecs-json: version consistency', () => {
  const cases: { value: string; found: boolean }[] = [
    { value: 'disabled', found: true },
    { value: 'DISABLED', found: true },
    { value: 'enabled', found: false },
  ];
  for (const c of cases) {
    test(c.value, () => {
      const text = `{"containerDefinitions": [{"image": "x@sha256:${'b'.repeat(64)}",\n  "versionConsistency": "${c.value}"}]}`;
      const m = extract(text);
      assert.deepEqual(
        m.versionConsistency.map((v) => [slice(text, v.span), v.value, v.pointer]),
        c.found ? [[`"versionConsistency": "${c.value}"`, c.value, '/containerDefinitions/0/versionConsistency']] : [],
      );
    });
  }
});

describe('ecs-json: bad input', () => {
  test('truncated JSON gives a partial model and problems', () => {
    const text = '{"containerDefinitions": [{"name": "a", "image": "nginx:latest", "command": ["a"';
    const m = extract(text);
    assert.deepEqual(images(m).map((i) => i.text), ['nginx:latest']);
    assert.ok(m.problems.length > 0);
    assertSpansInside(m);
  });

  test('every prefix of a task definition extracts without throwing, spans inside the text', () => {
    const full = '{"containerDefinitions": [{"name": "a", "image": "n:1", "entryPoint": ["sh", "-c"], "command": ["x \\"y\\""], "healthCheck": {"command": ["CMD-SHELL", "z"]}, "versionConsistency": "disabled"}]}';
    for (let i = 0; i <= full.length; i++) assertSpansInside(extract(full.slice(0, i)));
  });
});

describe('ecs-json: corpus', () => {
  for (const entry of corpusEntries('ecs-json')) {
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

  test('ecs-015: entryPoint [""] is skipped and the probe without prefix is one script', () => {
    const entry = corpusEntries('ecs-json').find((e) => e.id === 'ecs-015')!;
    const text = corpusText(entry);
    const m = extract(text, entry.file);
    assert.deepEqual(commands(m), [
      { context: 'ecs-command', argv: ['/usr/lib/presto/bin/run-ecs-presto'] },
      { context: 'ecs-healthcheck', script: 'curl http://localhost:8080' },
    ]);
    assert.equal(lineOf(text, m.commands[1].script!.map[0]), 33);
  });
});

describe('ecs-json: mutated corpus files', () => {
  for (const entry of corpusEntries('ecs-json')) {
    test(`${entry.id}: 80 mutations extract without throwing, spans inside the text`, () => {
      for (const t of mutations(corpusText(entry), 80, [...entry.id].reduce((a, c) => a * 31 + c.charCodeAt(0), 7))) assertSpansInside(extract(t, entry.file));
    });
  }
});
