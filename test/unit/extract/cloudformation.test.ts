// Table tests for the CloudFormation extractor (YAML short tags, JSON long forms), plus the corpus templates.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { extractCloudFormation } from '../../../server/src/core/extract/cloudformation';
import { VARIABLE_REPOSITORY } from '../../../server/src/core/model';
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

const ctx = { files: new Map<string, string>() };
const extract = (text: string, file = 'template.yaml') => extractCloudFormation(file, text, ctx);
const POINTER = '/Resources/Task/Properties/ContainerDefinitions/0/Image';

/** A YAML template with one container whose Image is `image` (and extra container lines). */
function yamlTask(image: string, extra = '', head = ''): string {
  return `AWSTemplateFormatVersion: '2010-09-09'
${head}Parameters:
  ImageParam:
    Type: String
    Default: nginx:1.25
  NoDefault:
    Type: String
  Tag:
    Type: String
    Default: '1.0'
Resources:
  Repo:
    Type: AWS::ECR::Repository
    Properties:
      ImageTagMutability: IMMUTABLE
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: app
          Image: ${image}
${extra}`;
}

describe('cloudformation: image references', () => {
  type V = { expression: string; covers: 'registry' | 'tag-or-whole'; defaultValue?: string; defaultSource?: string };
  const cases: { name: string; image: string; span: string; resolved?: string; variable?: V }[] = [
    { name: 'plain', image: 'public.ecr.aws/docker/library/alpine:latest', span: 'public.ecr.aws/docker/library/alpine:latest', resolved: 'public.ecr.aws/docker/library/alpine:latest' },
    { name: 'quoted', image: '"nginx:1.25.3"', span: 'nginx:1.25.3', resolved: 'nginx:1.25.3' },
    {
      name: '!Sub repository with a literal tag',
      image: "!Sub '${Repo.RepositoryUri}:latest'",
      span: '${Repo.RepositoryUri}:latest',
      resolved: `${VARIABLE_REPOSITORY}:latest`,
      variable: { expression: '${Repo.RepositoryUri}', covers: 'registry' },
    },
    {
      name: 'bare !GetAtt RepositoryUri is untagged',
      image: '!GetAtt Repo.RepositoryUri',
      span: '!GetAtt Repo.RepositoryUri',
      resolved: VARIABLE_REPOSITORY,
      variable: { expression: '!GetAtt Repo.RepositoryUri', covers: 'registry' },
    },
    {
      name: '!Join with GetAtt and a literal tag',
      image: "!Join [':', [!GetAtt Repo.RepositoryUri, 'latest']]",
      span: "!Join [':', [!GetAtt Repo.RepositoryUri, 'latest']]",
      resolved: `${VARIABLE_REPOSITORY}:latest`,
      variable: { expression: '!GetAtt Repo.RepositoryUri', covers: 'registry' },
    },
    {
      name: '!Ref parameter with a default',
      image: '!Ref ImageParam',
      span: '!Ref ImageParam',
      resolved: 'nginx:1.25',
      variable: { expression: '!Ref ImageParam', covers: 'tag-or-whole', defaultValue: 'nginx:1.25', defaultSource: 'Parameters.ImageParam.Default' },
    },
    { name: '!Ref parameter without default', image: '!Ref NoDefault', span: '!Ref NoDefault', variable: { expression: '!Ref NoDefault', covers: 'tag-or-whole' } },
    {
      name: '!Sub tag from a parameter with a default',
      image: "!Sub '${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/app:${Tag}'",
      span: '${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/app:${Tag}',
      resolved: `${VARIABLE_REPOSITORY}:1.0`,
      variable: { expression: '${Tag}', covers: 'tag-or-whole', defaultValue: '1.0', defaultSource: 'Parameters.Tag.Default' },
    },
    {
      name: '!Sub with a variables map',
      image: "!Sub ['${R}:latest', {R: !GetAtt Repo.RepositoryUri}]",
      span: '${R}:latest',
      resolved: `${VARIABLE_REPOSITORY}:latest`,
      variable: { expression: '!GetAtt Repo.RepositoryUri', covers: 'registry' },
    },
    { name: '!Sub escaped ${!Literal} is literal', image: "!Sub 'app:${!x}'", span: 'app:${!x}', resolved: 'app:${x}' },
    { name: '!If is a variable', image: '!If [Prod, nginx:1, nginx:2]', span: '!If [Prod, nginx:1, nginx:2]', variable: { expression: '!If [Prod, nginx:1, nginx:2]', covers: 'tag-or-whole' } },
    { name: 'Fn::ImportValue is a variable', image: '!ImportValue shared-image', span: '!ImportValue shared-image', variable: { expression: '!ImportValue shared-image', covers: 'tag-or-whole' } },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const text = yamlTask(c.image);
      const m = extract(text);
      assert.deepEqual(m.problems, []);
      assert.deepEqual(images(m), [{ text: c.span, resolved: c.resolved, ...(c.variable ? { variable: c.variable } : {}), pointer: POINTER }]);
      assert.equal(m.images[0].context, 'cfn-image');
    });
  }

  test('an SSM parameter default names the parameter, not the image', () => {
    const text = "Parameters:\n  Img:\n    Type: AWS::SSM::Parameter::Value<String>\n    Default: /app/image\nResources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Image: !Ref Img\n";
    assert.deepEqual(images(extract(text)), [{ text: '!Ref Img', resolved: undefined, variable: { expression: '!Ref Img', covers: 'tag-or-whole' }, pointer: POINTER }]);
  });

  test('long forms in YAML', () => {
    const text = yamlTask('\n            Fn::Sub: "${Repo.RepositoryUri}:latest"');
    assert.deepEqual(images(extract(text)), [
      { text: '${Repo.RepositoryUri}:latest', resolved: `${VARIABLE_REPOSITORY}:latest`, variable: { expression: '${Repo.RepositoryUri}', covers: 'registry' }, pointer: POINTER },
    ]);
  });

  const json = (image: string) =>
    `{"Parameters": {"P": {"Type": "String", "Default": "node:20"}}, "Resources": {"Task": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"ContainerDefinitions": [{"Image": ${image}}]}}}}`;
  const jsonCases: { image: string; span: string; resolved?: string; covers?: 'registry' | 'tag-or-whole' }[] = [
    { image: '"nginx:latest"', span: 'nginx:latest', resolved: 'nginx:latest' },
    { image: '{"Ref": "P"}', span: '{"Ref": "P"}', resolved: 'node:20', covers: 'tag-or-whole' },
    { image: '{"Fn::Sub": "${Repo.RepositoryUri}:v1"}', span: '${Repo.RepositoryUri}:v1', resolved: `${VARIABLE_REPOSITORY}:v1`, covers: 'registry' },
    { image: '{"Fn::GetAtt": ["Repo", "RepositoryUri"]}', span: '{"Fn::GetAtt": ["Repo", "RepositoryUri"]}', resolved: VARIABLE_REPOSITORY, covers: 'registry' },
    { image: '{"Fn::Join": [":", [{"Fn::GetAtt": ["Repo", "RepositoryUri"]}, "latest"]]}', span: '{"Fn::Join": [":", [{"Fn::GetAtt": ["Repo", "RepositoryUri"]}, "latest"]]}', resolved: `${VARIABLE_REPOSITORY}:latest`, covers: 'registry' },
    { image: '{"Fn::Join": ["", ["nginx", ":", {"Ref": "AWS::NoValue"}]]}', span: '{"Fn::Join": ["", ["nginx", ":", {"Ref": "AWS::NoValue"}]]}', covers: 'tag-or-whole' },
  ];
  for (const c of jsonCases) {
    test(`JSON ${c.image}`, () => {
      const text = json(c.image);
      const m = extract(text, 'template.json');
      assert.deepEqual(m.problems, []);
      const [site] = m.images;
      assert.equal(slice(text, site.span), c.span);
      assert.equal(site.resolved, c.resolved);
      assert.equal(site.variable?.covers, c.covers);
    });
  }
});

