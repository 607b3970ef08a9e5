// A grammar of Terraform: variables with defaults, locals, task definitions whose container definitions
// come from jsonencode(), heredoc JSON, file()/templatefile(); ECR repositories; template_file data.
import fc from 'fast-check';
import { ecsJson } from './gen-infra';
import { script } from './gen-shell';

const hclString = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\$\{/g, '$${').replace(/%\{/g, '%%{')}"`;

const imageExpr = fc.constantFrom(
  '"nginx:latest"', '"nginx"', '"nginx:1.27"', `"nginx:1.27@sha256:${'ab'.repeat(32)}"`, '"${var.repo}:latest"', '"${aws_ecr_repository.r.repository_url}:${var.tag}"',
  'var.image', 'local.image', 'format("%s:%s", var.a, var.b)', '"$${literal}:x"', '"%{ if var.x }a:1%{ else }b:latest%{ endif }"', '"a:b\\"c"', '"${var.image}"',
  'var.images["web"]', 'coalesce(var.a, "x:latest")', '"${', '"unterminated', 'join(":", [var.r, "latest"])', '"${var.x}${var.y}"', 'null',
);
const commandExpr = fc.oneof(
  script.map((s) => `["sh", "-c", ${hclString(s)}]`),
  script.map((s) => hclString(s)),
  fc.constantFrom('["npm", "install"]', '[]', 'var.cmd', '["CMD-SHELL", "curl -f http://localhost/ || exit 1"]', 'split(" ", var.cmd)'),
);
const container = fc
  .tuple(fc.constantFrom('web', 'worker'), imageExpr, fc.option(commandExpr), fc.option(commandExpr), fc.option(commandExpr), fc.option(fc.constantFrom('"disabled"', '"enabled"', 'var.vc')))
  .map(([name, image, command, entry, health, vc]) => {
    const lines = [`name = "${name}"`, `image = ${image}`];
    if (command) lines.push(`command = ${command}`);
    if (entry) lines.push(`entryPoint = ${entry}`);
    if (health) lines.push(`healthCheck = { command = ${health} }`);
    if (vc) lines.push(`versionConsistency = ${vc}`);
    return `{\n      ${lines.join('\n      ')}\n    }`;
  });

const definitions = fc.oneof(
  fc.array(container, { maxLength: 3 }).map((cs) => `jsonencode([\n    ${cs.join(',\n    ')}\n  ])`),
  container.map((c) => `jsonencode({ containerDefinitions = [${c}] })`),
  ecsJson.map((j) => `<<EOF\n${j}EOF`),
  ecsJson.map((j) => `<<-EOT\n    ${j.replace(/\n/g, '\n    ')}EOT`),
  fc.constantFrom('file("${path.module}/defs.json")', 'file("defs.json")', 'templatefile("${path.module}/defs.json.tftpl", { image = var.image, app_image = "nginx:latest" })', 'file("../../etc/passwd")', 'file("/etc/passwd")', 'data.template_file.t.rendered', 'local.defs'),
);

const block = fc.oneof(
  fc.tuple(fc.constantFrom('image', 'tag', 'repo', 'images'), fc.option(fc.constantFrom('"nginx:latest"', '"v1"', '{ web = "nginx:1" }', '5', 'null'))).map(([n, d]) => `variable "${n}" {\n  type = string\n${d ? `  default = ${d}\n` : ''}}`),
  fc.tuple(imageExpr, definitions).map(([i, d]) => `locals {\n  image = ${i}\n  defs = ${d}\n}`),
  { weight: 3, arbitrary: definitions.map((d) => `resource "aws_ecs_task_definition" "t" {\n  family = "app"\n  container_definitions = ${d}\n}`) },
  fc
    .tuple(fc.option(fc.constantFrom('"MUTABLE"', '"IMMUTABLE"', '"MUTABLE_WITH_EXCLUSION"', 'var.mut')), fc.boolean())
    .map(([m, filter]) => `resource "aws_ecr_repository" "r" {\n  name = "app"\n${m ? `  image_tag_mutability = ${m}\n` : ''}${filter ? '  image_tag_mutability_exclusion_filter {\n    filter      = "dev*"\n    filter_type = "WILDCARD"\n  }\n' : ''}}`),
  imageExpr.map((i) => `data "template_file" "t" {\n  template = file("\${path.module}/task.json.tpl")\n  vars = {\n    image = ${i}\n  }\n}`),
  definitions.map((d) => `module "m" {\n  source = "./m"\n  dynamic "x" {\n    for_each = var.list\n    content {\n      defs = ${d}\n    }\n  }\n}`),
  fc.constantFrom('# comment', '// comment', '/* block\ncomment */', 'terraform {\n  required_version = ">= 1.5"\n}', 'output "x" { value = [for c in var.l : c.image if c.on] }', 'resource "x" "y" {', '}', ''),
);

/** Terraform files of a few blocks. */
export const terraform: fc.Arbitrary<string> = fc.array(block, { minLength: 1, maxLength: 6 }).map((bs) => `${bs.join('\n\n')}\n`);

/** Files a Terraform file may read through file()/templatefile() (beside it). */
export const terraformFiles: fc.Arbitrary<Record<string, string>> = fc.tuple(ecsJson, ecsJson).map(([a, b]) => ({ 'defs.json': a, 'defs.json.tftpl': b.replace('"essential"', '"image": "${image}", "essential"'), 'task.json.tpl': a }));
