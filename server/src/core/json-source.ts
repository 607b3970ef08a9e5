// Decodes a JSON string literal while keeping, for every decoded character, its offset in the document.
import type { ShellSource } from './model';

/**
 * `raw` is the literal as written, quotes included, starting at document offset `base`. Returns the
 * decoded text with a map back to the document, or undefined when the literal is malformed.
 */
export function jsonStringSource(raw: string, base: number): ShellSource | undefined {
  if (raw.length < 2 || raw[0] !== '"' || raw[raw.length - 1] !== '"') return undefined;
  let text = '';
  const map: number[] = [];
  let i = 1;
  const end = raw.length - 1;
  while (i < end) {
    const c = raw[i];
    if (c !== '\\') {
      map.push(base + i);
      text += c;
      i++;
      continue;
    }
    const e = raw[i + 1];
    const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
    if (e !== undefined && e in simple) {
      map.push(base + i);
      text += simple[e];
      i += 2;
    } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(raw.slice(i + 2, i + 6))) {
      map.push(base + i);
      text += String.fromCharCode(parseInt(raw.slice(i + 2, i + 6), 16));
      i += 6;
    } else {
      return undefined;
    }
  }
  map.push(base + end);
  return { text, map };
}
