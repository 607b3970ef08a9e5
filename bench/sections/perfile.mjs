// Section 1, run in its own process: per-call time of our core's analyze() and of dockerfile-utils
// validate() on the same Dockerfile texts (16, 1,000 and 5,000 lines), interleaved call by call.
// Prints one JSON line: { cases: [{ name, lines, ours, theirs, ratio, iterations }] }.
import { createRequire } from 'module';
import { join } from 'path';
import { benchTexts, REPO } from '../generate.mjs';
import { summary } from '../lib/stats.mjs';

const require = createRequire(import.meta.url);
const { analyze } = require(join(REPO, 'out/server/src/core/analyze.js'));
const { initParsers } = require(join(REPO, 'out/server/src/core/treesitter.js'));
const { validate } = require('dockerfile-utils');

const seed = Number(process.argv[2]) || undefined;
const texts = benchTexts(seed);
const CASES = [
  { name: '16-line two-stage Dockerfile', text: texts.small, budgetMs: 2000, maxIterations: 5000 },
  { name: '1,000-line Dockerfile', text: texts.df1000, budgetMs: 3000, maxIterations: 1000 },
  { name: '5,000-line Dockerfile', text: texts.df5000, budgetMs: 5000, maxIterations: 300 },
];

const ours = (text) => analyze({ file: '/bench/Dockerfile', text, languageId: 'dockerfile' }).findings.length;
const theirs = (text) => validate(text).length;

function timeOnce(fn, text) {
  const t = process.hrtime.bigint();
  fn(text);
  return Number(process.hrtime.bigint() - t) / 1e6;
}

await initParsers();
const cases = [];
for (const c of CASES) {
  // Warm-up: let both be optimised before measuring (at least 20 calls or ~15% of the budget).
  const warmEnd = performance.now() + c.budgetMs * 0.15;
  for (let i = 0; i < 20 || performance.now() < warmEnd; i++) {
    ours(c.text);
    theirs(c.text);
  }
  const a = [];
  const b = [];
  const end = performance.now() + c.budgetMs;
  // Interleave A B A B so drift in machine speed hits both alike; at least 10 pairs.
  for (let i = 0; i < c.maxIterations && (i < 10 || performance.now() < end); i++) {
    a.push(timeOnce(ours, c.text));
    b.push(timeOnce(theirs, c.text));
  }
  const sa = summary(a);
  const sb = summary(b);
  cases.push({ name: c.name, lines: c.text.split('\n').length - 1, ours: sa, theirs: sb, ratio: sa.median / sb.median, iterations: a.length, findings: ours(c.text) });
}
process.stdout.write(`${JSON.stringify({ cases })}\n`);
