// The container definition or compose service a start command belongs to, re-read from the document with
// spans: its name, image, working directory, mounts and the lists that hold its command.
import { parseJson } from '../extract/json-tree';
import { hclToDNode, heredocContent, named, type HclScope } from '../extract/hcl-tree';
import { entryOf, type DMap, type DNode, type DSeq, type DString } from '../extract/doc-tree';
import { parseYaml } from '../extract/yaml-source';
import type { FileModel } from '../model';
import { terraformParser, type SyntaxNode } from '../treesitter';
import type { Span } from '../types';
import { notFixable } from './types';

/** How string values are written where the container sits. */
export type ValueFormat = 'json' | 'yaml' | 'hcl' | 'json-in-hcl';

/** A container definition (ECS JSON, CloudFormation, Terraform) or compose service. */
export interface ContainerNode {
  map: DMap;
  format: ValueFormat;
  /** ECS `name`, or the compose service's key. */
  name?: string;
  image?: DNode;
  /** `workingDirectory` / `working_dir` as written; `null` when it is not a plain string. */
  workingDir?: string | null;
  /** Container paths of mounts (`mountPoints[].containerPath`, compose `volumes`); `null` entries are not plain strings. */
  mounts: (string | null)[];
}

const within = (inner: Span, outer: Span) => outer.start <= inner.start && inner.end <= outer.end;

/** The document trees of a file, each with the format of its strings. */
function roots(model: FileModel, text: string): { root: DNode; format: ValueFormat }[] {
  if (model.kind === 'ecs-json' || (model.kind === 'cloudformation' && /^\s*[{[]/.test(text))) {
    const root = parseJson(text).root;
    return root ? [{ root, format: 'json' }] : [];
  }
  if (model.kind === 'cloudformation' || model.kind === 'compose') return parseYaml(text).docs.map((root) => ({ root, format: 'yaml' as const }));
  if (model.kind !== 'terraform') return [];
  const tree = terraformParser().parse(text);
  if (!tree) return [];
  try {
    const scope: HclScope = { text, defaults: new Map() };
    const out: { root: DNode; format: ValueFormat }[] = [];
    const visit = (n: SyntaxNode, depth: number) => {
      if (depth > 200) return;
      if (n.type === 'function_call' && named(n).find((c) => c.type === 'identifier')?.text === 'jsonencode') {
        const arg = named(named(n).find((c) => c.type === 'function_arguments') ?? n).find((c) => c.type === 'expression');
        if (arg) out.push({ root: hclToDNode(arg, scope), format: 'hcl' });
        return;
      }
      if (n.type === 'attribute' && named(n)[0]?.text === 'container_definitions') {
        const content = heredocContent(named(n)[named(n).length - 1], scope);
        const root = content && parseJson(text, content.start, content.end).root;
        if (root) out.push({ root, format: 'json-in-hcl' });
      }
      for (const c of named(n)) visit(c, depth + 1);
    };
    visit(tree.rootNode, 0);
    return out;
  } finally {
    tree.delete();
  }
}

const MARKERS = ['image', 'build', 'entryPoint', 'command'];

/** The smallest map holding `span` that is a container or service (it has an image, a build or a command). */
function smallest(node: DNode, span: Span, key: string | undefined, best: { map: DMap; key?: string } | undefined): { map: DMap; key?: string } | undefined {
  if (!within(span, node.span)) return best;
  let found = best;
  if (node.kind === 'map') {
    // A health check's map also has a `command`: it is not the container.
    if (key?.toLowerCase() !== 'healthcheck' && MARKERS.some((k) => entryOf(node, k))) found = { map: node, key };
    for (const e of node.entries) if (e.value) found = smallest(e.value, span, e.key, found);
  } else if (node.kind === 'seq') {
    for (const item of node.items) found = smallest(item, span, undefined, found);
  }
  return found;
}

const plain = (n: DNode | undefined): n is DString => n?.kind === 'string' && !n.tag && !n.parts;

/** The container or service whose command `span` (a command site's span) is part of. */
export function containerOf(model: FileModel, text: string, span: Span): ContainerNode {
  // Where the command starts: a block scalar's span runs past the map's (trimmed) end.
  const at = { start: span.start, end: span.start };
  for (const { root, format } of roots(model, text)) {
    const hit = smallest(root, at, undefined, undefined);
    if (!hit) continue;
    const { map } = hit;
    const compose = model.kind === 'compose';
    if (compose) ownService(root, map, at);
    const name = compose ? hit.key : plain(entryOf(map, 'name')?.value) ? (entryOf(map, 'name')!.value as DString).value : undefined;
    const wd = entryOf(map, compose ? 'working_dir' : 'workingDirectory')?.value;
    return {
      map,
      format,
      name,
      image: entryOf(map, 'image')?.value,
      workingDir: wd === undefined ? undefined : plain(wd) ? wd.value : null,
      mounts: mountsOf(map, compose),
    };
  }
  notFixable('the container definition of this command was not found');
}

/**
 * A compose command edited for one service must be that service's own: not in a map merged into
 * services (`<<: *base`), nor a node other services alias (`command: *cmd`).
 */
function ownService(root: DNode, map: DMap, at: Span): void {
  const services = entryOf(root, 'services')?.value;
  const list = services?.kind === 'map' ? services.entries.map((e) => e.value) : [];
  if (!list.includes(map)) notFixable('the command is shared through a YAML anchor or merge key, so editing it changes other services too');
  const own = map.entries.find((e) => e.value && within(at, e.value.span))?.value;
  const shared = list.filter((svc) => svc !== map && svc?.kind === 'map' && svc.entries.some((e) => e.value === own || (e.value?.kind === 'map' && e.value.entries.some((x) => x.value === own))));
  if (own && shared.length) notFixable('the command is shared through a YAML anchor or merge key, so editing it changes other services too');
}

function mountsOf(map: DMap, compose: boolean): (string | null)[] {
  const list = entryOf(map, compose ? 'volumes' : 'mountPoints')?.value;
  if (!list) return [];
  if (list.kind !== 'seq') return [null];
  return list.items.map((m) => {
    if (compose && plain(m)) {
      // `src:target[:mode]`, or an anonymous volume `target`.
      const parts = m.value.split(':');
      return parts.length === 1 ? parts[0] : (parts[1] ?? null);
    }
    const target = entryOf(m, compose ? 'target' : 'containerPath')?.value;
    return plain(target) ? target.value : null;
  });
}

/** The list item (a string) of `container` whose text holds document offset `offset`. */
export function itemAt(container: ContainerNode, offset: number): { seq: DSeq; index: number } | undefined {
  const visit = (n: DNode): { seq: DSeq; index: number } | undefined => {
    if (n.span.end < offset || n.span.start > offset) return undefined;
    if (n.kind === 'seq') {
      const index = n.items.findIndex((i) => i.kind === 'string' && i.inner.start <= offset && offset <= i.inner.end);
      if (index >= 0) return { seq: n, index };
      for (const i of n.items) {
        const r = visit(i);
        if (r) return r;
      }
    }
    if (n.kind === 'map') {
      for (const e of n.entries) {
        const r = e.value && visit(e.value);
        if (r) return r;
      }
    }
    return undefined;
  };
  return visit(container.map);
}
