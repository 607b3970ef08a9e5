// Reads a V8 .cpuprofile (node --cpu-prof) and prints the functions with the most self time, and
// the same grouped by source file, and the largest inclusive (total) times, so a missed target can be
// traced to its cause.
// Usage: node bench/profile-top.mjs <file.cpuprofile> [count]
import { readFileSync } from 'fs';

/** Self time per function and per file, and inclusive time per function (ms), largest first. */
export function topSelfTime(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const deltas = profile.timeDeltas;
  for (let i = 0; i < profile.samples.length; i++) {
    const n = byId.get(profile.samples[i]);
    self.set(n, (self.get(n) ?? 0) + (deltas[i] ?? 0) / 1000);
  }
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n);
  const fileOf = (f) => f.url.replace(/^.*?\/(node_modules|out|dist)\//, '$1/') || `(${f.functionName || 'native'})`;
  const keyOf = (n) => `${n.callFrame.functionName || '(anonymous)'}  ${fileOf(n.callFrame)}:${n.callFrame.lineNumber + 1}`;
  const fns = new Map();
  const files = new Map();
  const inclusive = new Map();
  for (const [n, t] of self) {
    fns.set(keyOf(n), (fns.get(keyOf(n)) ?? 0) + t);
    files.set(fileOf(n.callFrame), (files.get(fileOf(n.callFrame)) ?? 0) + t);
    // Each function on the stack once (recursion counted once).
    const seen = new Set();
    for (let p = n; p; p = parent.get(p.id)) {
      const k = keyOf(p);
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + t);
    }
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const sort = (m) => [...m].sort((a, b) => b[1] - a[1]);
  return { total, functions: sort(fns), files: sort(files), inclusive: sort(inclusive) };
}

if (process.argv[2]) {
  const count = Number(process.argv[3] ?? 25);
  const { total, functions, files, inclusive } = topSelfTime(JSON.parse(readFileSync(process.argv[2], 'utf8')));
  const line = ([k, t]) => `${t.toFixed(0).padStart(8)} ms ${((100 * t) / total).toFixed(1).padStart(5)}%  ${k}`;
  console.log(`total ${total.toFixed(0)} ms\n\ntop functions by self time:`);
  for (const e of functions.slice(0, count)) console.log(line(e));
  console.log('\ntop files by self time:');
  for (const e of files.slice(0, 15)) console.log(line(e));
  console.log('\ntop functions by inclusive time (own code):');
  for (const e of inclusive.filter(([k]) => /  out\/|  dist\/(cli|extension)\.js/.test(k)).slice(0, count)) console.log(line(e));
}
