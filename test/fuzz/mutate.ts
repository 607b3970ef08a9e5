// Mutations of valid files into half-typed and damaged ones: truncation, random bytes, deleted and
// duplicated lines, unbalanced quotes and brackets, mixed line endings, flipped bytes, indentation.
import fc from 'fast-check';

type Op =
  | { op: 'truncate'; at: number }
  | { op: 'insert'; at: number; text: string }
  | { op: 'delete-line'; line: number }
  | { op: 'duplicate-line'; line: number; times: number }
  | { op: 'swap-lines'; a: number; b: number }
  | { op: 'line-endings'; choices: number[] }
  | { op: 'flip-byte'; at: number; value: number }
  | { op: 'indent'; line: number; delta: number }
  | { op: 'delete-range'; at: number; length: number }
  | { op: 'bom' };

/** Characters that open or close something in one of the formats: inserting one unbalances the file. */
const OPENERS = ['"', "'", '`', '${', '$(', '%{', '[', '{', '(', ']', '}', ')', '<<EOF\n', '<<-EOT\n', '\\', '\\\n', '#', '- ', ': ', '&a ', '*a', '!Ref ', '|\n', '>-\n', '---\n', '/*', '*/', '//', ',', '\t'];

const fraction = fc.double({ min: 0, max: 1, noNaN: true });
const insertText = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...OPENERS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
  { weight: 1, arbitrary: fc.constantFrom('\0', '\ufffd', '\ud800', '\u2028', '\r', '\u0085', '\ufeff') },
);

const OP: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('truncate' as const), at: fraction }),
  fc.record({ op: fc.constant('insert' as const), at: fraction, text: insertText }),
  fc.record({ op: fc.constant('delete-line' as const), line: fraction }),
  fc.record({ op: fc.constant('duplicate-line' as const), line: fraction, times: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ op: fc.constant('swap-lines' as const), a: fraction, b: fraction }),
  fc.record({ op: fc.constant('line-endings' as const), choices: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 8 }) }),
  fc.record({ op: fc.constant('flip-byte' as const), at: fraction, value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant('indent' as const), line: fraction, delta: fc.integer({ min: -4, max: 4 }) }),
  fc.record({ op: fc.constant('delete-range' as const), at: fraction, length: fc.integer({ min: 1, max: 40 }) }),
  fc.constant({ op: 'bom' as const }),
);

/** One to four mutations. */
export const mutations: fc.Arbitrary<Op[]> = fc.array(OP, { minLength: 1, maxLength: 4 });

const pos = (f: number, n: number) => Math.min(n, Math.floor(f * (n + 1)));

/** Apply `ops` to `text` in order. Pure: the same ops give the same text. */
export function applyMutations(text: string, ops: readonly Op[]): string {
  let t = text;
  for (const o of ops) {
    const lines = t.split('\n');
    const line = (f: number) => Math.min(lines.length - 1, Math.floor(f * lines.length));
    switch (o.op) {
      case 'truncate':
        t = t.slice(0, pos(o.at, t.length));
        break;
      case 'insert': {
        const at = pos(o.at, t.length);
        t = t.slice(0, at) + o.text + t.slice(at);
        break;
      }
      case 'delete-line':
        lines.splice(line(o.line), 1);
        t = lines.join('\n');
        break;
      case 'duplicate-line': {
        const i = line(o.line);
        lines.splice(i, 0, ...Array<string>(o.times).fill(lines[i]));
        t = lines.join('\n');
        break;
      }
      case 'swap-lines': {
        const a = line(o.a);
        const b = line(o.b);
        [lines[a], lines[b]] = [lines[b], lines[a]];
        t = lines.join('\n');
        break;
      }
      case 'line-endings': {
        let k = 0;
        t = t.replace(/\r\n|\n/g, () => ['\n', '\r\n', '\r'][o.choices[k++ % o.choices.length]]);
        break;
      }
      case 'flip-byte': {
        // As a file read with a lossy UTF-8 decode: a damaged byte becomes U+FFFD (or another character).
        const bytes = Buffer.from(t, 'utf8');
        if (bytes.length) bytes[pos(o.at, bytes.length - 1)] = o.value;
        t = bytes.toString('utf8');
        break;
      }
      case 'indent': {
        const i = line(o.line);
        lines[i] = o.delta >= 0 ? ' '.repeat(o.delta) + lines[i] : lines[i].replace(new RegExp(`^ {0,${-o.delta}}`), '');
        t = lines.join('\n');
        break;
      }
      case 'delete-range': {
        const at = pos(o.at, t.length);
        t = t.slice(0, at) + t.slice(at + o.length);
        break;
      }
      case 'bom':
        t = `\ufeff${t}`;
        break;
    }
  }
  return t;
}

/** `base` texts, each possibly mutated (a quarter stay intact, so valid inputs are tried too). */
export function mutated(base: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.tuple(base, fc.option(mutations, { freq: 4 })).map(([text, ops]) => (ops ? applyMutations(text, ops) : text));
}
