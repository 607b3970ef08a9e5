// The pin fixture workspace, written once as templates: every image reference goes through `ref`,
// so the same bytes give the input (references as tags) and the expected output (pinned).

/** Renders the reference `name:tag` (name without the registry host) as the file should hold it. */
export type RefRenderer = (name: string, tag: string, kind: 'dockerfile' | 'compose' | 'ecs') => string;

/**
 * The mixed workspace: a multi-stage Dockerfile (`--platform=$BUILDPLATFORM`, `COPY --from=` an
 * image and a stage, `FROM ${BASE}`), a task definition with a BOM and CRLF line ends (one tag
 * that does not exist), CloudFormation with a quoted image and a comment, Terraform `jsonencode`,
 * compose with a plain scalar and a `${VAR}` image.
 */
export function mixedWorkspace(ref: RefRenderer): Record<string, string> {
  const d = (n: string, t: string) => ref(n, t, 'dockerfile');
  const e = (n: string, t: string) => ref(n, t, 'ecs');
  return {
    Dockerfile: [
      'ARG BASE',
      `FROM --platform=$BUILDPLATFORM ${d('demo/app', '1.0')} AS build`,
      `COPY --from=${d('demo/tools', '2.0')} /bin/tool /usr/local/bin/tool`,
      'RUN make',
      'FROM ${BASE}',
      'COPY --from=build /out /out',
      '',
    ].join('\n'),
    'task-definition.json':
      '\ufeff' +
      [
        '{',
        '  "family": "web",',
        '  "containerDefinitions": [',
        '    {',
        '      "name": "app",',
        `      "image": "${e('demo/app', '1.0')}",`,
        '      "essential": true',
        '    },',
        '    {',
        '      "name": "sidecar",',
        `      "image": "${e('demo/app', '9.9')}"`,
        '    }',
        '  ]',
        '}',
        '',
      ].join('\r\n'),
    'template.yaml': [
      "AWSTemplateFormatVersion: '2010-09-09'",
      'Resources:',
      '  TaskDef:',
      '    Type: AWS::ECS::TaskDefinition',
      '    Properties:',
      '      ContainerDefinitions:',
      '        - Name: web',
      `          Image: "${e('demo/multi', '3.0')}" # the multi-platform one`,
      '',
    ].join('\n'),
    'main.tf': [
      'resource "aws_ecs_task_definition" "app" {',
      '  family = "app"',
      '  container_definitions = jsonencode([',
      '    {',
      '      name  = "app"',
      `      image = "${e('demo/app', '1.0')}"`,
      '    }',
      '  ])',
      '}',
      '',
    ].join('\n'),
    'compose.yaml': ['services:', '  web:', `    image: ${ref('demo/app', '1.0', 'compose')}`, '  worker:', '    image: ${WORKER_IMAGE}', ''].join('\n'),
    // Git-ignored: never read, never written.
    '.gitignore': 'ignored/\n',
    'ignored/Dockerfile': `FROM ${d('demo/app', '1.0')}\n`,
  };
}

/** `host/name:tag`: the input form. */
export const asTag =
  (host: string): RefRenderer =>
  (name, tag) =>
    `${host}/${name}:${tag}`;

/**
 * The pinned form: `host/name:tag@digest`, or `host/name@digest` for task definitions,
 * CloudFormation and Terraform with `digest-only`. Tags without a digest in `digests` stay as they are.
 */
export function asPinned(host: string, digests: Record<string, string>, style: 'tag-and-digest' | 'digest-only' = 'tag-and-digest'): RefRenderer {
  return (name, tag, kind) => {
    const digest = digests[`${name}:${tag}`];
    if (!digest) return `${host}/${name}:${tag}`;
    return style === 'digest-only' && kind === 'ecs' ? `${host}/${name}@${digest}` : `${host}/${name}:${tag}@${digest}`;
  };
}

