// Makes text from analysed files safe to print: control characters (terminal escapes) and bidi
// overrides (which reorder what a reader sees) become visible escapes such as `\x1b` or `\u202e`.

const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * `text` with every control character but tab and line feed, and every bidirectional override or
 * isolate, written as an escape (`\x1b`, `\r`, `\u202e`). Line feeds are the caller's business.
 */
export function printable(text: string): string {
  return text.replace(UNSAFE, (c) => {
    if (c === '\r') return '\\r';
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
