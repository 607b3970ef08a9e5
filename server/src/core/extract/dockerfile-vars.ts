// Dockerfile variable substitution ($VAR, ${VAR}, ${VAR:-default}) for image references.
import { splitReference } from '../image-ref';
import { VARIABLE_REPOSITORY, type ImageVariable } from '../model';

const VAR = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

export interface Substitution {
  /** The text with every variable replaced; undefined when one has no value. */
  value?: string;
  /** Variables used, as written. */
  expressions: string[];
  /** Names of variables without a value. */
  unresolved: string[];
  /** Where the values came from (`ARG BASE`). */
  sources: string[];
}

/** Replace variables using `values` (ARG/ENV defaults in scope) and inline `${X:-default}` forms. */
export function substitute(text: string, values: ReadonlyMap<string, string>): Substitution {
  const expressions: string[] = [];
  const unresolved: string[] = [];
  const sources: string[] = [];
  let ok = true;
  const value = text.replace(VAR, (whole, braced: string | undefined, op: string | undefined, word: string | undefined, bare: string | undefined) => {
    const name = braced ?? bare ?? '';
    expressions.push(whole);
    const known = values.get(name);
    const isSet = known !== undefined && (known !== '' || op === '-' || op === '+');
    if (op === ':+' || op === '+') return isSet ? (word ?? '') : '';
    if (isSet) {
      sources.push(`ARG ${name}`);
      return known;
    }
    if (op === ':-' || op === '-') {
      sources.push(`\`${whole}\``);
      return word ?? '';
    }
    ok = false;
    unresolved.push(name);
    return '';
  });
  return { value: ok ? value : undefined, expressions, unresolved, sources };
}

/**
 * Describe how an image reference depends on variables: which part they cover, the default, and the
 * reference to analyse (see ImageSite.resolved). Returns undefined for a reference without variables.
 */
export function imageVariable(text: string, values: ReadonlyMap<string, string>): { variable: ImageVariable; resolved?: string } | undefined {
  if (!text.includes('$')) return undefined;
  const sub = substitute(text, values);
  // Split at the tag with variables masked, so `node:${V:-20}-alpine` splits at the first colon.
  const masked = text.replace(VAR, (m) => '_'.repeat(m.length));
  const split = splitReference(masked);
  const tagAt = split.tag !== undefined ? split.name.length + 1 : -1;
  const digestAt = split.digest !== undefined ? masked.length - split.digest.length : -1;
  const parts = {
    name: text.slice(0, split.name.length),
    tag: tagAt >= 0 ? text.slice(tagAt, digestAt >= 0 ? digestAt - 1 : text.length) : undefined,
    digest: digestAt >= 0 ? text.slice(digestAt) : undefined,
  };
  const tagIsLiteral = parts.tag !== undefined && !parts.tag.includes('$') && !(parts.digest ?? '').includes('$');
  const nameOnly = tagIsLiteral || (parts.digest !== undefined && !parts.digest.includes('$'));
  if (nameOnly) {
    const resolvedName = substitute(parts.name, values).value ?? VARIABLE_REPOSITORY;
    const rest = (parts.tag !== undefined ? `:${parts.tag}` : '') + (parts.digest !== undefined ? `@${parts.digest}` : '');
    return { variable: { expression: sub.expressions.join(', '), covers: 'registry' }, resolved: resolvedName + rest };
  }
  const variable: ImageVariable = { expression: sub.expressions.join(', '), covers: 'tag-or-whole' };
  if (sub.value !== undefined && sub.value !== '') {
    variable.defaultValue = sub.value;
    variable.defaultSource = sub.sources.join(', ') || undefined;
  }
  return { variable, resolved: sub.value || undefined };
}
