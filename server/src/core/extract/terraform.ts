// Extracts ECS container definitions, template dependencies and ECR repositories from Terraform (.tf) files.
import { emptyModel, exactSource, type EcrRepositorySite, type ExtractContext, type FileModel } from '../model';
import { terraformParser, type SyntaxNode, type Tree } from '../treesitter';
import { addContainer, addContainerDefinitions, type ValueResolver } from './containers';
import { entryOf, type DNode } from './doc-tree';
import { callArgs, callName, findCalls, HclNode, type FoundCall } from './hcl-node';
import { hclToDNode, unwrap, type HclScope } from './hcl-tree';
import { addFileCalls, addHeredocDefinitions, addImageVars } from './tf-templates';

/** The calls the extractor looks at: container lists in `jsonencode(…)`, templates in `file(…)` / `templatefile(…)`. */
const CALLS = ['jsonencode', 'file', 'templatefile'];

/** HCL values: literal strings, templates (`"${x}:latest"`) and expressions (`var.image`). */
const hclResolver: ValueResolver = {
  image(node) {
    if (node.kind === 'string') return { parts: node.parts ?? [{ literal: node.value }], span: node.inner };
    if (node.kind === 'expr') return { parts: node.parts, span: node.span };
    return undefined;
  },
  text(node) {
    if (node.kind === 'string') return node.source();
    if (node.kind === 'scalar' && node.value !== null) return exactSource(node.raw, node.span.start);
    return undefined;
  },
};

/** Build the model of a Terraform file. Requires initParsers(); never throws on bad input. */
export function extractTerraform(file: string, text: string, _ctx: ExtractContext): FileModel {
  const model = emptyModel('terraform', file, text);
  // Outside the try: a missing initParsers() is a programming error, not a problem with the file.
  const parser = terraformParser();
  let tree: Tree | null = null;
  try {
    tree = parser.parse(text);
    if (!tree) return model;
    const rootNode = tree.rootNode;
    collectErrors(rootNode, model);
    // Each node is read from wasm once (HclNode), and the calls are found without walking the whole tree.
    const root = new HclNode(rootNode);
    const calls = findCalls(tree, text, CALLS);
    const scope: HclScope = { text, defaults: new Map() };
    const blocks = allBlocks(root, text);
    /** `container_definitions = jsonencode(…)` values: container lists whatever their items hold. */
    const containerValues = new Set<number>();
    const fileCalls = new Set<number>();
    for (const b of blocks) {
      const h = header(b, text);
      if (h.type !== 'variable' || !h.labels[0]) continue;
      const def = attributes(b, text).get('default');
      const d = def && hclToDNode(def.value, scope);
      if (d?.kind === 'string' && !d.parts) scope.defaults.set(h.labels[0], d.value);
      else if (d?.kind === 'scalar' && d.value !== null) scope.defaults.set(h.labels[0], d.raw);
    }
    for (const b of blocks) {
      const h = header(b, text);
      const attrs = attributes(b, text);
      if (h.type === 'resource' && h.labels[0] === 'aws_ecr_repository') model.ecrRepositories.push(ecrSite(b, h, attrs, scope));
      if (h.type === 'data' && h.labels[0] === 'template_file') {
        const template = attrs.get('template');
        if (template) addFileCalls(model, template.value, scope, fileCalls, calls);
        const vars = attrs.get('vars');
        if (vars) addImageVars(model, vars.value, scope);
      }
      const defs = attrs.get('container_definitions');
      if (defs) {
        containerValues.add(unwrap(defs.value).startIndex);
        addHeredocDefinitions(model, defs.value, scope);
        addFileCalls(model, defs.value, scope, fileCalls, calls);
      }
    }
    addJsonencoded(model, calls, scope, containerValues);
    addFileCalls(model, root, scope, fileCalls, calls, true);
    model.images.sort((a, b) => a.span.start - b.span.start);
    model.commands.sort((a, b) => a.span.start - b.span.start);
  } catch (e) {
    model.problems.push({ span: { start: 0, end: 0 }, message: `Terraform: ${e instanceof Error ? e.message : String(e)}` });
  } finally {
    tree?.delete();
  }
  return model;
}

/**
 * Every `jsonencode(…)` whose argument holds container definitions (a list, `containerDefinitions`, or
 * one container), at most 200 levels deep; calls inside one that does are part of it.
 */
function addJsonencoded(model: FileModel, calls: FoundCall[], scope: HclScope, containerValues: Set<number>): void {
  const done = new Set<number>();
  for (const { node: n, ancestors } of calls) {
    if (ancestors.length > 200 || callName(n, scope.text) !== 'jsonencode' || ancestors.some((id) => done.has(id))) continue;
    const arg = callArgs(n)[0];
    if (arg && addDefinitions(model, hclToDNode(arg, scope), containerValues.has(n.startIndex))) done.add(n.syntax.id);
  }
}

function addDefinitions(model: FileModel, d: DNode, isContainerList: boolean): boolean {
  const list = d.kind === 'map' ? entryOf(d, 'containerDefinitions')?.value : d;
  if (list?.kind === 'seq' && (isContainerList || list.items.some((i) => entryOf(i, 'image')))) {
    addContainerDefinitions(model, list, undefined, hclResolver, 'tf-image');
    return true;
  }
  if (d.kind === 'map' && entryOf(d, 'image') && entryOf(d, 'name')) {
    addContainer(model, d, undefined, hclResolver, 'tf-image');
    return true;
  }
  return false;
}

