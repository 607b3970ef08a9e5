// Extracts images, start-time commands and version consistency from ECS task-definition JSON.
import { emptyModel, type ExtractContext, type FileModel } from '../model';
import { entryOf, pointerJoin, type DNode } from './doc-tree';
import { addContainerDefinitions, type ValueResolver } from './containers';
import { placeholderParts } from './image-site';
import { parseJson } from './json-tree';

/** Strings are literal except for template placeholders (`${image}`, `$IMAGE`, `<IMAGE1_NAME>`). */
export const ecsJsonResolver: ValueResolver = {
  image(node) {
    if (node.kind !== 'string') return undefined;
    return { parts: placeholderParts(node.value), span: node.inner };
  },
  text(node) {
    return node.kind === 'string' ? node.source() : undefined;
  },
};

/**
 * The container definitions of a task definition in any of its shapes: the register-task-definition
 * input (`{containerDefinitions: [...]}`), the describe-task-definition output
 * (`{taskDefinition: {containerDefinitions}}`), or a bare array (`--container-definitions`, Terraform
 * templates). Returns the list node and its JSON pointer.
 */
export function findContainerDefinitions(root: DNode | undefined): { defs: DNode; pointer: string } | undefined {
  if (!root) return undefined;
  if (root.kind === 'seq') return { defs: root, pointer: '' };
  const direct = entryOf(root, 'containerDefinitions');
  if (direct?.value?.kind === 'seq') return { defs: direct.value, pointer: pointerJoin('', direct.key) };
  const td = entryOf(root, 'taskDefinition');
  const nested = entryOf(td?.value, 'containerDefinitions');
  if (td && nested?.value?.kind === 'seq') return { defs: nested.value, pointer: pointerJoin(pointerJoin('', td.key), nested.key) };
  return undefined;
}

/** Build the model of an ECS task-definition JSON file. Never throws; parse errors become problems. */
export function extractEcsJson(file: string, text: string, _ctx: ExtractContext): FileModel {
  const model = emptyModel('ecs-json', file, text);
  const parsed = parseJson(text);
  // A template's masked placeholders can leave JSON that only parses once rendered: no noise then.
  if (!parsed.templated) model.problems.push(...parsed.problems);
  const found = findContainerDefinitions(parsed.root);
  if (found) addContainerDefinitions(model, found.defs, found.pointer, ecsJsonResolver, 'ecs-image');
  return model;
}
