// Extracts ECS container definitions and ECR repositories from CloudFormation templates (YAML or JSON).
import { emptyModel, type EcrRepositorySite, type ExtractContext, type FileModel } from '../model';
import { entryOf, pointerJoin, stringOf, valueOf, type DNode } from './doc-tree';
import { cfnResolver, type CfnScope } from './cfn-intrinsics';
import { addContainerDefinitions } from './containers';
import { parseJson } from './json-tree';
import { parseYaml } from './yaml-source';

/** Build the model of a CloudFormation template. Never throws; parse errors become problems. */
export function extractCloudFormation(file: string, text: string, _ctx: ExtractContext): FileModel {
  const model = emptyModel('cloudformation', file, text);
  let docs: DNode[];
  if (/^\s*[{[]/.test(text)) {
    const parsed = parseJson(text);
    model.problems.push(...parsed.problems);
    docs = parsed.root ? [parsed.root] : [];
  } else {
    const parsed = parseYaml(text, file);
    model.problems.push(...parsed.problems);
    docs = parsed.docs;
  }
  for (const root of docs) addTemplate(model, root, text);
  return model;
}

function addTemplate(model: FileModel, root: DNode, text: string): void {
  if (root.kind !== 'map') return;
  const scope: CfnScope = { text, parameters: new Map() };
  const params = valueOf(root, 'Parameters');
  if (params?.kind === 'map') {
    for (const p of params.entries) {
      const def = valueOf(p.value, 'Default');
      let value = def?.kind === 'string' && !def.tag ? def.value : def?.kind === 'scalar' && def.value !== null && !def.tag ? def.raw : undefined;
      // An SSM parameter type's default names the parameter, not the value.
      if (stringOf(p.value, 'Type')?.startsWith('AWS::SSM::Parameter::Value')) value = undefined;
      scope.parameters.set(p.key, value);
    }
  }
  const resources = entryOf(root, 'Resources');
  if (resources?.value?.kind !== 'map') return;
  const resolver = cfnResolver(scope);
  for (const res of resources.value.entries) {
    const typeEntry = entryOf(res.value, 'Type');
    const type = stringOf(res.value, 'Type');
    const base = pointerJoin(pointerJoin('', resources.key), res.key);
    const propsEntry = entryOf(res.value, 'Properties');
    const props = propsEntry?.value;
    const propsPointer = propsEntry ? pointerJoin(base, propsEntry.key) : base;
    if (type === 'AWS::ECS::TaskDefinition') {
      const defs = entryOf(props, 'ContainerDefinitions');
      if (defs) addContainerDefinitions(model, defs.value, pointerJoin(propsPointer, defs.key), resolver, 'cfn-image');
    } else if (type === 'AWS::ECR::Repository' && typeEntry) {
      model.ecrRepositories.push(ecrSite(res.key, props, typeEntry, base, propsPointer));
    }
  }
}

/** An `AWS::ECR::Repository`: its mutability setting, or the `Type` line when the setting is omitted. */
function ecrSite(logicalId: string, props: DNode | undefined, typeEntry: { key: string; span: { start: number; end: number } }, base: string, propsPointer: string): EcrRepositorySite {
  const mutability = entryOf(props, 'ImageTagMutability');
  const filters: string[] = [];
  const list = valueOf(props, 'ImageTagMutabilityExclusionFilters');
  if (list?.kind === 'seq') {
    for (const f of list.items) {
      const v = stringOf(f, 'ImageTagMutabilityExclusionFilterValue');
      if (v !== undefined) filters.push(v);
    }
  }
  const name = stringOf(props, 'RepositoryName') ?? logicalId;
  if (mutability?.value) {
    const v = mutability.value;
    return {
      name,
      span: { ...mutability.span },
      mutability: v.kind === 'string' && !v.tag ? v.value : 'variable',
      explicit: true,
      exclusionFilters: filters,
      pointer: pointerJoin(propsPointer, mutability.key),
    };
  }
  return { name, span: { ...typeEntry.span }, explicit: false, exclusionFilters: filters, pointer: pointerJoin(base, typeEntry.key) };
}
