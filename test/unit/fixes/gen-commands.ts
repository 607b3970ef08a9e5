// fast-check generator of container commands with a runtime install, in ECS task definitions, CloudFormation
// (YAML and JSON), Terraform and compose files, in varied list styles, quoting and line ends, with or
// without a Dockerfile that builds the image (mapped in .knowngood.yaml, compose build:, same folder).
import fc from 'fast-check';

export interface GeneratedCommand {
  file: string;
  files: Record<string, string>;
}

const DIGEST = `@sha256:${'ab'.repeat(32)}`;

interface Install {
  text: string;
  base: string;
  /** Lines of the Dockerfile after FROM (before its CMD). */
  body: string[];
  files?: Record<string, string>;
}

const INSTALLS: Install[] = [
  { text: 'apk add --no-cache jq', base: 'alpine:3.20', body: ['COPY run /usr/local/bin/run'] },
  { text: 'apt-get update && apt-get install -y curl', base: 'debian:12-slim', body: ['COPY run /usr/local/bin/run', 'USER 1000'] },
  { text: 'pip install flask==3.0.3', base: 'python:3.12-slim', body: ['WORKDIR /app', 'COPY . .'] },
  { text: 'pip install -r requirements.txt', base: 'python:3.12-slim', body: ['WORKDIR /app', 'COPY . .'], files: { 'requirements.txt': 'flask==3.0.3\n' } },
  { text: 'npm ci', base: 'node:20-slim', body: ['WORKDIR /app', 'COPY package.json package-lock.json ./', 'COPY . .'], files: { 'package.json': '{"name":"a","version":"1.0.0"}\n', 'package-lock.json': '{"lockfileVersion":3}\n' } },
  { text: 'curl -fsSL -o /usr/local/bin/yq https://example.com/yq && chmod +x /usr/local/bin/yq', base: 'debian:12-slim', body: ['COPY run /usr/local/bin/run'] },
];

/** What runs after the install (the payload stays valid shell in every form). */
const RESTS = ['exec run', 'run --port 8080', 'cd /srv && ./start', 'echo "ready" && exec ./serve "a b"', "exec ./serve 'x y'", 'exec run app:main', 'exec run --home "$HOME"'];

const ARB = fc.record({
  format: fc.constantFrom('ecs', 'cfn-yaml', 'cfn-json', 'tf', 'compose'),
  install: fc.constantFrom(...INSTALLS),
  rest: fc.constantFrom(...RESTS),
  split: fc.boolean(),
  list: fc.constantFrom('flow', 'block', 'string'),
  quote: fc.constantFrom('"', "'", ''),
  indent: fc.constantFrom('  ', '    ', '\t'),
  crlf: fc.boolean(),
  target: fc.constantFrom('config', 'build', 'same-folder', 'none'),
  pinned: fc.boolean(),
});

type Shape = typeof ARB extends fc.Arbitrary<infer T> ? T : never;

const yamlItem = (v: string, quote: string) => (quote === '"' ? JSON.stringify(v) : quote === "'" ? `'${v.replace(/'/g, "''")}'` : /^[\w./-]+$/.test(v) ? v : JSON.stringify(v));

function yamlList(items: string[], s: Shape, indent: string): string {
  if (s.list === 'block') return `\n${items.map((i) => `${indent}- ${yamlItem(i, s.quote)}`).join('\n')}`;
  return ` [${items.map((i) => yamlItem(i, s.quote)).join(', ')}]`;
}

