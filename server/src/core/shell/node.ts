// A plain-JavaScript copy of a tree-sitter-bash parse, read in one cursor walk.
//
// Every property of a web-tree-sitter `Node` (`type`, `endIndex`, `namedChildren`, `parent`, fields…)
// is a wasm call that marshals the node, and the shell analysis asks for the same ones many times.
// A small script's tree is copied here once (a few cursor calls per node); the analysis then reads
// plain objects, and the wasm tree can be deleted right away.
import type { Tree } from '../treesitter';

/** What the shell analysis reads of a node: both tree-sitter's `Node` and {@link ShNode} have it. */
export interface BashNode {
  readonly id: number;
  readonly type: string;
  readonly isNamed: boolean;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly text: string;
  readonly parent: BashNode | null;
  readonly children: (BashNode | null)[];
  readonly namedChildren: (BashNode | null)[];
  readonly firstNamedChild: BashNode | null;
  childForFieldName(name: string): BashNode | null;
  childrenForFieldName(name: string): (BashNode | null)[];
  descendantsOfType(type: string): (BashNode | null)[];
}

/** A node of a copied tree. Same meaning as tree-sitter's `Node` members of the same names. */
export class ShNode implements BashNode {
  readonly children: ShNode[] = [];
  readonly namedChildren: ShNode[] = [];

  constructor(
    readonly id: number,
    readonly type: string,
    readonly isNamed: boolean,
    readonly startIndex: number,
    readonly endIndex: number,
    /** The field this node fills in its parent (`name`, `argument`, `body`…), if any. */
    readonly field: string | undefined,
    readonly parent: ShNode | null,
    private readonly source: string,
  ) {}

  get text(): string {
    return this.source.slice(this.startIndex, this.endIndex);
  }

  get firstNamedChild(): ShNode | null {
    return this.namedChildren[0] ?? null;
  }

  childForFieldName(name: string): ShNode | null {
    for (const c of this.children) if (c.field === name) return c;
    return null;
  }

  childrenForFieldName(name: string): ShNode[] {
    return this.children.filter((c) => c.field === name);
  }

  /** This node and its descendants of `type`, in document order (as tree-sitter: a node empty at offset 0 and what it holds are left out). */
  descendantsOfType(type: string): ShNode[] {
    const out: ShNode[] = [];
    // Depth-first without recursion: a deeply nested script must not overflow the stack here.
    const stack: ShNode[] = [this];
    for (let n = stack.pop(); n; n = stack.pop()) {
      if (n.endIndex === 0) continue;
      if (n.type === type) out.push(n);
      for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
    }
    return out;
  }
}

/**
 * Copy `tree` (a parse of `source`). Fields are read only for children of {@link FIELD_PARENTS}:
 * that saves a wasm call per node, and the cursor's field of a node inside an `ERROR` is one
 * tree-sitter's `childForFieldName` does not report, so elsewhere the two would disagree.
 */
export function copyTree(tree: Tree, source: string): ShNode {
  const language = tree.language;
  const types = language.types;
  const fields = language.fields;
  const cursor = tree.walk();
  let id = 0;
  try {
    const node = (parent: ShNode | null): ShNode => {
      const typeId = cursor.nodeTypeId;
      const type = types[typeId] || 'ERROR';
      let named = NAMED[typeId];
      if (named === undefined) named = NAMED[typeId] = typeId === 65535 || language.nodeTypeIsNamed(typeId);
      const fieldId = parent && FIELD_PARENTS.has(parent.type) ? cursor.currentFieldId : 0;
      return new ShNode(id++, type, named, cursor.startIndex, cursor.endIndex, (fieldId && fields[fieldId]) || undefined, parent, source);
    };
    const root = node(null);
    let cur = root;
    if (!cursor.gotoFirstChild()) return root;
    for (;;) {
      const n = node(cur);
      cur.children.push(n);
      if (n.isNamed) cur.namedChildren.push(n);
      if (cursor.gotoFirstChild()) {
        cur = n;
        continue;
      }
      while (!cursor.gotoNextSibling()) {
        if (cur === root || !cursor.gotoParent()) return root;
        cur = cur.parent!;
      }
    }
  } finally {
    cursor.delete();
  }
}

/** Whether a type id (of the bash grammar, the only one copied) is a named node type: asked of wasm once per id. */
const NAMED: boolean[] = [];

/**
 * Node types whose children's fields the shell analysis reads (see tree.ts, flow.ts); `ShNode`
 * fields of other nodes are empty. Checked against tree-sitter's own answers (`childForFieldName`,
 * `childrenForFieldName`, children, types, ranges) on every node of ~126k scripts of the corpus.
 */
const FIELD_PARENTS = new Set(['command', 'redirected_statement', 'file_redirect', 'heredoc_redirect', 'herestring_redirect']);
