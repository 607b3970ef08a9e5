// Grammars of the structured formats: ECS task definitions (JSON, templated), CloudFormation (YAML or
// JSON, intrinsics), compose files (anchors, merges, `$$`, `.env` variables) and `.knowngood.yaml`.
import fc from 'fast-check';
import { RULE_IDS } from '../../server/src/core/rules';
import { IMAGES } from './gen-dockerfile';
import { script } from './gen-shell';
import { Tagged, toJson, toYaml, YMap, type Value } from './gen-tree';

const choices = fc.array(fc.nat(), { minLength: 8, maxLength: 64 });
const image = fc.constantFrom(...IMAGES);
const junk: fc.Arbitrary<Value> = fc.oneof<fc.Arbitrary<Value>[]>(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean(), fc.constant(null), fc.constant<Value>([]), fc.constant(new YMap([])));

/** A command value: a shell string, an argv, or `sh -c <script>`. */
const command: fc.Arbitrary<Value> = fc.oneof(
  script,
  fc.array(fc.constantFrom('npm', 'install', 'curl', 'https://x', 'node', 'server.js', '/entrypoint.sh', '-c', 'pip', 'install', 'x'), { minLength: 1, maxLength: 4 }),
  script.map((s) => ['sh', '-c', s]),
  script.map((s) => ['CMD-SHELL', s]),
  fc.constantFrom<Value>(['NONE'], ['CMD', 'curl', '-f', 'http://localhost/'], []),
  junk,
);

const entries = (pairs: [string, fc.Arbitrary<Value>][]): fc.Arbitrary<YMap> => {
  const optional = pairs.map(([k, a]) => fc.option(a.map((v): [string, Value] => [k, v]), { freq: 3 }));
  return fc.tuple(fc.tuple(...optional) as fc.Arbitrary<([string, Value] | null)[]>, fc.nat(3)).map(([xs, dup]) => {
    const kept = xs.filter((x): x is [string, Value] => x !== null);
    // Now and then a key twice (a half-edited file).
    if (dup === 0 && kept.length) kept.push(kept[0]);
    return new YMap(kept);
  });
};

const ecsContainer = (keys: { name: string; image: string; command: string; entry: string; health: string; vc: string }, img: fc.Arbitrary<Value>) =>
  entries([
    [keys.name, fc.constantFrom('web', 'worker', '')],
    [keys.image, img],
    [keys.command, command],
    [keys.entry, command],
    [keys.health, entries([['Command', command]]).map((m) => new YMap(m.entries.map(([k, v]) => [keys.health === 'healthCheck' ? 'command' : k, v])))],
    [keys.vc, fc.constantFrom('disabled', 'enabled', 'DISABLED', 1)],
    ['essential', fc.boolean()],
  ]);

const ECS_KEYS = { name: 'name', image: 'image', command: 'command', entry: 'entryPoint', health: 'healthCheck', vc: 'versionConsistency' };
const CFN_KEYS = { name: 'Name', image: 'Image', command: 'Command', entry: 'EntryPoint', health: 'HealthCheck', vc: 'VersionConsistency' };

/** ECS task-definition JSON in its three shapes, sometimes with template placeholders (`${x}`, `%{ … }`). */
export const ecsJson: fc.Arbitrary<string> = fc
  .tuple(fc.array(ecsContainer(ECS_KEYS, fc.oneof(image, fc.constantFrom('${image}', '<IMAGE1_NAME>', '$IMAGE'))), { maxLength: 4 }), fc.nat(2), choices, fc.nat(5))
  .map(([defs, shape, ch, template]) => {
    const v: Value = shape === 0 ? new YMap([['family', 'app'], ['containerDefinitions', defs]]) : shape === 1 ? new YMap([['taskDefinition', new YMap([['containerDefinitions', defs]])]]) : defs;
    let text = toJson(v, ch);
    if (template === 0) text = text.replace(/"essential": (true|false)/, '"essential": ${essential}');
    if (template === 1) text = text.replace(/\[\s*\{/, '[\n%{ for c in containers ~}\n{').replace(/\}\s*\]/, '}\n%{ endfor ~}\n]');
    return text;
  });

const cfnImage: fc.Arbitrary<Value> = fc.oneof(
  image,
  fc.constantFrom<Value>(
    new Tagged('!Ref', 'ImageParam'),
    new Tagged('!Sub', '${Repo.RepositoryUri}:latest'),
    new Tagged('!Sub', '${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/app:${ImageTag}'),
    new Tagged('!Sub', ['${R}:${T}', new YMap([['R', new Tagged('!Ref', 'Repo')], ['T', 'v1']])]),
    new Tagged('!Join', [':', [new Tagged('!GetAtt', 'Repo.RepositoryUri'), 'latest']]),
    new Tagged('!Join', ['', []]),
    new Tagged('!If', ['IsProd', 'nginx:1.27', 'nginx:latest']),
    new Tagged('!FindInMap', ['Images', 'web', 'uri']),
    new Tagged('!Select', [0, ['a:latest', 'b']]),
    new Tagged('!GetAtt', 'Repo.RepositoryUri'),
    new Tagged('!Sub', 5),
    new YMap([['Fn::Sub', '${Repo}:latest']]),
    new YMap([['Ref', 'ImageParam']]),
  ),
);