describe('cloudformation: commands', () => {
  const cases: { name: string; extra: string; expect: ReturnType<typeof commands>; exact?: (string | undefined)[][] }[] = [
    {
      name: 'EntryPoint and Command together',
      extra: "          EntryPoint: [sh, -c]\n          Command:\n            - 'pip install x && python app.py'\n",
      expect: [{ context: 'ecs-command', argv: ['sh', '-c', 'pip install x && python app.py'] }],
      exact: [['sh', '-c', 'pip install x && python app.py']],
    },
    {
      name: 'numbers and quoted escapes map exactly',
      extra: '          Command: [ping, -c, 4, "it\\"s", \'it\'\'s\']\n',
      expect: [{ context: 'ecs-command', argv: ['ping', '-c', '4', 'it"s', "it's"] }],
      exact: [['ping', '-c', '4', 'it\\"s', "it''s"]],
    },
    {
      name: '!Sub strings are shell text; !Ref elements are skipped',
      extra: "          Command: [sh, -c, !Sub 'curl ${Url} | sh', !Ref Arg]\n",
      expect: [{ context: 'ecs-command', argv: ['sh', '-c', 'curl ${Url} | sh'] }],
    },
    {
      name: 'literal block script maps line by line',
      extra: '          EntryPoint:\n            - sh\n            - -c\n            - |\n              apt-get update\n              apt-get install -y curl\n',
      expect: [{ context: 'ecs-entrypoint', argv: ['sh', '-c', 'apt-get update\napt-get install -y curl\n'] }],
    },
    {
      name: 'folded block script is coarse',
      extra: '          Command:\n            - >\n              pip install\n              flask\n',
      expect: [{ context: 'ecs-command', argv: ['pip install flask\n'] }],
      exact: [[undefined]],
    },
    {
      name: 'HealthCheck CMD-SHELL',
      extra: "          HealthCheck:\n            Command: [CMD-SHELL, 'curl -f http://localhost/ || exit 1']\n",
      expect: [{ context: 'ecs-healthcheck', script: 'curl -f http://localhost/ || exit 1' }],
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const text = yamlTask('nginx:1.25.3', c.extra);
      const m = extract(text);
      assert.deepEqual(m.problems, []);
      assert.deepEqual(commands(m), c.expect);
      if (c.exact) assert.deepEqual(commandSourceTexts(m), c.exact);
      assertSpansInside(m);
    });
  }

  test('a literal block maps each character to its line', () => {
    const text = yamlTask('nginx:1.25.3', '          Command:\n            - |\n              echo a\n              pip install b\n');
    const src = extract(text).commands[0].argv![0];
    assert.equal(mapped(text, src, src.text.indexOf('pip'), src.text.indexOf('b\n') + 1), 'pip install b');
  });
});

