// Reads CloudFormation intrinsic functions (short tags and long forms) as image parts and shell text.
import { exactSource, type ShellSource } from '../model';
import type { Span } from '../types';
import { expressionText, type DNode, type DString } from './doc-tree';
import type { ImagePart } from './image-site';
import type { ValueResolver } from './containers';

/** What the template declares that intrinsic functions refer to. */
export interface CfnScope {
  text: string;
  /** Parameter name → its `Default` (undefined when it has none). */
  parameters: Map<string, string | undefined>;
}

/** `!Ref X` / `{"Ref": "X"}` → `{fn: 'Ref', arg}`; `!Sub …` / `{"Fn::Sub": …}` → `{fn: 'Fn::Sub', arg}`. */
export function intrinsic(node: DNode): { fn: string; arg: DNode } | undefined {
  if (node.tag) {
    const name = node.tag.slice(1);
    const fn = name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
    return { fn, arg: { ...node, tag: undefined } as DNode };
  }
  if (node.kind === 'map' && node.entries.length === 1) {
    const e = node.entries[0];
    if (e.value && (e.key === 'Ref' || e.key === 'Condition' || e.key.startsWith('Fn::'))) return { fn: e.key, arg: e.value };
  }
  return undefined;
}

/** The template string of a `Fn::Sub` (either form), when the node is one. */
function subTemplate(node: DNode): { template: DString; vars?: DNode } | undefined {
  const f = intrinsic(node);
  if (!f || f.fn !== 'Fn::Sub') return undefined;
  if (f.arg.kind === 'string') return { template: f.arg };
  if (f.arg.kind === 'seq' && f.arg.items[0]?.kind === 'string') return { template: f.arg.items[0], vars: f.arg.items[1] };
  return undefined;
}

/** The image reference parts of a value: a literal, `Ref`, `GetAtt`, `Sub`, `Join`, or another function. */
export function imageParts(node: DNode, scope: CfnScope, depth = 0): ImagePart[] {
  const expression = expressionText(scope.text.slice(node.span.start, node.span.end));
  if (depth > 20) return [{ expression }];
  if (node.kind === 'string' && !node.tag) return [{ literal: node.value }];
  if (node.kind === 'scalar' && !node.tag) return [{ literal: node.raw }];
  const f = intrinsic(node);
  if (!f) return [{ expression }];
  switch (f.fn) {
    case 'Ref':
      return f.arg.kind === 'string' ? [refPart(f.arg.value, expression, scope)] : [{ expression }];
    case 'Fn::GetAtt': {
      const attr = f.arg.kind === 'string' ? f.arg.value.split('.').slice(1).join('.') : f.arg.kind === 'seq' && f.arg.items[1]?.kind === 'string' ? f.arg.items[1].value : '';
      return [{ expression, repository: attr === 'RepositoryUri' }];
    }
    case 'Fn::Sub': {
      const sub = subTemplate(node);
      return sub ? subParts(sub.template.value, sub.vars, scope, depth) : [{ expression }];
    }
    case 'Fn::Join': {
      const [delim, list] = f.arg.kind === 'seq' ? f.arg.items : [];
      if (delim?.kind !== 'string' || delim.tag || list?.kind !== 'seq' || list.tag) return [{ expression }];
      const out: ImagePart[] = [];
      list.items.forEach((item, i) => {
        if (i > 0 && delim.value) out.push({ literal: delim.value });
        out.push(...imageParts(item, scope, depth + 1));
      });
      return out;
    }
    default:
      return [{ expression }];
  }
}

function refPart(name: string, expression: string, scope: CfnScope): ImagePart {
  if (scope.parameters.has(name)) {
    const def = scope.parameters.get(name);
    if (def !== undefined) return { expression, defaultValue: def, defaultSource: `Parameters.${name}.Default` };
  }
  return { expression };
}

/** Parts of a `Fn::Sub` template: `${Param}`, `${Res.Attr}`, `${AWS::Region}`, `${!Literal}`, and the vars map. */
function subParts(template: string, vars: DNode | undefined, scope: CfnScope, depth: number): ImagePart[] {
  const out: ImagePart[] = [];
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('${', i);
    const close = open < 0 ? -1 : template.indexOf('}', open);
    if (open < 0 || close < 0) {
      out.push({ literal: template.slice(i) });
      break;
    }
    if (open > i) out.push({ literal: template.slice(i, open) });
    const name = template.slice(open + 2, close).trim();
    const expression = template.slice(open, close + 1);
    i = close + 1;
    if (name.startsWith('!')) {
      out.push({ literal: `\${${name.slice(1)}}` });
      continue;
    }
    const bound = vars?.kind === 'map' ? vars.entries.find((e) => e.key === name)?.value : undefined;
    if (bound) out.push(...imageParts(bound, scope, depth + 1));
    else if (name.includes('.')) out.push({ expression, repository: name.split('.').slice(1).join('.') === 'RepositoryUri' });
    else out.push(refPart(name, expression, scope));
  }
  return out.filter((p) => !('literal' in p) || p.literal !== '');
}

/** CloudFormation values as image references and shell text. */
export function cfnResolver(scope: CfnScope): ValueResolver {
  return {
    image(node) {
      const sub = subTemplate(node);
      const span: Span = sub ? sub.template.inner : node.kind === 'string' && !node.tag ? node.inner : node.span;
      return { parts: imageParts(node, scope), span };
    },
    text(node): ShellSource | undefined {
      if (node.kind === 'string' && !node.tag) return node.source();
      if (node.kind === 'scalar' && !node.tag && node.value !== null) return exactSource(node.raw, node.span.start);
      // A `!Sub` string is shell text with `${…}` references, which read like shell variables.
      return subTemplate(node)?.template.source();
    },
  };
}