function commandFile(s: Shape, image: string): { file: string; text: string } {
  const payload = `${s.install.text} && ${s.rest}`;
  const argv = s.split ? { entry: ['sh', '-c'], command: [payload] } : { command: ['sh', '-c', payload] };
  const eol = s.crlf ? '\r\n' : '\n';
  const ind = s.indent === '\t' ? '  ' : s.indent;
  switch (s.format) {
    case 'ecs': {
      const def: Record<string, unknown> = { name: 'app', image, essential: true, ...(argv.entry ? { entryPoint: argv.entry } : {}), command: argv.command };
      return { file: 'ecs/task-definition.json', text: JSON.stringify({ family: 'app', containerDefinitions: [def] }, null, s.indent).replace(/\n/g, eol) + eol };
    }
    case 'cfn-json': {
      const def: Record<string, unknown> = { Name: 'app', Image: image, ...(argv.entry ? { EntryPoint: argv.entry } : {}), Command: argv.command };
      const doc = { AWSTemplateFormatVersion: '2010-09-09', Resources: { Task: { Type: 'AWS::ECS::TaskDefinition', Properties: { ContainerDefinitions: [def] } } } };
      return { file: 'cfn/stack.template.json', text: JSON.stringify(doc, null, s.indent).replace(/\n/g, eol) + eol };
    }
    case 'cfn-yaml': {
      const p = (n: number) => ind.repeat(n);
      const lines = ["AWSTemplateFormatVersion: '2010-09-09'", 'Resources:', `${p(1)}Task:`, `${p(2)}Type: AWS::ECS::TaskDefinition`, `${p(2)}Properties:`, `${p(3)}ContainerDefinitions:`, `${p(4)}- Name: app`, `${p(4)}  Image: ${image}`];
      if (argv.entry) lines.push(`${p(4)}  EntryPoint:${yamlList(argv.entry, s, `${p(4)}    `)}`);
      lines.push(`${p(4)}  Command:${yamlList(argv.command, s, `${p(4)}    `)}`);
      return { file: 'cfn/template.yaml', text: lines.join('\n').replace(/\n/g, eol) + eol };
    }
    case 'tf': {
      const hcl = (l: string[]) => `[${l.map((x) => JSON.stringify(x).replace(/\$\{/g, '$${')).join(', ')}]`;
      const lines = ['resource "aws_ecs_task_definition" "t" {', '  family = "app"', '  container_definitions = jsonencode([', '    {', '      name    = "app"', `      image   = "${image}"`];
      if (argv.entry) lines.push(`      entryPoint = ${hcl(argv.entry)}`);
      lines.push(`      command = ${hcl(argv.command)}`, '    }', '  ])', '}');
      return { file: 'infra/main.tf', text: lines.join(eol) + eol };
    }
    default: {
      const lines = ['services:', `${ind}app:`, `${ind}${ind}image: ${image}`];
      if (s.target === 'build') lines.push(`${ind}${ind}build: ../app`);
      const esc = (v: string) => v.replace(/\$/g, '$$$$');
      if (s.list === 'string' && !s.split) lines.push(`${ind}${ind}command: sh -c ${JSON.stringify(esc(payload))}`);
      else {
        if (argv.entry) lines.push(`${ind}${ind}entrypoint:${yamlList(argv.entry.map(esc), s, `${ind}${ind}${ind}`)}`);
        lines.push(`${ind}${ind}command:${yamlList(argv.command.map(esc), s, `${ind}${ind}${ind}`)}`);
      }
      return { file: 'deploy/compose.yaml', text: lines.join(eol) + eol };
    }
  }
}

/** A command file with a runtime install, and the workspace around it. */
export const commandArb: fc.Arbitrary<GeneratedCommand> = ARB.map((s) => {
  const image = s.pinned ? `registry.example.com/team/app:1.0${DIGEST}` : 'registry.example.com/team/app:latest';
  const { file, text } = commandFile(s, image);
  const files: Record<string, string> = { [file]: text };
  const dockerfile = [`FROM ${s.install.base}${DIGEST}`, ...s.install.body, 'CMD ["run"]', ''].join('\n');
  const dir = s.target === 'same-folder' ? file.slice(0, file.lastIndexOf('/')) : 'app';
  if (s.target === 'config') files['.knowngood.yaml'] = 'images:\n  team/app: app/Dockerfile\n';
  if (s.target !== 'none' && (s.target !== 'build' || s.format === 'compose')) {
    files[`${dir}/Dockerfile`] = dockerfile;
    for (const [k, v] of Object.entries(s.install.files ?? {})) files[`${dir}/${k}`] = v;
  }
  return { file, files };
});
