// Terraform container definitions that live elsewhere: heredoc JSON, file()/templatefile() targets and their vars.
import * as path from 'path';
import type { FileModel } from '../model';
import type { DNode } from './doc-tree';
import { addContainerDefinitions, type ValueResolver } from './containers';
import { findContainerDefinitions } from './ecs-json';
import { callArgs, callName, depthBelow, type FoundCall, type HclNode } from './hcl-node';
import { hclToDNode, hclVariablePart, heredocContent, type HclScope } from './hcl-tree';
import { makeImageSite, placeholderParts, type ImagePart } from './image-site';
import { parseJson } from './json-tree';

/** JSON strings inside a .tf heredoc: `${var.x}` brings its default, `….repository_url` is a repository URL. */
function heredocResolver(scope: HclScope): ValueResolver {
  return {
    image(node) {
      if (node.kind !== 'string') return undefined;
      const parts = placeholderParts(node.value).map((p) =>
        'literal' in p || !p.expression.startsWith('${') ? p : hclVariablePart(p.expression, p.expression.slice(2, -1), scope),
      );
      return { parts, span: node.inner };
    },
    text: (node) => (node.kind === 'string' ? node.source() : undefined),
  };
}

/** `container_definitions = <<EOF [ … ] EOF`: parse the heredoc as JSON with offsets into the .tf. */
export function addHeredocDefinitions(model: FileModel, value: HclNode, scope: HclScope): void {
  const content = heredocContent(value, scope);
  if (!content) return;
  const parsed = parseJson(scope.text, content.start, content.end);
  if (!parsed.templated) model.problems.push(...parsed.problems);
  const found = findContainerDefinitions(parsed.root);
  if (found) addContainerDefinitions(model, found.defs, undefined, heredocResolver(scope), 'tf-image');
}

/**
 * `file("…")` / `templatefile("…", {…})` calls in `node`, at most 200 levels below it, from `calls`
 * (the file's, see findCalls): the target becomes a dependency and image-like template vars become
 * image sites. `seen` holds calls already handled; with `jsonOnly`, only `templatefile()` calls whose
 * target is a JSON template count (task definitions built in `locals`).
 */
export function addFileCalls(model: FileModel, node: HclNode, scope: HclScope, seen: Set<number>, calls: readonly FoundCall[], jsonOnly = false): void {
  for (const call of calls) {
    const n = call.node;
    if (seen.has(n.startIndex)) continue;
    const depth = depthBelow(call, node);
    if (depth === undefined || depth > 200) continue;
    const name = callName(n, scope.text);
    if (name !== 'file' && name !== 'templatefile') continue;
    const args = callArgs(n);
    if (!args[0]) continue;
    const target = resolveTarget(model.file, hclToDNode(args[0], scope));
    if (!jsonOnly || (name === 'templatefile' && target !== undefined && /\.json(\.[a-z]+)?$/i.test(target))) {
      seen.add(n.startIndex);
      if (target !== undefined && !model.dependencies.includes(target)) model.dependencies.push(target);
      if (name === 'templatefile' && args[1]) addImageVars(model, args[1], scope);
    }
  }
}

/** Keys of a template vars map that name an image, and whether a literal value there is a whole reference. */
const IMAGE_KEY = /image/i;
const WHOLE_IMAGE_KEY = /(^|_)image(_?ur[il])?$/i;

/**
 * A template vars map (`templatefile(…, { image = var.x })`, `data "template_file"` `vars`): a key
 * naming an image whose value is not a literal is a variable image. A literal under a key that names
 * a whole image (`image`, `app_image`, `image_uri`) that looks like a reference is an image too.
 */
export function addImageVars(model: FileModel, varsNode: HclNode, scope: HclScope): void {
  const vars = hclToDNode(varsNode, scope);
  if (vars.kind !== 'map') return;
  for (const e of vars.entries) {
    if (!IMAGE_KEY.test(e.key) || !e.value) continue;
    const v: DNode = e.value;
    let parts: ImagePart[] | undefined;
    let span = v.span;
    if (v.kind === 'expr') parts = v.parts;
    else if (v.kind === 'string' && v.parts) [parts, span] = [v.parts, v.inner];
    else if (v.kind === 'string' && WHOLE_IMAGE_KEY.test(e.key) && /[:/@]/.test(v.value) && !/\s/.test(v.value)) [parts, span] = [[{ literal: v.value }], v.inner];
    if (!parts) continue;
    model.images.push(makeImageSite(parts, span, scope.text.slice(span.start, span.end), 'tf-image'));
  }
}

/**
 * Resolve a `file()` argument (`"${path.module}/x.json"`, `"x.json"`) against the .tf's folder,
 * posix-normalised. Undefined for absolute paths, paths leaving the workspace, or unknown parts.
 */
export function resolveTarget(file: string, arg: DNode): string | undefined {
  let rel: string;
  if (arg.kind === 'string' && !arg.parts) rel = arg.value;
  else if (arg.kind === 'string' && arg.parts) {
    if (!arg.parts.every((p) => 'literal' in p || /^\$\{\s*path\.module\s*\}$/.test(p.expression))) return undefined;
    rel = arg.parts.map((p) => ('literal' in p ? p.literal : '.')).join('');
  } else return undefined;
  if (!rel || path.posix.isAbsolute(rel) || /^[A-Za-z]:[\\/]/.test(rel)) return undefined;
  const dir = path.posix.dirname(file.replace(/\\/g, '/'));
  const joined = path.posix.normalize(path.posix.join(dir, rel.replace(/\\/g, '/')));
  if (joined === '..' || joined.startsWith('../')) return undefined;
  return joined;
}