/** A `resource "aws_ecr_repository"`: its `image_tag_mutability`, or the header when omitted. */
function ecrSite(block: HclNode, h: Header, attrs: Map<AttributeName, Attribute>, scope: HclScope): EcrRepositorySite {
  const nameAttr = attrs.get('name');
  const nameValue = nameAttr && hclToDNode(nameAttr.value, scope);
  const name = nameValue?.kind === 'string' && !nameValue.parts ? nameValue.value : (h.labels[1] ?? 'aws_ecr_repository');
  const filters: string[] = [];
  for (const f of childBlocks(block)) {
    if (header(f, scope.text).type !== 'image_tag_mutability_exclusion_filter') continue;
    const filter = attributes(f, scope.text).get('filter');
    const v = filter && hclToDNode(filter.value, scope);
    if (v?.kind === 'string' && !v.parts) filters.push(v.value);
  }
  const mutability = attrs.get('image_tag_mutability');
  if (mutability) {
    const v = hclToDNode(mutability.value, scope);
    return {
      name,
      span: { start: mutability.node.startIndex, end: mutability.node.endIndex },
      mutability: v.kind === 'string' && !v.parts ? v.value : 'variable',
      explicit: true,
      exclusionFilters: filters,
    };
  }
  return { name, span: { start: block.startIndex, end: h.labelsEnd }, explicit: false, exclusionFilters: filters };
}

interface Header {
  type: string;
  labels: string[];
  labelsEnd: number;
}
interface Attribute {
  node: HclNode;
  value: HclNode;
}

const textOf = (n: HclNode, text: string) => text.slice(n.startIndex, n.endIndex);

function header(block: HclNode, text: string): Header {
  const kids = block.named;
  const type = kids[0]?.type === 'identifier' ? textOf(kids[0], text) : '';
  const labels: string[] = [];
  let labelsEnd = kids[0]?.endIndex ?? block.startIndex;
  for (const k of kids.slice(1)) {
    if (k.type === 'string_lit') labels.push(label(k, text));
    else if (k.type === 'identifier') labels.push(textOf(k, text));
    else break;
    labelsEnd = k.endIndex;
  }
  return { type, labels, labelsEnd };
}

/** A quoted label: its literal pieces (spaces next to the quotes are not part of them). */
function label(k: HclNode, text: string): string {
  // Plain characters between the quotes are one literal: no need to read the pieces from the tree.
  const raw = textOf(k, text);
  if (/^"[\w.-]*"$/.test(raw) && !k.syntax.hasError) return raw.slice(1, -1);
  return k.named.filter((c) => c.type === 'template_literal').map((c) => textOf(c, text)).join('');
}

function body(block: HclNode): HclNode | undefined {
  return block.named.find((c) => c.type === 'body');
}

/** The attributes the extractor reads. */
const READ = ['container_definitions', 'default', 'filter', 'image_tag_mutability', 'name', 'template', 'vars'] as const;
type AttributeName = (typeof READ)[number];
const isRead = (name: string): name is AttributeName => (READ as readonly string[]).includes(name);

/** A block's attributes, the first of each name, among those in READ. */
function attributes(block: HclNode, text: string): Map<AttributeName, Attribute> {
  const out = new Map<AttributeName, Attribute>();
  for (const a of (body(block) ?? block).named) {
    // An attribute starts with its name: the others need not be read from the tree.
    if (a.type !== 'attribute' || !READ.some((n) => text.startsWith(n, a.startIndex))) continue;
    const [id, value] = a.named;
    if (id?.type !== 'identifier' || !value) continue;
    const name = textOf(id, text);
    if (isRead(name) && !out.has(name)) out.set(name, { node: a, value });
  }
  return out;
}

function childBlocks(block: HclNode): HclNode[] {
  const b = body(block);
  return b ? b.named.filter((c) => c.type === 'block') : [];
}

/**
 * A block that does not hold one of these words is not one the extractor reads (a `variable`, a
 * `resource "aws_ecr_repository"`, a `data "template_file"`, one with `container_definitions`), nor
 * are the blocks inside it.
 */
const BLOCK_WORDS = /variable|resource|data|container_definitions/;

/**
 * All blocks the extractor may read, nested ones included (`dynamic`, `locals` inside modules are
 * plain blocks too).
 */
function allBlocks(root: HclNode, text: string): HclNode[] {
  const out: HclNode[] = [];
  const visit = (n: HclNode, depth: number) => {
    if (depth > 50) return;
    for (const c of n.named) {
      if (c.type === 'block' && BLOCK_WORDS.test(textOf(c, text))) {
        out.push(c);
        visit(c, depth + 1);
      } else if (c.type === 'body') visit(c, depth + 1);
    }
  };
  visit(root, 0);
  return out;
}

/** Syntax errors as problems (the first few). */
function collectErrors(root: SyntaxNode, model: FileModel): void {
  if (!root.hasError) return;
  const visit = (n: SyntaxNode) => {
    if (model.problems.length >= 20) return;
    if (n.isError || n.isMissing) {
      model.problems.push({
        span: { start: n.startIndex, end: Math.max(n.startIndex, n.endIndex) },
        message: n.isMissing ? `Terraform: missing ${n.type}` : 'Terraform: syntax error',
      });
      return;
    }
    for (let i = 0; i < n.childCount; i++) {
      const c = n.child(i);
      if (c && (c.hasError || c.isMissing)) visit(c);
    }
  };
  visit(root);
}
