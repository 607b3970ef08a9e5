// Inserts an attribute into a Terraform block in the file's style: `=` aligned with the attributes next to it
// (as `terraform fmt` does) without touching them, else as a group of its own.
import { terraformParser, type SyntaxNode } from '../treesitter';
import { eolAt, indentAt, lineStart, nextLineStart } from './text';
import { notFixable, type TextEditSpan } from './types';

const kids = (n: SyntaxNode) => n.namedChildren.filter((c): c is SyntaxNode => !!c);

/** The edit inserting `name = value` into the block starting at `blockStart`. `value` is written as given. */
export function insertAttribute(text: string, blockStart: number, name: string, value: string): TextEditSpan {
  const tree = terraformParser().parse(text);
  if (!tree) notFixable('the file could not be parsed');
  try {
    const block = findBlock(tree.rootNode, blockStart);
    if (!block) notFixable('the block was not found');
    const open = kids(block).find((c) => c.type === 'block_start');
    const close = kids(block).find((c) => c.type === 'block_end');
    const body = kids(block).find((c) => c.type === 'body');
    if (!open || !close) notFixable('the block is not closed');
    const eol = eolAt(text, open.startIndex);
    const blockIndent = indentAt(text, block.startIndex);
    const line = (indent: string, key = name) => `${indent}${key} = ${value}`;
    if (!body) {
      if (lineStart(text, open.startIndex) === lineStart(text, close.startIndex))
        return { span: { start: open.startIndex, end: close.endIndex }, newText: `{${eol}${line(`${blockIndent}  `)}${eol}${blockIndent}}` };
      const at = lineStart(text, close.startIndex);
      return { span: { start: at, end: at }, newText: line(`${blockIndent}  `) + eol };
    }
    const items = kids(body).filter((c) => c.type !== 'comment');
    if (!items.length || lineStart(text, items[0].startIndex) === lineStart(text, open.startIndex)) notFixable('the block is written on one line');
    const attrs = items.filter((c) => c.type === 'attribute');
    if (!attrs.length || items[0].type !== 'attribute') {
      const at = lineStart(text, items[0].startIndex);
      return { span: { start: at, end: at }, newText: line(indentAt(text, items[0].startIndex)) + eol };
    }
    // The first run of attributes on consecutive lines: terraform fmt aligns their `=`.
    const group = [items[0]];
    for (const a of items.slice(1)) {
      const prev = group[group.length - 1];
      if (a.type !== 'attribute' || lineStart(text, a.startIndex) !== nextLineStart(text, prev.endIndex - 1)) break;
      group.push(a);
    }
    const first = group[0];
    const indent = indentAt(text, first.startIndex);
    const eq = first.children.find((c) => c?.type === '=');
    const eqCol = (eq?.startIndex ?? first.startIndex) - lineStart(text, first.startIndex);
    const last = group[group.length - 1];
    const at = nextLineStart(text, last.endIndex - 1);
    const ending = at === text.length && !/[\r\n]$/.test(text) ? eol : '';
    if (indent.length + name.length + 1 <= eqCol) {
      return { span: { start: at, end: at }, newText: `${ending}${line(indent, name.padEnd(eqCol - indent.length - 1))}${eol}` };
    }
    return { span: { start: at, end: at }, newText: `${ending}${eol}${line(indent)}${eol}` };
  } finally {
    tree.delete();
  }
}

function findBlock(n: SyntaxNode, start: number): SyntaxNode | undefined {
  for (const c of kids(n)) {
    if (c.type === 'block' && c.startIndex === start) return c;
    if (c.startIndex <= start && start < c.endIndex) {
      const found = findBlock(c, start);
      if (found) return found;
    }
  }
  return undefined;
}
