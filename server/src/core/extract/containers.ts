// Reads ECS container definitions (from task-definition JSON, CloudFormation or Terraform) into a FileModel.
import type { CommandContext, CommandSite, FileModel, ImageContext, ShellSource } from '../model';
import type { Span } from '../types';
import { entryOf, pointerJoin, type DNode } from './doc-tree';
import { makeImageSite, type ImagePart } from './image-site';
import { joinSources } from './sources';

/** How a format turns its values into image parts and shell text. */
export interface ValueResolver {
  /** The image reference parts, its span (without quotes) and text as written; undefined to skip. */
  image(node: DNode): { parts: ImagePart[]; span: Span } | undefined;
  /** A string value's text with its map; undefined when it is not a string the file can give. */
  text(node: DNode): ShellSource | undefined;
}

/** Add the images, commands and version-consistency settings of a list of container definitions. */
export function addContainerDefinitions(
  model: FileModel,
  defs: DNode | undefined,
  pointer: string | undefined,
  resolver: ValueResolver,
  imageContext: ImageContext,
): void {
  if (!defs || defs.kind !== 'seq') return;
  defs.items.forEach((def, i) => addContainer(model, def, pointer === undefined ? undefined : pointerJoin(pointer, i), resolver, imageContext));
}

/** Add one container definition (a map with `image`, `command`, `entryPoint`, `healthCheck`, …). */
export function addContainer(model: FileModel, def: DNode, pointer: string | undefined, resolver: ValueResolver, imageContext: ImageContext): void {
  if (def.kind !== 'map') return;
  const at = (key: string) => (pointer === undefined ? undefined : pointerJoin(pointer, key));
  const image = entryOf(def, 'image');
  if (image?.value) {
    const ref = resolver.image(image.value);
    if (ref) {
      const text = model.text.slice(ref.span.start, ref.span.end);
      if (text.trim()) model.images.push(makeImageSite(ref.parts, ref.span, text, imageContext, at(image.key)));
    }
  }
  const entry = entryOf(def, 'entryPoint');
  const command = entryOf(def, 'command');
  const entryArgs = argvOf(entry?.value, resolver);
  const commandArgs = argvOf(command?.value, resolver);
  if (entryArgs.length && commandArgs.length) {
    // ECS runs entryPoint and command together: one command line.
    const span = { start: Math.min(entry!.value!.span.start, command!.value!.span.start), end: Math.max(entry!.value!.span.end, command!.value!.span.end) };
    model.commands.push(site('ecs-command', span, { argv: [...entryArgs, ...commandArgs] }, at(command!.key)));
  } else if (entryArgs.length) {
    model.commands.push(site('ecs-entrypoint', entry!.value!.span, { argv: entryArgs }, at(entry!.key)));
  } else if (commandArgs.length) {
    model.commands.push(site('ecs-command', command!.value!.span, { argv: commandArgs }, at(command!.key)));
  }
  const health = entryOf(def, 'healthCheck');
  const probe = entryOf(health?.value, 'command');
  if (health && probe?.value) {
    const form = healthCheckForm(probe.value, resolver);
    const p = at(health.key);
    if (form) model.commands.push(site('ecs-healthcheck', probe.value.span, form, p === undefined ? undefined : pointerJoin(p, probe.key)));
  }
  const vc = entryOf(def, 'versionConsistency');
  if (vc?.value?.kind === 'string' && !vc.value.tag && vc.value.value.toLowerCase() === 'disabled') {
    const v = { span: vc.span, value: vc.value.value } as { span: Span; value: string; pointer?: string };
    const p = at(vc.key);
    if (p !== undefined) v.pointer = p;
    model.versionConsistency.push(v);
  }
}

function site(context: CommandContext, span: Span, form: Pick<CommandSite, 'argv' | 'script'>, pointer: string | undefined): CommandSite {
  const s: CommandSite = { context, span: { ...span }, ...form };
  if (pointer !== undefined) s.pointer = pointer;
  return s;
}

/** The non-empty string elements of a list (`entryPoint: [""]` resets the entrypoint: nothing to run). */
export function argvOf(node: DNode | undefined, resolver: ValueResolver): ShellSource[] {
  if (!node || node.kind !== 'seq') return [];
  const out: ShellSource[] = [];
  for (const item of node.items) {
    const s = resolver.text(item);
    if (s && s.text !== '') out.push(s);
  }
  return out;
}

/**
 * A health check command: `["CMD-SHELL", script]` → script; `["CMD", a, b]` → argv; `["NONE"]` →
 * nothing; without a prefix, one element is a script and several are an argv.
 */
export function healthCheckForm(node: DNode, resolver: ValueResolver): Pick<CommandSite, 'argv' | 'script'> | undefined {
  if (node.kind !== 'seq' || node.items.length === 0) return undefined;
  const first = resolver.text(node.items[0])?.text.trim().toUpperCase();
  const rest = argvOf({ ...node, items: node.items.slice(1) }, resolver);
  if (first === 'NONE') return undefined;
  // Docker joins the words after CMD-SHELL with spaces.
  if (first === 'CMD-SHELL') return rest.length ? { script: joinSources(rest) } : undefined;
  if (first === 'CMD') return rest.length ? { argv: rest } : undefined;
  const all = argvOf(node, resolver);
  if (all.length === 0) return undefined;
  return all.length === 1 ? { script: all[0] } : { argv: all };
}
