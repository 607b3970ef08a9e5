// ecr-mutable-tags: set `IMMUTABLE` (CloudFormation YAML/JSON, Terraform), or insert the setting where it is missing.
import { stripBom } from '../analyze';
import type { EcrRepositorySite } from '../model';
import type { RawFinding } from '../types';
import { insertAttribute } from './hcl-edit';
import { insertMember, insertMemberAfter, nodeAt, parseJsonStrict, pointerPath } from './json-edit';
import { indentAt } from './text';
import { notFixable, type FixInput, type FixResult, type TextEditSpan } from './types';
import { insertAfterLine, insertEntry, pairOf, parseYamlDocs, quoteLike } from './yaml-edit';
import { isMap, isScalar, type Node as YamlNode } from 'yaml';

const KEY = 'ImageTagMutability';

/** Replace the last `MUTABLE` word inside `span` (the explicit setting) with `IMMUTABLE`, quotes kept. */
function replaceValue(text: string, site: EcrRepositorySite): TextEditSpan {
  const slice = text.slice(site.span.start, site.span.end);
  const matches = [...slice.matchAll(/(?<![A-Za-z_])MUTABLE(?![A-Za-z_])/gi)];
  const m = matches[matches.length - 1];
  if (!m || m.index === undefined) notFixable('the MUTABLE value was not found');
  const start = site.span.start + m.index;
  return { span: { start, end: start + m[0].length }, newText: 'IMMUTABLE' };
}

function insertYaml(text: string, site: EcrRepositorySite): TextEditSpan {
  const path = pointerPath(site.pointer ?? '').slice(0, -1);
  const doc = parseYamlDocs(text).find((d) => d.range[0] <= site.span.start && site.span.start <= d.range[2]);
  if (!doc) notFixable('the template was not found');
  const resource = doc.getIn(path, true) as YamlNode | undefined;
  if (!isMap(resource) || resource.flow) notFixable('the resource is not a block mapping');
  const type = pairOf(resource, 'Type');
  const typeKey = type?.key as YamlNode | undefined;
  const value = quoteLike('IMMUTABLE', type?.value);
  const key = quoteLike(KEY, type?.key);
  const props = pairOf(resource, 'Properties');
  const resKey = pairOf(doc.getIn(path.slice(0, -1), true), String(path[path.length - 1]))?.key as YamlNode | undefined;
  const typeIndent = typeKey?.range ? indentAt(text, typeKey.range[0]) : '';
  const resIndent = resKey?.range ? indentAt(text, resKey.range[0]) : '';
  const step = typeIndent.length > resIndent.length ? typeIndent.slice(resIndent.length) : '  ';
  if (!props) {
    if (!typeKey?.range) notFixable('the resource has no Type line to add Properties after');
    return insertAfterLine(text, (type!.value as YamlNode).range![1] - 1, [`${typeIndent}${quoteLike('Properties', type!.key)}:`, `${typeIndent}${step}${key}: ${value}`]);
  }
  const v = props.value as YamlNode | null;
  if (v === null || (isScalar(v) && v.value === null && !text.slice(v.range![0], v.range![1]).trim())) {
    const k = props.key as YamlNode;
    return insertAfterLine(text, k.range![0], [`${indentAt(text, k.range![0])}${step}${key}: ${value}`]);
  }
  if (!isMap(v)) notFixable('Properties is not a mapping');
  return insertEntry(text, v, key, value);
}

function insertJson(text: string, site: EcrRepositorySite): TextEditSpan {
  const root = parseJsonStrict(text);
  const path = pointerPath(site.pointer ?? '').slice(0, -1);
  const resource = nodeAt(root, path);
  if (!resource || resource.type !== 'object') notFixable('the resource was not found');
  const props = nodeAt(root, [...path, 'Properties']);
  if (props) return insertMember(text, props, KEY, 'IMMUTABLE');
  const type = nodeAt(root, [...path, 'Type'])?.parent;
  if (type?.type === 'property') return insertMemberAfter(text, type, 'Properties', { key: KEY, value: 'IMMUTABLE' });
  return insertMember(text, resource, 'Properties', { key: KEY, value: 'IMMUTABLE' });
}

export function ecrFixes(finding: RawFinding, input: FixInput): FixResult {
  const text = stripBom(input.text);
  const span = finding.location.span;
  const site = input.model.ecrRepositories.find((r) => r.span.start === span.start && r.span.end === span.end);
  if (!site) notFixable('the repository was not found');
  const m = site.mutability?.toUpperCase();
  if (site.explicit && m !== 'MUTABLE') {
    notFixable(m?.endsWith('_WITH_EXCLUSION') ? 'decide which tags may stay mutable: set IMMUTABLE (and drop the exclusion filters) or change the filters' : 'the setting is not a literal value');
  }
  let edit: TextEditSpan;
  if (site.explicit) edit = replaceValue(text, site);
  else if (input.model.kind === 'terraform') edit = insertAttribute(text, site.span.start, 'image_tag_mutability', '"IMMUTABLE"');
  else if (input.model.kind === 'cloudformation') edit = /^\s*[{[]/.test(text) ? insertJson(text, site) : insertYaml(text, site);
  else notFixable('this file kind does not define ECR repositories');
  const where = input.model.kind === 'terraform' ? 'image_tag_mutability = "IMMUTABLE"' : `${KEY}: IMMUTABLE`;
  return {
    fixes: [{ id: 'ecr-immutable', title: `Set ${where}`, ruleId: finding.ruleId, edits: [{ file: input.file, edits: [edit] }], needsConfirmation: !site.explicit, preferred: true }],
  };
}
