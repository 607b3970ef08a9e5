// Builds ShellSources (decoded text + map to document offsets) for YAML and HCL strings and joins them.
import { coarseSource, exactSource, type ShellSource } from '../model';
import type { Span } from '../types';

/**
 * Map a multi-line value whose every line is written at the end of a document line, one after the
 * other from `start` (YAML literal block scalars, HCL heredocs: indentation removed, text verbatim).
 * Falls back to a coarse source over `fallback` when a line does not match.
 */
export function linesSource(value: string, doc: string, start: number, fallback: Span): ShellSource {
  const lines = value.split('\n');
  const map: number[] = [];
  let pos = start;
  let text = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const last = i === lines.length - 1;
    if (last && line === '') break;
    if (pos > doc.length || pos > fallback.end) return coarseSource(value, fallback);
    let lineEnd = doc.indexOf('\n', pos);
    if (lineEnd < 0) lineEnd = doc.length;
    const contentEnd = doc[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd;
    if (contentEnd - pos < line.length || doc.slice(contentEnd - line.length, contentEnd) !== line) {
      return coarseSource(value, fallback);
    }
    for (let k = 0; k < line.length; k++) map.push(contentEnd - line.length + k);
    text += line;
    if (!last) {
      map.push(contentEnd);
      text += '\n';
    }
    pos = lineEnd + 1;
  }
  if (text !== value) return coarseSource(value, fallback);
  map.push(map.length ? Math.min(map[map.length - 1] + 1, doc.length) : start);
  return { text, map };
}

/** Concatenate sources with `sep` between them; the separator maps to the end of the previous piece. */
export function joinSources(sources: ShellSource[], sep = ' '): ShellSource {
  if (sources.length === 1) return sources[0];
  const text = sources.map((s) => s.text).join(sep);
  if (sources.some((s) => s.coarse)) {
    const spans = sources.map(spanOfSource);
    return coarseSource(text, { start: Math.min(...spans.map((s) => s.start)), end: Math.max(...spans.map((s) => s.end)) });
  }
  const map: number[] = [];
  sources.forEach((s, i) => {
    if (i > 0) for (let k = 0; k < sep.length; k++) map.push(sources[i - 1].map[sources[i - 1].text.length]);
    map.push(...s.map.slice(0, s.text.length));
  });
  map.push(sources[sources.length - 1].map[sources[sources.length - 1].text.length]);
  return { text, map };
}

/** The document span a source covers. */
export function spanOfSource(s: ShellSource): Span {
  if (s.coarse) return { ...s.coarse };
  return { start: s.map[0], end: s.map[s.text.length] };
}

const YAML_ESCAPES: Record<string, string> = {
  '0': '\0', a: '\x07', b: '\b', t: '\t', '\t': '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b',
  ' ': ' ', '"': '"', '/': '/', '\\': '\\', N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029',
};
const HCL_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

/**
 * Decode a one-line quoted string written at `base` (`raw` without its quotes) with a per-character
 * map: YAML double-quoted, YAML single-quoted (`''`), or HCL (`\n`, `$${`, `%%{`). Undefined when it
 * cannot be decoded character for character.
 */
export function decodeQuoted(raw: string, base: number, style: 'yaml-double' | 'yaml-single' | 'hcl'): ShellSource | undefined {
  if (/[\r\n]/.test(raw)) return undefined;
  if (style !== 'hcl' && !raw.includes(style === 'yaml-single' ? "'" : '\\')) return exactSource(raw, base);
  let text = '';
  const map: number[] = [];
  let i = 0;
  while (i < raw.length) {
    const c = raw[i];
    map.push(base + i);
    if (style === 'yaml-single') {
      text += c;
      i += c === "'" && raw[i + 1] === "'" ? 2 : 1;
      continue;
    }
    if (style === 'hcl' && (c === '$' || c === '%') && raw[i + 1] === c && raw[i + 2] === '{') {
      text += c;
      i += 2;
      continue;
    }
    if (c !== '\\') {
      text += c;
      i++;
      continue;
    }
    const e = raw[i + 1];
    const table = style === 'hcl' ? HCL_ESCAPES : YAML_ESCAPES;
    const hex = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    if (e !== undefined && e in table) {
      text += table[e];
      i += 2;
    } else if (hex && (style !== 'hcl' || e !== 'x') && new RegExp(`^[0-9a-fA-F]{${hex}}$`).test(raw.slice(i + 2, i + 2 + hex))) {
      text += String.fromCodePoint(parseInt(raw.slice(i + 2, i + 2 + hex), 16));
      i += 2 + hex;
    } else {
      return undefined;
    }
  }
  map.push(base + raw.length);
  // Astral characters from \U escapes add two code units for one map entry: keep the map aligned.
  if (map.length !== text.length + 1) return undefined;
  return { text, map };
}

/** Remove characters from a source (e.g. compose's `$$` → `$`), keeping the map of the rest. */
export function dropChars(source: ShellSource, drop: (text: string, i: number) => boolean): ShellSource {
  if (source.coarse) {
    let text = '';
    for (let i = 0; i < source.text.length; i++) if (!drop(source.text, i)) text += source.text[i];
    return coarseSource(text, source.coarse);
  }
  let text = '';
  const map: number[] = [];
  for (let i = 0; i < source.text.length; i++) {
    if (drop(source.text, i)) continue;
    text += source.text[i];
    map.push(source.map[i]);
  }
  map.push(source.map[source.text.length]);
  return { text, map };
}
