// A small unified-diff writer (Myers' line diff, 3 lines of context) for `pin --dry-run`.

/**
 * Lines of `text` with their terminators (`\n`, and a `\r` before it stays part of the line, as
 * diff and patch treat CRLF files). The last line has no terminator when the text does not end
 * with a newline.
 */
export function splitLines(text: string): string[] {
  const lines = text.split(/(?<=\n)/);
  return lines.length === 1 && lines[0] === '' ? [] : lines;
}

type Op = { kind: ' ' | '-' | '+'; line: string };

/** The shortest edit script from `a` to `b` (Myers, O((N+M)·D)), as kept/removed/added lines in order. */
export function diffLines(a: readonly string[], b: readonly string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  // Walk the trace back from (n, m) to (0, 0).
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0 && (x > 0 || y > 0); d--) {
    const vd = trace[d];
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[offset + k - 1] < vd[offset + k + 1]) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : vd[offset + prevK];
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      ops.push({ kind: ' ', line: a[x] });
    }
    if (d === 0) break;
    if (x === prevX) ops.push({ kind: '+', line: b[--y] });
    else ops.push({ kind: '-', line: a[--x] });
  }
  ops.reverse();
  // Within each run of changes, removals first, then additions (as diff and git print them).
  for (let i = 0; i < ops.length; ) {
    if (ops[i].kind === ' ') {
      i++;
      continue;
    }
    let j = i;
    while (j < ops.length && ops[j].kind !== ' ') j++;
    const run = ops.slice(i, j);
    ops.splice(i, j - i, ...run.filter((o) => o.kind === '-'), ...run.filter((o) => o.kind === '+'));
    i = j;
  }
  return ops;
}

const NO_NEWLINE = '\\ No newline at end of file\n';

function rangeOf(start: number, count: number): string {
  // GNU diff: a one-line range is just its line; an empty range names the line before it.
  if (count === 1) return `${start + 1}`;
  return `${count === 0 ? start : start + 1},${count}`;
}

/**
 * A unified diff from `before` to `after`, with `---`/`+++` headers `a/<file>` and `b/<file>`
 * (apply with `patch -p1` or `git apply`). Empty when the texts are equal.
 */
export function unifiedDiff(file: string, before: string, after: string, context = 3): string {
  if (before === after) return '';
  const a = splitLines(before);
  const b = splitLines(after);
  const ops = diffLines(a, b);
  const out: string[] = [`--- a/${file}\n`, `+++ b/${file}\n`];
  let i = 0;
  let ai = 0; // lines of `a` before ops[i]
  let bi = 0;
  while (i < ops.length) {
    // Find the next change.
    let j = i;
    let aj = ai;
    let bj = bi;
    while (j < ops.length && ops[j].kind === ' ') {
      j++;
      aj++;
      bj++;
    }
    if (j === ops.length) break;
    // Hunk starts `context` lines before the change; extend while changes are within 2·context lines.
    const lead = Math.min(context, j - i);
    let start = j - lead;
    const hunkA = aj - lead;
    const hunkB = bj - lead;
    let end = j;
    let idle = 0;
    for (let k = j; k < ops.length; k++) {
      if (ops[k].kind === ' ') {
        if (++idle > 2 * context) break;
      } else {
        idle = 0;
        end = k + 1;
      }
    }
    end = Math.min(ops.length, end + context);
    let countA = 0;
    let countB = 0;
    const body: string[] = [];
    for (; start < end; start++) {
      const op = ops[start];
      if (op.kind !== '+') countA++;
      if (op.kind !== '-') countB++;
      const line = op.line.endsWith('\n') ? op.line : `${op.line}\n${NO_NEWLINE}`;
      body.push(`${op.kind}${line}`);
    }
    out.push(`@@ -${rangeOf(hunkA, countA)} +${rangeOf(hunkB, countB)} @@\n`, ...body);
    // Advance the counters past the hunk.
    for (let k = i; k < end; k++) {
      if (ops[k].kind !== '+') ai++;
      if (ops[k].kind !== '-') bi++;
    }
    i = end;
  }
  return out.join('');
}