describe('cloudformation: version consistency and ECR repositories', () => {
  test('VersionConsistency: disabled (YAML and JSON)', () => {
    const y = yamlTask('nginx:1.25.3', '          VersionConsistency: disabled # why\n');
    assert.deepEqual(extract(y).versionConsistency.map((v) => [slice(y, v.span), v.pointer]), [
      ['VersionConsistency: disabled', '/Resources/Task/Properties/ContainerDefinitions/0/VersionConsistency'],
    ]);
    const j = '{"Resources": {"T": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"ContainerDefinitions": [{"VersionConsistency": "enabled"}, {"VersionConsistency": "disabled"}]}}}}';
    assert.deepEqual(extract(j, 't.json').versionConsistency.map((v) => slice(j, v.span)), ['"VersionConsistency": "disabled"']);
  });

  const repo = (props: string) => `Resources:\n  Repo:\n    Type: AWS::ECR::Repository\n${props}`;
  const cases: { name: string; text: string; expect: { span: string; name: string; mutability?: string; explicit: boolean; filters: string[]; pointer: string } }[] = [
    {
      name: 'explicit MUTABLE',
      text: repo('    Properties:\n      RepositoryName: my-app\n      ImageTagMutability: MUTABLE\n'),
      expect: { span: 'ImageTagMutability: MUTABLE', name: 'my-app', mutability: 'MUTABLE', explicit: true, filters: [], pointer: '/Resources/Repo/Properties/ImageTagMutability' },
    },
    {
      name: 'omitted: the Type line, named by logical id when the name is not literal',
      text: repo('    Properties:\n      RepositoryName: !Ref Name\n'),
      expect: { span: 'Type: AWS::ECR::Repository', name: 'Repo', explicit: false, filters: [], pointer: '/Resources/Repo/Type' },
    },
    {
      name: 'omitted without Properties',
      text: repo(''),
      expect: { span: 'Type: AWS::ECR::Repository', name: 'Repo', explicit: false, filters: [], pointer: '/Resources/Repo/Type' },
    },
    {
      name: 'from a parameter: variable',
      text: repo('    Properties:\n      ImageTagMutability: !Ref Mutability\n'),
      expect: { span: 'ImageTagMutability: !Ref Mutability', name: 'Repo', mutability: 'variable', explicit: true, filters: [], pointer: '/Resources/Repo/Properties/ImageTagMutability' },
    },
    {
      name: 'exclusion filters',
      text: repo(
        '    Properties:\n      ImageTagMutability: IMMUTABLE_WITH_EXCLUSION\n      ImageTagMutabilityExclusionFilters:\n        - ImageTagMutabilityExclusionFilterType: WILDCARD\n          ImageTagMutabilityExclusionFilterValue: dev-*\n',
      ),
      expect: { span: 'ImageTagMutability: IMMUTABLE_WITH_EXCLUSION', name: 'Repo', mutability: 'IMMUTABLE_WITH_EXCLUSION', explicit: true, filters: ['dev-*'], pointer: '/Resources/Repo/Properties/ImageTagMutability' },
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const m = extract(c.text);
      assert.deepEqual(
        m.ecrRepositories.map((r) => ({ span: slice(c.text, r.span), name: r.name, ...(r.mutability !== undefined ? { mutability: r.mutability } : {}), explicit: r.explicit, filters: r.exclusionFilters, pointer: r.pointer })),
        [c.expect],
      );
    });
  }

  test('JSON omitted mutability: the Type pair', () => {
    const text = '{"Resources": {"R": {"Type": "AWS::ECR::Repository", "Properties": {"RepositoryName": "x"}}}}';
    const [r] = extract(text, 't.json').ecrRepositories;
    assert.equal(slice(text, r.span), '"Type": "AWS::ECR::Repository"');
    assert.equal(r.name, 'x');
  });
});

