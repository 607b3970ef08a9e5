// fast-check generator of ECS task definitions, CloudFormation (YAML and JSON) and Terraform files with ECR
// repositories and version-consistency settings, in varied indentation, quoting, member order and line ends.
import fc from 'fast-check';

export interface GeneratedInfra {
  file: string;
  text: string;
}

const DIGEST = `@sha256:${'ab'.repeat(32)}`;

interface Repo {
  mutability?: 'MUTABLE' | 'IMMUTABLE';
  props: 'none' | 'empty' | 'flow' | 'block';
  name: boolean;
  quote: '' | "'" | '"';
}

interface Container {
  vc?: 'disabled' | 'DISABLED' | 'enabled';
  order: number;
  latest: boolean;
}

const repoArb: fc.Arbitrary<Repo> = fc.record({
  mutability: fc.constantFrom(undefined, 'MUTABLE', 'IMMUTABLE'),
  props: fc.constantFrom('none', 'empty', 'flow', 'block'),
  name: fc.boolean(),
  quote: fc.constantFrom('', "'", '"'),
});
const containerArb: fc.Arbitrary<Container> = fc.record({ vc: fc.constantFrom(undefined, 'disabled', 'DISABLED', 'enabled'), order: fc.nat(3), latest: fc.boolean() });

/** Members of a container definition as [key, JSON value], the version-consistency one placed at `order`. */
function members(c: Container, i: number): [string, string][] {
  const list: [string, string][] = [
    ['name', JSON.stringify(`c${i}`)],
    ['image', JSON.stringify(c.latest ? 'nginx:latest' : `web${DIGEST}`)],
    ['essential', 'true'],
  ];
  if (c.vc) list.splice(Math.min(c.order, list.length), 0, ['versionConsistency', JSON.stringify(c.vc)]);
  return list;
}

function json(value: unknown, indent: string, eol: string): string {
  const text = indent === '' ? JSON.stringify(value) : JSON.stringify(value, null, indent);
  return text.replace(/\n/g, eol) + (indent === '' ? '' : eol);
}

const styleArb = fc.record({ indent: fc.constantFrom('', '  ', '    ', '\t'), crlf: fc.boolean() });

const ecsArb = fc.record({ style: styleArb, containers: fc.array(containerArb, { minLength: 1, maxLength: 3 }) }).map(({ style, containers }) => {
  const defs = containers.map((c, i) => Object.fromEntries(members(c, i).map(([k, v]) => [k, JSON.parse(v)])));
  return { file: 'ecs/task-definition.json', text: json({ family: 'web', containerDefinitions: defs }, style.indent, style.crlf ? '\r\n' : '\n') };
});

function cfnYaml(repos: Repo[], containers: Container[], step: string, eol: string): string {
  const s = (n: number) => step.repeat(n);
  const lines = ["AWSTemplateFormatVersion: '2010-09-09'", 'Resources:'];
  repos.forEach((r, i) => {
    lines.push(`${s(1)}Repo${i}:`, `${s(2)}Type: ${r.quote}AWS::ECR::Repository${r.quote}`);
    const entries = [...(r.name ? [`RepositoryName: app${i}`] : []), ...(r.mutability ? [`ImageTagMutability: ${r.quote}${r.mutability}${r.quote}`] : [])];
    if (r.props === 'flow') lines.push(`${s(2)}Properties: {${entries.join(', ')}}`);
    else if (entries.length) lines.push(`${s(2)}Properties:`, ...entries.map((e) => `${s(3)}${e}`));
    else if (r.props === 'empty') lines.push(`${s(2)}Properties:`);
    lines.push(`${s(2)}DeletionPolicy: Retain`);
  });
  if (containers.length) {
    lines.push(`${s(1)}Task:`, `${s(2)}Type: AWS::ECS::TaskDefinition`, `${s(2)}Properties:`, `${s(3)}ContainerDefinitions:`);
    containers.forEach((c, i) => {
      const m = members(c, i).map(([k, v]) => `${k[0].toUpperCase()}${k.slice(1)}: ${k === 'versionConsistency' ? JSON.parse(v) : v}`);
      lines.push(`${s(4)}- ${m[0]}`, ...m.slice(1).map((x) => `${s(4)}  ${x}`));
    });
  }
  return lines.join(eol) + eol;
}

function cfnJson(repos: Repo[], containers: Container[], indent: string, eol: string): string {
  const resources: Record<string, unknown> = {};
  repos.forEach((r, i) => {
    const props: Record<string, string> = {};
    if (r.name) props.RepositoryName = `app${i}`;
    if (r.mutability) props.ImageTagMutability = r.mutability;
    resources[`Repo${i}`] = r.props === 'none' && !Object.keys(props).length ? { Type: 'AWS::ECR::Repository' } : { Type: 'AWS::ECR::Repository', Properties: props };
  });
  if (containers.length) {
    const defs = containers.map((c, i) => Object.fromEntries(members(c, i).map(([k, v]) => [k[0].toUpperCase() + k.slice(1), JSON.parse(v)])));
    resources.Task = { Type: 'AWS::ECS::TaskDefinition', Properties: { ContainerDefinitions: defs } };
  }
  return json({ Resources: resources }, indent, eol);
}

function terraform(repos: Repo[], containers: Container[], aligned: boolean, eol: string): string {
  const lines: string[] = [];
  repos.forEach((r, i) => {
    const attrs: [string, string][] = [...(r.name ? [['name', `"app${i}"`] as [string, string]] : []), ...(r.mutability ? [['image_tag_mutability', `"${r.mutability}"`] as [string, string]] : [])];
    if (r.props === 'flow') attrs.push(['force_delete', 'true']);
    if (!attrs.length && r.props === 'empty') {
      lines.push(`resource "aws_ecr_repository" "r${i}" {}`, '');
      return;
    }
    const width = aligned ? Math.max(...attrs.map(([k]) => k.length), 0) : 0;
    lines.push(`resource "aws_ecr_repository" "r${i}" {`, ...attrs.map(([k, v]) => `  ${k.padEnd(width)} = ${v}`));
    if (r.props === 'block') lines.push('', '  image_scanning_configuration {', '    scan_on_push = true', '  }');
    lines.push('}', '');
  });
  if (containers.length) {
    lines.push('resource "aws_ecs_task_definition" "t" {', '  family = "web"', '  container_definitions = jsonencode([');
    containers.forEach((c, i) => {
      const m = members(c, i);
      const width = Math.max(...m.map(([k]) => k.length));
      lines.push('    {', ...m.map(([k, v]) => `      ${k.padEnd(width)} = ${v}`), '    },');
    });
    lines.push('  ])', '}');
  }
  return lines.join(eol) + eol;
}

const cfnArb = fc
  .record({
    repos: fc.array(repoArb, { minLength: 0, maxLength: 3 }),
    containers: fc.array(containerArb, { maxLength: 2 }),
    style: styleArb,
    kind: fc.constantFrom('yaml', 'json', 'tf'),
    aligned: fc.boolean(),
  })
  .map(({ repos, containers, style, kind, aligned }) => {
    const eol = style.crlf ? '\r\n' : '\n';
    if (kind === 'yaml') return { file: 'cfn/template.yaml', text: cfnYaml(repos, containers, style.indent === '\t' || style.indent === '' ? '  ' : style.indent, eol) };
    if (kind === 'json') return { file: 'cfn/stack.template.json', text: cfnJson(repos, containers, style.indent, eol) };
    return { file: 'infra/main.tf', text: terraform(repos, containers, aligned, eol) };
  });

export const infraArb: fc.Arbitrary<GeneratedInfra> = fc.oneof(ecsArb, cfnArb);
