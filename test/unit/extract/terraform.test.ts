// Table tests for the Terraform extractor (jsonencode, heredoc JSON, templates, ECR), plus the corpus files.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { extractTerraform } from '../../../server/src/core/extract/terraform';
import { VARIABLE_REPOSITORY } from '../../../server/src/core/model';
import { initParsers } from '../../../server/src/core/treesitter';
import {
  assertSpansInside,
  commandSourceTexts,
  commands,
  corpusEntries,
  corpusText,
  coversLabel,
  images,
  mapped,
  mutations,
  reportableLines,
  slice,
} from './site-helpers';

before(() => initParsers());

const ctx = { files: new Map<string, string>() };
const extract = (text: string, file = 'infra/main.tf') => extractTerraform(file, text, ctx);

const VARS = `variable "image" {\n  default = "nginx:1.25"\n}\nvariable "tag" {\n  type = string\n}\nvariable "num" {\n  default = 3\n}\n`;
const task = (container: string) => `${VARS}resource "aws_ecs_task_definition" "t" {\n  container_definitions = jsonencode([{\n    name = "app"\n    ${container}\n  }])\n}\n`;

describe('terraform: jsonencode container definitions', () => {
  type V = { expression: string; covers: 'registry' | 'tag-or-whole'; defaultValue?: string; defaultSource?: string };
  const cases: { name: string; line: string; span: string; resolved?: string; variable?: V }[] = [
    { name: 'literal', line: 'image = "nginx:latest"', span: 'nginx:latest', resolved: 'nginx:latest' },
    { name: 'colon separator', line: 'image: "nginx:1.25.3",', span: 'nginx:1.25.3', resolved: 'nginx:1.25.3' },
    {
      name: 'ECR repository URL with a literal tag',
      line: 'image = "${aws_ecr_repository.my_repo.repository_url}:latest"',
      span: '${aws_ecr_repository.my_repo.repository_url}:latest',
      resolved: `${VARIABLE_REPOSITORY}:latest`,
      variable: { expression: '${aws_ecr_repository.my_repo.repository_url}', covers: 'registry' },
    },
    {
      name: 'bare repository URL is untagged',
      line: 'image = aws_ecr_repository.r.repository_url',
      span: 'aws_ecr_repository.r.repository_url',
      resolved: VARIABLE_REPOSITORY,
      variable: { expression: 'aws_ecr_repository.r.repository_url', covers: 'registry' },
    },
    {
      name: 'var with a default',
      line: 'image = var.image',
      span: 'var.image',
      resolved: 'nginx:1.25',
      variable: { expression: 'var.image', covers: 'tag-or-whole', defaultValue: 'nginx:1.25', defaultSource: 'variable "image" default' },
    },
    { name: 'var without a default', line: 'image = var.tag', span: 'var.tag', variable: { expression: 'var.tag', covers: 'tag-or-whole' } },
    {
      name: 'tag from a variable',
      line: 'image = "${data.aws_ecr_repository.r.repository_url}:${var.tag}"',
      span: '${data.aws_ecr_repository.r.repository_url}:${var.tag}',
      variable: { expression: '${var.tag}', covers: 'tag-or-whole' },
    },
    { name: 'local value', line: 'image = local.image', span: 'local.image', variable: { expression: 'local.image', covers: 'tag-or-whole' } },
    { name: 'escaped interpolation is literal', line: 'image = "app:$${x}"', span: 'app:$${x}', resolved: 'app:${x}' },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const text = task(c.line);
      const m = extract(text);
      assert.deepEqual(m.problems, []);
      assert.deepEqual(images(m), [{ text: c.span, resolved: c.resolved, ...(c.variable ? { variable: c.variable } : {}) }]);
      assert.equal(m.images[0].context, 'tf-image');
    });
  }

  test('jsonencode of a local used later, and of {containerDefinitions = [...]}', () => {
    const text = 'locals {\n  defs = jsonencode([{ name = "a", image = "redis" }])\n  other = jsonencode({ containerDefinitions = [{ image = "memcached:1" }] })\n  unrelated = jsonencode({ image = "not-a-container" })\n}\n';
    assert.deepEqual(images(extract(text)).map((i) => i.text), ['redis', 'memcached:1']);
  });

  const commandCases: { name: string; lines: string; expect: ReturnType<typeof commands>; exact?: (string | undefined)[][] }[] = [
    {
      name: 'entryPoint and command together',
      lines: 'entryPoint = ["sh", "-c"]\n    command = ["apt-get install -y curl && exec app"]',
      expect: [{ context: 'ecs-command', argv: ['sh', '-c', 'apt-get install -y curl && exec app'] }],
    },
    {
      name: 'escapes and templates map back exactly',
      lines: 'command = ["echo \\"hi\\"", "pip install ${var.pkg}"]',
      expect: [{ context: 'ecs-command', argv: ['echo "hi"', 'pip install ${var.pkg}'] }],
      exact: [['echo \\"hi\\"', 'pip install ${var.pkg}']],
    },
    {
      name: 'expressions in the list are skipped; numbers are text',
      lines: 'command = [var.cmd, "--port", 8080]',
      expect: [{ context: 'ecs-command', argv: ['--port', '8080'] }],
    },
    {
      name: 'healthCheck CMD-SHELL',
      lines: 'healthCheck = { command = ["CMD-SHELL", "curl -f http://localhost/ || exit 1"] }',
      expect: [{ context: 'ecs-healthcheck', script: 'curl -f http://localhost/ || exit 1' }],
    },
  ];
  for (const c of commandCases) {
    test(`command: ${c.name}`, () => {
      const m = extract(task(c.lines));
      assert.deepEqual(commands(m), c.expect);
      if (c.exact) assert.deepEqual(commandSourceTexts(m), c.exact);
      assertSpansInside(m);
    });
  }

  test('versionConsistency = "disabled"', () => {
    const text = task('image = "x:1"\n    versionConsistency = "disabled"');
    assert.deepEqual(extract(text).versionConsistency.map((v) => slice(text, v.span)), ['versionConsistency = "disabled"']);
  });
});

