// version-consistency-disabled: ECS container definitions that opt out of per-deployment digests.
import { ruleTable } from './harness';

ruleTable('version-consistency-disabled', {
  valid: [
    { name: 'enabled', file: 'td.json', text: '{"containerDefinitions":[{"name":"a","image":"x:1.0.0","versionConsistency":"enabled"}]}' },
    { name: 'absent', file: 'td.json', text: '{"containerDefinitions":[{"name":"a","image":"x:1.0.0"}]}' },
  ],
  invalid: [
    { name: 'task definition JSON', file: 'td.json', text: '{"containerDefinitions":[{\n  "name":"a","image":"x:1.0.0",\n  "versionConsistency": "disabled"\n}]}', expect: [{ line: 3, text: '"versionConsistency": "disabled"' }] },
    {
      name: 'CloudFormation',
      file: 'stack.yaml',
      text: "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Name: web\n          Image: nginx:1.27.0\n          VersionConsistency: disabled\n",
      expect: [{ line: 9, text: 'VersionConsistency: disabled' }],
    },
  ],
});
