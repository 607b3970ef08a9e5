// Compose variable interpolation (`${VAR:-default}`, `$VAR`, `$$`) and `.env` files, as image parts.
import { matchBrace, type ImagePart, type VariablePart } from './image-site';

/** Values from a `.env` file with the file's path (for messages). */
export interface DotEnv {
  path: string;
  values: Map<string, string>;
}

/** Parse a `.env` file: `KEY=value`, `export KEY=value`, quoted values, `#` comments. */
export function parseDotEnv(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const rawLine of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(rawLine);
    if (!m) continue;
    let v = m[2];
    const q = v[0];
    if ((q === '"' || q === "'") && v.indexOf(q, 1) > 0) {
      v = v.slice(1, v.indexOf(q, 1));
      if (q === '"') v = v.replace(/\\n/g, '\n').replace(/\\(["\\])/g, '$1');
    } else {
      v = v.replace(/\s+#.*$/, '').trim();
    }
    out.set(m[1], v);
  }
  return out;
}

/**
 * Split a compose value into literal and variable parts. A variable's default is the `.env` value
 * when the file sets it, else the inline default of `${VAR:-x}` / `${VAR-x}`.
 */
export function composeParts(value: string, env: DotEnv | undefined, depth = 0): ImagePart[] {
  const parts: ImagePart[] = [];
  let literal = '';
  const flush = () => {
    if (literal) parts.push({ literal });
    literal = '';
  };
  let i = 0;
  while (i < value.length) {
    const c = value[i];
    if (c !== '$') {
      literal += c;
      i++;
      continue;
    }
    const next = value[i + 1];
    if (next === '$') {
      literal += '$';
      i += 2;
    } else if (next === '{') {
      const end = matchBrace(value, i + 1);
      flush();
      parts.push(braced(value.slice(i, end), env, depth));
      i = end;
    } else if (next !== undefined && /[A-Za-z_]/.test(next)) {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(value.slice(i + 1))![0];
      flush();
      parts.push(withEnv({ expression: `$${name}` }, name, env));
      i += 1 + name.length;
    } else {
      literal += c;
      i++;
    }
  }
  flush();
  return parts;
}

function withEnv(part: VariablePart, name: string, env: DotEnv | undefined): VariablePart {
  const v = env?.values.get(name);
  if (v !== undefined) {
    part.defaultValue = v;
    part.defaultSource = env!.path;
  }
  return part;
}

/** `${NAME}`, `${NAME:-default}`, `${NAME-default}`, `${NAME:?err}`, `${NAME:+alt}`. */
function braced(expression: string, env: DotEnv | undefined, depth: number): VariablePart {
  const body = expression.slice(2, expression.endsWith('}') ? -1 : undefined);
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([\s\S]*))?$/.exec(body);
  if (!m) return { expression };
  const [, name, op, rest] = m;
  const set = env?.values.get(name);
  const part: VariablePart = { expression };
  if (set !== undefined && !(op === ':-' && set === '')) {
    if (op === ':+' || op === '+') {
      if (op === '+' || set !== '') return inline(part, rest, env, depth);
      part.defaultValue = '';
    } else part.defaultValue = set;
    part.defaultSource = env!.path;
    return part;
  }
  if (op === ':-' || op === '-') return inline(part, rest, env, depth);
  return part;
}

/** The inline default (itself interpolated) when it resolves fully. */
function inline(part: VariablePart, text: string, env: DotEnv | undefined, depth: number): VariablePart {
  if (depth > 5) return part;
  const inner = composeParts(text, env, depth + 1);
  if (inner.every((p) => 'literal' in p || p.defaultValue !== undefined)) {
    part.defaultValue = inner.map((p) => ('literal' in p ? p.literal : p.defaultValue)).join('');
    part.defaultSource = part.expression;
  }
  return part;
}