describe('terraform: heredoc JSON', () => {
  for (const op of ['<<', '<<-']) {
    test(`${op}EOF with interpolations outside strings`, () => {
      const text = `${VARS}resource "aws_ecs_task_definition" "t" {\n  container_definitions = ${op}EOF\n  [\n    {\n      "name": "app",\n      "image": "\${var.image}",\n      "cpu": \${var.num},\n      "command": ["sh", "-c", "npm install && npm start"]\n    }\n  ]\n  EOF\n}\n`;
      const m = extract(text);
      assert.deepEqual(m.problems, []);
      assert.deepEqual(images(m), [
        { text: '${var.image}', resolved: 'nginx:1.25', variable: { expression: '${var.image}', covers: 'tag-or-whole', defaultValue: 'nginx:1.25', defaultSource: 'variable "image" default' } },
      ]);
      assert.deepEqual(commands(m), [{ context: 'ecs-command', argv: ['sh', '-c', 'npm install && npm start'] }]);
      const script = m.commands[0].argv![2];
      assert.equal(mapped(text, script, 0, 11), 'npm install');
    });
  }
});

describe('terraform: templates and dependencies', () => {
  const cases: { name: string; file: string; expr: string; deps: string[] }[] = [
    { name: 'file() with path.module', file: 'modules/ecs/main.tf', expr: 'file("${path.module}/files/defs.json")', deps: ['modules/ecs/files/defs.json'] },
    { name: 'templatefile() relative', file: 'modules/ecs/main.tf', expr: 'templatefile("../shared/defs.json.tftpl", {})', deps: ['modules/shared/defs.json.tftpl'] },
    { name: 'leaving the workspace', file: 'main.tf', expr: 'file("../outside.json")', deps: [] },
    { name: 'absolute path', file: 'main.tf', expr: 'file("/etc/defs.json")', deps: [] },
    { name: 'unknown path', file: 'main.tf', expr: 'file("${var.dir}/defs.json")', deps: [] },
    { name: 'old-style interpolated file()', file: 'a/b.tf', expr: '"${file("${path.module}/d.json")}"', deps: ['a/d.json'] },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const m = extract(`resource "aws_ecs_task_definition" "t" {\n  container_definitions = ${c.expr}\n}\n`, c.file);
      assert.deepEqual(m.dependencies, c.deps);
    });
  }

  test('templatefile vars naming an image', () => {
    const text = `${VARS}resource "aws_ecs_task_definition" "t" {\n  container_definitions = templatefile("\${path.module}/defs.tftpl", {\n    image = var.image\n    app_image = "nginx:latest"\n    image_tag = "1.0"\n    sidecar_image = "\${var.repo}:\${var.tag}"\n    name = var.name\n  })\n}\n`;
    const m = extract(text);
    assert.deepEqual(m.dependencies, ['infra/defs.tftpl']);
    assert.deepEqual(
      images(m).map((i) => [i.text, i.resolved, i.variable?.covers]),
      [
        ['var.image', 'nginx:1.25', 'tag-or-whole'],
        ['nginx:latest', 'nginx:latest', undefined],
        ['${var.repo}:${var.tag}', undefined, 'tag-or-whole'],
      ],
    );
  });

  test('templatefile() of a JSON template elsewhere (locals) counts; other file() calls do not', () => {
    const text = 'locals {\n  defs = templatefile("${path.module}/defs.json.tftpl", { image = var.img })\n  policy = file("${path.module}/policy.json")\n  user_data = templatefile("${path.module}/init.sh", { image = var.x })\n}\n';
    const m = extract(text, 'mod/main.tf');
    assert.deepEqual(m.dependencies, ['mod/defs.json.tftpl']);
    assert.deepEqual(images(m).map((i) => i.text), ['var.img']);
  });

  test('data "template_file" with template = file(...) and vars', () => {
    const text = 'data "template_file" "defs" {\n  template = file("${path.module}/files/container_definition.json")\n  vars = {\n    image                 = var.docker_image\n    command_override      = local.cmd\n  }\n}\n';
    const m = extract(text, 'tf/ecs.tf');
    assert.deepEqual(m.dependencies, ['tf/files/container_definition.json']);
    assert.deepEqual(images(m), [{ text: 'var.docker_image', resolved: undefined, variable: { expression: 'var.docker_image', covers: 'tag-or-whole' } }]);
  });
});

