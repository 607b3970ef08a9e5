// Extracts ECS container definitions, template dependencies and ECR repositories from Terraform (.tf) files.
import { emptyModel, exactSource, type EcrRepositorySite, type ExtractContext, type FileModel } from '../model';
import { terraformParser, type SyntaxNode, type Tree } from '../treesitter';
import { addContainer, addContainerDefinitions, type ValueResolver } from './containers';
import { entryOf, type DNode } from './doc-tree';
import { hclToDNode, named, unwrap, type HclScope } from './hcl-tree';
import { addFileCalls, addHeredocDefinitions, addImageVars } from './tf-templates';

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
    const root = tree.rootNode;
    collectErrors(root, model);
    const scope: HclScope = { text, defaults: new Map() };
    const blocks = allBlocks(root);
    /** `container_definitions = jsonencode(…)` values: container lists whatever their items hold. */
    const containerValues = new Set<number>();
    const fileCalls = new Set<number>();
    for (const b of blocks) {
      const h = header(b);
      if (h.type !== 'variable' || !h.labels[0]) continue;
      const def = attributes(b).get('default');
      const d = def && hclToDNode(def.value, scope);
      if (d?.kind === 'string' && !d.parts) scope.defaults.set(h.labels[0], d.value);
      else if (d?.kind === 'scalar' && d.value !== null) scope.defaults.set(h.labels[0], d.raw);
    }
    for (const b of blocks) {
      const h = header(b);
      const attrs = attributes(b);
      if (h.type === 'resource' && h.labels[0] === 'aws_ecr_repository') model.ecrRepositories.push(ecrSite(b, h, attrs, scope));
      if (h.type === 'data' && h.labels[0] === 'template_file') {
        const template = attrs.get('template');
        if (template) addFileCalls(model, template.value, scope, fileCalls);
        const vars = attrs.get('vars');
        if (vars) addImageVars(model, vars.value, scope);
      }
      const defs = attrs.get('container_definitions');
      if (defs) {
        containerValues.add(unwrap(defs.value).startIndex);
        addHeredocDefinitions(model, defs.value, scope);
        addFileCalls(model, defs.value, scope, fileCalls);
      }
    }
    addJsonencoded(model, root, scope, containerValues);
    addFileCalls(model, root, scope, fileCalls, true);
    model.images.sort((a, b) => a.span.start - b.span.start);
    model.commands.sort((a, b) => a.span.start - b.span.start);
  } catch (e) {
    model.problems.push({ span: { start: 0, end: 0 }, message: `Terraform: ${e instanceof Error ? e.message : String(e)}` });
  } finally {
    tree?.delete();
  }
  return model;
}

/** Every `jsonencode(…)` whose argument holds container definitions (a list, `containerDefinitions`, or one container). */
function addJsonencoded(model: FileModel, root: SyntaxNode, scope: HclScope, containerValues: Set<number>): void {
  const visit = (n: SyntaxNode, depth: number) => {
    if (depth > 200) return;
    if (n.type === 'function_call' && named(n).find((c) => c.type === 'identifier')?.text === 'jsonencode') {
      const arg = named(named(n).find((c) => c.type === 'function_arguments') ?? n).find((c) => c.type === 'expression');
      if (arg && addDefinitions(model, hclToDNode(arg, scope), containerValues.has(n.startIndex))) return;
    }
    for (const c of named(n)) visit(c, depth + 1);
  };
  visit(root, 0);
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
function ecrSite(block: SyntaxNode, h: Header, attrs: Map<string, Attribute>, scope: HclScope): EcrRepositorySite {
  const nameAttr = attrs.get('name');
  const nameValue = nameAttr && hclToDNode(nameAttr.value, scope);
  const name = nameValue?.kind === 'string' && !nameValue.parts ? nameValue.value : (h.labels[1] ?? 'aws_ecr_repository');
  const filters: string[] = [];
  for (const f of childBlocks(block)) {
    if (header(f).type !== 'image_tag_mutability_exclusion_filter') continue;
    const filter = attributes(f).get('filter');
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
  node: SyntaxNode;
  value: SyntaxNode;
}

function header(block: SyntaxNode): Header {
  const kids = named(block);
  const type = kids[0]?.type === 'identifier' ? kids[0].text : '';
  const labels: string[] = [];
  let labelsEnd = kids[0]?.endIndex ?? block.startIndex;
  for (const k of kids.slice(1)) {
    if (k.type === 'string_lit') labels.push(named(k).filter((c) => c.type === 'template_literal').map((c) => c.text).join(''));
    else if (k.type === 'identifier') labels.push(k.text);
    else break;
    labelsEnd = k.endIndex;
  }
  return { type, labels, labelsEnd };
}

function body(block: SyntaxNode): SyntaxNode | undefined {
  return named(block).find((c) => c.type === 'body');
}

function attributes(block: SyntaxNode): Map<string, Attribute> {
  const out = new Map<string, Attribute>();
  for (const a of named(body(block) ?? block)) {
    if (a.type !== 'attribute') continue;
    const [id, value] = named(a);
    if (id?.type === 'identifier' && value && !out.has(id.text)) out.set(id.text, { node: a, value });
  }
  return out;
}

function childBlocks(block: SyntaxNode): SyntaxNode[] {
  const b = body(block);
  return b ? named(b).filter((c) => c.type === 'block') : [];
}

/** All blocks, nested ones included (`dynamic`, `locals` inside modules are plain blocks too). */
function allBlocks(root: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const visit = (n: SyntaxNode, depth: number) => {
    if (depth > 50) return;
    for (const c of named(n)) {
      if (c.type === 'block') {
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
