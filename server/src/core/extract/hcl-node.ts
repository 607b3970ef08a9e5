// A memoised view of tree-sitter HCL nodes (each wasm round trip happens once) and a sparse search for function calls.
import type { SyntaxNode, Tree } from '../treesitter';

/**
 * A tree-sitter node whose type, end and named children are read from wasm once, when first asked
 * for. Every property access of a `SyntaxNode` is a wasm call that marshals the node; the extractor
 * asks for the same ones many times. Valid only until the tree is deleted.
 */
export class HclNode {
  readonly startIndex: number;
  private typeName: string | undefined;
  private end = -1;
  private count = -1;
  private kids: HclNode[] | undefined;

  constructor(readonly syntax: SyntaxNode) {
    this.startIndex = syntax.startIndex;
  }

  get type(): string {
    return (this.typeName ??= this.syntax.type);
  }

  get endIndex(): number {
    if (this.end < 0) this.end = this.syntax.endIndex;
    return this.end;
  }

  /** The named children. */
  get named(): readonly HclNode[] {
    if (!this.kids) {
      const kids: HclNode[] = [];
      for (const c of this.syntax.namedChildren) if (c) kids.push(new HclNode(c));
      this.kids = kids;
    }
    return this.kids;
  }

  /** How many named children there are (cheaper than `named` when only the count matters). */
  get namedCount(): number {
    if (this.kids) return this.kids.length;
    if (this.count < 0) this.count = this.syntax.namedChildCount;
    return this.count;
  }

  /** The first named child: one wasm call instead of all the children when it is the only one. */
  get firstNamed(): HclNode | undefined {
    if (!this.kids && this.namedCount === 1) {
      const c = this.syntax.namedChild(0);
      if (c) this.kids = [new HclNode(c)];
    }
    return this.named[0];
  }

  /** The child of a field (`key`, `val`). */
  field(name: string): HclNode | undefined {
    const c = this.syntax.childForFieldName(name);
    return c ? new HclNode(c) : undefined;
  }
}

/** A node as either kind: callers outside the extractor still pass tree-sitter nodes. */
export function hclNode(node: HclNode | SyntaxNode): HclNode {
  return node instanceof HclNode ? node : new HclNode(node);
}

/** A `function_call` node found by {@link findCalls}. */
export interface FoundCall {
  node: HclNode;
  /** Ids of its ancestors (`SyntaxNode.id`), the root first: its depth is the length. */
  ancestors: number[];
}

/**
 * The `function_call` nodes whose name is one of `names`, in document order, without walking the
 * whole tree: the text tells where such a name can be, and the cursor descends only into nodes that
 * contain one of those places (it visits each node at most once).
 */
export function findCalls(tree: Tree, text: string, names: readonly string[]): FoundCall[] {
  // A call is found through its name, its first child: the calls come in document order but for odd
  // error-recovered trees, so sort them.
  return walkCalls(tree, text, names).sort((a, b) => a.node.startIndex - b.node.startIndex);
}

function walkCalls(tree: Tree, text: string, names: readonly string[]): FoundCall[] {
  const at: number[] = [];
  for (const name of names) for (let i = text.indexOf(name); i >= 0; i = text.indexOf(name, i + 1)) at.push(i);
  if (!at.length) return [];
  at.sort((a, b) => a - b);
  const out: FoundCall[] = [];
  const found = new Set<number>();
  const types = tree.language.types;
  const cursor = tree.walk();
  try {
    /** The path from the root to the node being entered: ids, and the nodes that are calls. */
    const ids: number[] = [];
    const calls: (SyntaxNode | undefined)[] = [];
    /** The first place not behind the cursor. */
    let k = 0;
    let start = cursor.startIndex;
    let end = cursor.endIndex;
    for (;;) {
      // Enter the node under the cursor (it holds at[k]): a name of `names` in a call is a find.
      const type = types[cursor.nodeTypeId] || 'ERROR';
      ids.push(cursor.nodeId);
      calls.push(type === 'function_call' ? cursor.currentNode : undefined);
      if (type === 'identifier' && names.includes(text.slice(start, end))) {
        const call = calls[calls.length - 2];
        if (call && !found.has(call.id)) {
          found.add(call.id);
          out.push({ node: new HclNode(call), ancestors: ids.slice(0, -2) });
        }
      }
      let moved = cursor.gotoFirstChild();
      if (!moved) {
        ids.pop();
        calls.pop();
      }
      // Then go on in document order (a child, a sibling, an ancestor's sibling) to a node holding a place.
      for (;;) {
        if (moved) {
          start = cursor.startIndex;
          while (k < at.length && at[k] < start) k++;
          if (k >= at.length) return out;
          end = cursor.endIndex;
          if (at[k] < end) break;
        }
        if (cursor.gotoNextSibling()) moved = true;
        else if (ids.length && cursor.gotoParent()) {
          ids.pop();
          calls.pop();
          moved = false;
        } else return out;
      }
    }
  } finally {
    cursor.delete();
  }
}

/** A call's name: the text of its first identifier. */
export function callName(call: HclNode, text: string): string | undefined {
  const id = call.named.find((c) => c.type === 'identifier');
  return id && text.slice(id.startIndex, id.endIndex);
}

/** A call's arguments: the expressions of its `function_arguments`. */
export function callArgs(call: HclNode): HclNode[] {
  return (call.named.find((c) => c.type === 'function_arguments') ?? call).named.filter((c) => c.type === 'expression');
}

/** How deep `call` is below `node` (0 when it is `node`), or undefined when it is not inside it. */
export function depthBelow(call: FoundCall, node: HclNode): number | undefined {
  if (call.node.syntax.id === node.syntax.id) return 0;
  const i = call.ancestors.lastIndexOf(node.syntax.id);
  return i < 0 ? undefined : call.ancestors.length - i;
}