describe('cloudformation: documents and bad input', () => {
  test('several YAML documents and end markers', () => {
    const text = `---\nResources:\n  A:\n    Type: AWS::ECR::Repository\n...\n---\nResources:\n  B:\n    Type: AWS::ECR::Repository\n    Properties: {ImageTagMutability: IMMUTABLE}\n...\n`;
    assert.deepEqual(extract(text).ecrRepositories.map((r) => [r.name, r.explicit]), [['A', false], ['B', true]]);
  });

  test('invalid YAML gives problems and no exception', () => {
    const m = extract('Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties: {ContainerDefinitions: [{Image: nginx\n');
    assert.ok(m.problems.length > 0);
    assertSpansInside(m);
  });

  test('every prefix of a template extracts without throwing, spans inside the text', () => {
    const full = yamlTask("!Join [':', [!GetAtt Repo.RepositoryUri, 'latest']]", "          Command: [sh, -c, 'a ''b''']\n          HealthCheck: {Command: [CMD-SHELL, \"x\\ty\"]}\n          VersionConsistency: disabled\n");
    for (let i = 0; i <= full.length; i += 3) assertSpansInside(extract(full.slice(0, i)));
    const j = '{"Resources": {"T": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"ContainerDefinitions": [{"Image": {"Fn::Sub": "${R.RepositoryUri}:1"}, "Command": ["a"]}]}}}}';
    for (let i = 0; i <= j.length; i++) assertSpansInside(extract(j.slice(0, i), 't.json'));
  });
});

describe('cloudformation: corpus', () => {
  for (const entry of corpusEntries('cfn')) {
    test(`${entry.id} ${entry.file.split('/').pop()}`, () => {
      const text = corpusText(entry);
      const m = extract(text, entry.file);
      assertSpansInside(m);
      assert.deepEqual(m.problems, []);
      for (const label of entry.expect) assert.ok(coversLabel(m, label), `line ${label.line} (${label.category}) not extracted`);
      const labelled = new Set(entry.expect.map((l) => l.line));
      for (const line of reportableLines(m)) assert.ok(labelled.has(line), `unlabelled reportable site on line ${line}`);
    });
  }

  test('cfn-012: EntryPoint ping with Command arguments is one argv', () => {
    const entry = corpusEntries('cfn').find((e) => e.id === 'cfn-012')!;
    assert.deepEqual(commands(extract(corpusText(entry), entry.file)), [{ context: 'ecs-command', argv: ['ping', '-c', '4', 'amazon.com'] }]);
  });
});

describe('cloudformation: mutated corpus files', () => {
  for (const entry of corpusEntries('cfn')) {
    test(`${entry.id}: 80 mutations extract without throwing, spans inside the text`, () => {
      for (const t of mutations(corpusText(entry), 80, [...entry.id].reduce((a, c) => a * 31 + c.charCodeAt(0), 7))) assertSpansInside(extract(t, entry.file));
    });
  }
});
