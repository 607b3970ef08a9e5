// CloudFormation templates (YAML with intrinsics, some JSON): ECR repositories of every mutability,
// ECS task definitions with images from !Sub/!Ref/literals, commands, IAM roles and log groups.
import { digest, ecrImage, imageRef } from './images.mjs';

function ecrRepo(rng, name) {
  const out = [`  ${name}Repository:`, '    Type: AWS::ECR::Repository', '    Properties:', `      RepositoryName: !Sub "\${Prefix}-${name.toLowerCase()}"`];
  const m = rng.next();
  if (m < 0.35) out.push('      ImageTagMutability: MUTABLE');
  else if (m < 0.7) out.push('      ImageTagMutability: IMMUTABLE');
  else if (m < 0.75) out.push('      ImageTagMutability: !Ref TagMutability');
  out.push('      ImageScanningConfiguration:', '        ScanOnPush: true');
  return out;
}

function taskDef(rng, name, service) {
  const image = rng.pick([
    `!Sub "\${${name}Repository.RepositoryUri}:latest"`,
    `!Sub "\${${name}Repository.RepositoryUri}:\${ImageTag}"`,
    '!Ref ImageUri',
    `!GetAtt ${name}Repository.RepositoryUri`,
    JSON.stringify(ecrImage(rng, service)),
    imageRef(rng),
    `nginx:1.27@${digest(rng)}`,
  ]);
  const out = [
    `  ${name}TaskDefinition:`, '    Type: AWS::ECS::TaskDefinition', '    Properties:', `      Family: ${service}`, '      Cpu: "512"', '      Memory: "1024"',
    '      NetworkMode: awsvpc', '      RequiresCompatibilities:', '        - FARGATE', '      ExecutionRoleArn: !GetAtt ExecutionRole.Arn', '      ContainerDefinitions:',
    `        - Name: ${service}`, `          Image: ${image}`, '          Essential: true', '          PortMappings:', '            - ContainerPort: 8080',
  ];
  const r = rng.next();
  if (r < 0.1) out.push('          Command:', '            - sh', '            - -c', '            - "pip install -r requirements.txt && python app.py"');
  else if (r < 0.15) out.push('          EntryPoint: ["sh", "-c"]', '          Command: ["curl -fsSL https://example.com/setup.sh | bash && ./run"]');
  else if (r < 0.5) out.push('          Command: ["./bin/server", "--port", "8080"]');
  if (rng.chance(0.05)) out.push('          VersionConsistency: disabled');
  out.push('          LogConfiguration:', '            LogDriver: awslogs', '            Options:', '              awslogs-group: !Ref LogGroup', '              awslogs-region: !Ref AWS::Region', `              awslogs-stream-prefix: ${name.toLowerCase()}`);
  out.push('          Environment:');
  for (let i = 0; i < rng.int(1, 6); i++) out.push(`            - Name: SETTING_${i}`, `              Value: "${rng.hex(8)}"`);
  return out;
}

function commonResources(rng) {
  return [
    '  LogGroup:', '    Type: AWS::Logs::LogGroup', '    Properties:', '      LogGroupName: !Sub /ecs/${Prefix}', `      RetentionInDays: ${rng.pick([7, 14, 30, 90])}`, '',
    '  ExecutionRole:', '    Type: AWS::IAM::Role', '    Properties:', '      AssumeRolePolicyDocument:', "        Version: '2012-10-17'", '        Statement:',
    '          - Effect: Allow', '            Principal:', '              Service: ecs-tasks.amazonaws.com', '            Action: sts:AssumeRole', '      ManagedPolicyArns:',
    '        - arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy', '',
  ];
}

function header(rng) {
  return [
    "AWSTemplateFormatVersion: '2010-09-09'", `Description: ${rng.pick(['Service stack', 'ECS Fargate service and its repository', 'Workers'])}`, '', 'Parameters:',
    '  Prefix:', '    Type: String', `    Default: app-${rng.hex(4)}`, '  ImageTag:', '    Type: String', '    Default: latest', '  ImageUri:', '    Type: String',
    '  TagMutability:', '    Type: String', '    Default: IMMUTABLE', '', 'Resources:',
  ];
}

/** Resources for one service: maybe a repository, always a task definition. */
function serviceBlock(rng, k, service) {
  const name = `Svc${k}`;
  return [...(rng.chance(0.7) ? ecrRepo(rng, name) : []), '', ...taskDef(rng, name, `${service}-${k}`), ''];
}

/** A CloudFormation template for `services` services; YAML mostly, JSON (converted by hand) sometimes. */
export function cloudFormation(rng, service, services = rng.int(1, 4)) {
  const out = [...header(rng), ...commonResources(rng)];
  for (let k = 0; k < services; k++) out.push(...serviceBlock(rng, k, service));
  out.push('Outputs:', '  LogGroupName:', '    Value: !Ref LogGroup');
  return out.join('\n') + '\n';
}

/** A YAML template of exactly `lines` lines (service blocks, padded with comment lines). */
export function cloudFormationOfLines(rng, lines) {
  const tail = ['Outputs:', '  LogGroupName:', '    Value: !Ref LogGroup'];
  const out = [...header(rng), ...commonResources(rng)];
  for (let k = 0; ; k++) {
    const block = serviceBlock(rng, k, 'big');
    if (out.length + block.length > lines - tail.length) break;
    out.push(...block);
  }
  while (out.length < lines - tail.length) out.push(`  # reserved ${out.length}`);
  return [...out, ...tail].join('\n') + '\n';
}

/** A small JSON template (as CDK synthesises): a repository and a task definition. */
export function cloudFormationJson(rng, service) {
  const repo = { Type: 'AWS::ECR::Repository', Properties: { RepositoryName: service } };
  if (rng.chance(0.5)) repo.Properties.ImageTagMutability = rng.pick(['MUTABLE', 'IMMUTABLE', 'MUTABLE_WITH_EXCLUSION', 'IMMUTABLE_WITH_EXCLUSION']);
  const container = { Name: service, Image: rng.chance(0.5) ? { 'Fn::Sub': '${Repo.RepositoryUri}:latest' } : imageRef(rng), Essential: true };
  if (rng.chance(0.1)) container.VersionConsistency = 'disabled';
  const td = { Type: 'AWS::ECS::TaskDefinition', Properties: { Family: service, ContainerDefinitions: [container], Cpu: '256', Memory: '512' } };
  return JSON.stringify({ Resources: { Repo: repo, TaskDef: td } }, null, 1) + '\n';
}
