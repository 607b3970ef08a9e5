// ecr-mutable-tags: ECR repositories whose tags can move.
import { ruleTable } from './harness';

const cfn = (props: string) => `AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Repo:\n    Type: AWS::ECR::Repository\n    Properties:\n      RepositoryName: app\n${props}`;
ruleTable('ecr-mutable-tags', {
  valid: [
    { name: 'IMMUTABLE', file: 'ecr.yaml', text: cfn('      ImageTagMutability: IMMUTABLE\n') },
    { name: 'Terraform IMMUTABLE', file: 'ecr.tf', text: 'resource "aws_ecr_repository" "r" {\n  name = "app"\n  image_tag_mutability = "IMMUTABLE"\n}\n' },
    { name: 'mutability from a variable cannot be decided', file: 'ecr.tf', text: 'resource "aws_ecr_repository" "r" {\n  name = var.name\n  image_tag_mutability = var.image_tag_mutability\n}\n' },
    {
      name: 'IMMUTABLE_WITH_EXCLUSION with no matching tag in use',
      file: 'ecr.yaml',
      text: cfn('      ImageTagMutability: IMMUTABLE_WITH_EXCLUSION\n      ImageTagMutabilityExclusionFilters:\n        - ImageTagMutabilityExclusionFilterType: WILDCARD\n          ImageTagMutabilityExclusionFilterValue: dev-*\n'),
      files: { 'td.json': '{"containerDefinitions":[{"name":"a","image":"1.dkr.ecr.us-east-1.amazonaws.com/app:1.0.0"}]}' },
    },
  ],
  invalid: [
    { name: 'omitted (CloudFormation)', file: 'ecr.yaml', text: cfn(''), expect: [{ line: 4, text: 'Type: AWS::ECR::Repository', message: 'default' }] },
    { name: 'explicit MUTABLE', file: 'ecr.yaml', text: cfn('      ImageTagMutability: MUTABLE\n'), expect: [{ line: 7, text: 'ImageTagMutability: MUTABLE' }] },
    { name: 'Terraform explicit', file: 'ecr.tf', text: 'resource "aws_ecr_repository" "r" {\n  name                 = "keycloak"\n  image_tag_mutability = "MUTABLE"\n}\n', expect: [{ line: 3, text: 'image_tag_mutability = "MUTABLE"' }] },
    { name: 'Terraform omitted', file: 'ecr.tf', text: 'resource "aws_ecr_repository" "r" {\n  name = "app"\n}\n', expect: [{ line: 1, text: 'resource "aws_ecr_repository" "r"' }] },
    {
      name: 'IMMUTABLE_WITH_EXCLUSION and a task definition uses an excluded tag',
      file: 'ecr.yaml',
      text: cfn('      ImageTagMutability: IMMUTABLE_WITH_EXCLUSION\n      ImageTagMutabilityExclusionFilters:\n        - ImageTagMutabilityExclusionFilterType: WILDCARD\n          ImageTagMutabilityExclusionFilterValue: dev-*\n'),
      files: { 'td.json': '{"containerDefinitions":[{"name":"a","image":"1.dkr.ecr.us-east-1.amazonaws.com/app:dev-42"}]}' },
      expect: [{ line: 7, text: 'ImageTagMutability: IMMUTABLE_WITH_EXCLUSION', message: 'dev-42' }],
    },
  ],
});