const cfnResource: fc.Arbitrary<Value> = fc.oneof(
  fc.array(ecsContainer(CFN_KEYS, cfnImage), { maxLength: 3 }).map((defs) => new YMap([['Type', 'AWS::ECS::TaskDefinition'], ['Properties', new YMap([['ContainerDefinitions', defs]])]])),
  entries([
    ['ImageTagMutability', fc.constantFrom<Value>('MUTABLE', 'IMMUTABLE', 'MUTABLE_WITH_EXCLUSION', 'IMMUTABLE_WITH_EXCLUSION', new Tagged('!Ref', 'Mut'), 3)],
    ['ImageTagMutabilityExclusionFilters', fc.constantFrom<Value>([new YMap([['ImageTagMutabilityExclusionFilterType', 'WILDCARD'], ['ImageTagMutabilityExclusionFilterValue', 'dev-*']])], [], 'x')],
    ['RepositoryName', fc.constantFrom('app', '')],
  ]).map((props) => new YMap([['Type', 'AWS::ECR::Repository'], ['Properties', props]])),
  fc.constantFrom<Value>(new YMap([['Type', 'AWS::S3::Bucket']]), new YMap([['Type', 'AWS::ECR::Repository']]), 'notamap', null),
);

/** CloudFormation templates, YAML (short tags) or JSON (long forms). */
export const cloudformation: fc.Arbitrary<{ text: string; json: boolean }> = fc
  .tuple(fc.array(fc.tuple(fc.constantFrom('TaskDef', 'Repo', 'Other', 'Task2'), cfnResource), { maxLength: 4 }), fc.boolean(), fc.boolean(), choices)
  .map(([resources, json, version, ch]) => {
    const top: [string, Value][] = [];
    if (version || json) top.push(['AWSTemplateFormatVersion', '2010-09-09']);
    top.push(['Parameters', new YMap([['ImageParam', new YMap([['Type', 'String'], ['Default', 'nginx:latest']])], ['ImageTag', new YMap([['Default', 'v1']])]])]);
    top.push(['Resources', new YMap(resources.length ? resources : [['TaskDef', new YMap([['Type', 'AWS::ECS::TaskDefinition']])]])]);
    const v = new YMap(top);
    return { text: json ? toJson(v, ch) : toYaml(v, ch), json };
  });

const composeService = entries([
  ['image', fc.oneof(image, fc.constantFrom('${IMAGE}', '${IMAGE:-nginx:latest}', 'app:${TAG:?}', '$$literal', '${REG}/x:1'))],
  ['command', command],
  ['entrypoint', command],
  ['healthcheck', entries([['test', command], ['interval', fc.constant('5s')]])],
  ['build', fc.constantFrom<Value>('.', new YMap([['context', '.']]))],
  ['environment', fc.constantFrom<Value>(['A=1'], new YMap([['B', '$$x']]))],
]);

/** Compose files: services (some merging an anchored `x-common` block), and the `.env` beside them. */
export const compose: fc.Arbitrary<{ text: string; env: string }> = fc
  .tuple(fc.array(fc.tuple(fc.constantFrom('web', 'db', 'worker', 'x'), composeService, fc.boolean()), { maxLength: 4 }), fc.option(composeService), choices, fc.constantFrom('', 'IMAGE=redis:latest\nTAG=1\n', 'REG=ghcr.io\n# c\nexport X="y"\n', 'broken line\n=\n'))
  .map(([services, common, ch, env]) => {
    const top: [string, Value][] = [];
    if (common) top.push(['x-common', common]);
    top.push(['services', new YMap(services.map(([n, s, merge]) => [n, merge && common ? new YMap([['<<', common], ...s.entries]) : s]))]);
    let text = toYaml(new YMap(top), ch);
    // The merge key points at the anchored block when there is one.
    if (common) text = text.replace(/^x-common:/m, 'x-common: &common');
    return { text, env };
  });

/** `.knowngood.yaml`: rules and ignores, valid or not, and keys that must be refused (credential helpers among them). */
export const knownGoodConfig: fc.Arbitrary<string> = fc
  .tuple(
    fc.option(fc.array(fc.tuple(fc.constantFrom(...RULE_IDS, 'no-such-rule', ''), fc.constantFrom<Value>('error', 'warning', 'info', 'hint', 'off', 'loud', 1, null)), { maxLength: 5 })),
    fc.option(fc.array(fc.oneof(fc.constantFrom<Value>('legacy/', '**/*.json', '', 5), entries([['path', fc.constantFrom<Value>('a/b', '', 7)], ['pointer', fc.constantFrom<Value>('/containerDefinitions/0', 'nope', '')], ['rules', fc.constantFrom<Value>(['latest-tag'], 'missing-digest', ['x'], [])]])), { maxLength: 4 })),
    fc.option(fc.constantFrom<[string, Value]>(['credHelpers', new YMap([['ghcr.io', 'evil']])], ['credsStore', 'evil'], ['network', new YMap([['enabled', true]])], ['registry', new YMap([['insecureRegistries', ['x']]])], ['maxFileSizeKB', 1])),
    choices,
  )
  .map(([rules, ignore, extra, ch]) => {
    const top: [string, Value][] = [];
    if (rules) top.push(['rules', new YMap(rules)]);
    if (ignore) top.push(['ignore', ignore]);
    if (extra) top.push(extra);
    return toYaml(new YMap(top), ch);
  });