describe('terraform: ECR repositories', () => {
  const cases: { name: string; body: string; expect: { span: string; name: string; mutability?: string; explicit: boolean; filters: string[] } }[] = [
    { name: 'explicit MUTABLE', body: '  name = "keycloak"\n  image_tag_mutability = "MUTABLE"\n', expect: { span: 'image_tag_mutability = "MUTABLE"', name: 'keycloak', mutability: 'MUTABLE', explicit: true, filters: [] } },
    { name: 'omitted: the header', body: '  name = var.name\n', expect: { span: 'resource "aws_ecr_repository" "repo"', name: 'repo', explicit: false, filters: [] } },
    { name: 'from a variable', body: '  image_tag_mutability = var.m\n', expect: { span: 'image_tag_mutability = var.m', name: 'repo', mutability: 'variable', explicit: true, filters: [] } },
    {
      name: 'exclusion filters',
      body: '  image_tag_mutability = "IMMUTABLE_WITH_EXCLUSION"\n  image_tag_mutability_exclusion_filter {\n    filter      = "dev-*"\n    filter_type = "WILDCARD"\n  }\n  image_tag_mutability_exclusion_filter {\n    filter = "pr-*"\n    filter_type = "WILDCARD"\n  }\n',
      expect: { span: 'image_tag_mutability = "IMMUTABLE_WITH_EXCLUSION"', name: 'repo', mutability: 'IMMUTABLE_WITH_EXCLUSION', explicit: true, filters: ['dev-*', 'pr-*'] },
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const text = `resource "aws_ecr_repository" "repo" {\n${c.body}}\ndata "aws_ecr_repository" "other" {\n  name = "x"\n}\n`;
      const m = extract(text);
      assert.deepEqual(
        m.ecrRepositories.map((r) => ({ span: slice(text, r.span), name: r.name, ...(r.mutability !== undefined ? { mutability: r.mutability } : {}), explicit: r.explicit, filters: r.exclusionFilters })),
        [c.expect],
      );
    });
  }
});

describe('terraform: comments and bad input', () => {
  test('commented-out HCL gives nothing', () => {
    const text = '# resource "aws_ecr_repository" "r" {}\n/* resource "aws_ecs_task_definition" "t" {\n  container_definitions = jsonencode([{ image = "nginx" }])\n} */\n// image = "x"\n';
    const m = extract(text);
    assert.deepEqual([m.images, m.commands, m.ecrRepositories, m.problems], [[], [], [], []]);
  });

  test('syntax errors become problems; every prefix extracts without throwing', () => {
    const full = task('image = "${aws_ecr_repository.r.repository_url}:latest"\n    command = ["sh", "-c", "echo \\"x\\""]\n    healthCheck = { command = ["CMD", "true"] }') + 'resource "aws_ecr_repository" "r" {\n  image_tag_mutability = "MUTABLE"\n}\n';
    assert.ok(extract(full.slice(0, full.length - 40)).problems.length > 0);
    for (let i = 0; i <= full.length; i += 2) assertSpansInside(extract(full.slice(0, i)));
  });
});

describe('terraform: corpus', () => {
  for (const entry of corpusEntries('terraform')) {
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

  test('tf-007: the template_file target is a dependency and the image var is exactly `var.docker_image`', () => {
    const entry = corpusEntries('terraform').find((e) => e.id === 'tf-007')!;
    const m = extract(corpusText(entry), entry.file);
    assert.deepEqual(m.dependencies, ['files/tf-007/files/container_definition.json']);
    assert.deepEqual(images(m), [{ text: 'var.docker_image', resolved: undefined, variable: { expression: 'var.docker_image', covers: 'tag-or-whole' } }]);
  });
});

describe('terraform: mutated corpus files', () => {
  for (const entry of corpusEntries('terraform')) {
    test(`${entry.id}: 80 mutations extract without throwing, spans inside the text`, () => {
      for (const t of mutations(corpusText(entry), 80, [...entry.id].reduce((a, c) => a * 31 + c.charCodeAt(0), 7))) assertSpansInside(extract(t, entry.file));
    });
  }
});
