// Section 5: start-up. The time to load dist/extension.js in Node with a minimal `vscode` stub (a
// proxy for activation, measured in a fresh process) and the packaged .vsix size.
import { execFileSync } from 'child_process';
import { existsSync, statSync } from 'fs';
import { join } from 'path';
import { REPO } from '../generate.mjs';
import { timeNode } from '../lib/proc.mjs';

/** Loaded by a fresh `node -e`: stub `vscode`, then time require('dist/extension.js'). */
const LOADER = `
const Module = require('module');
const handler = { get: (t, k) => (k === 'then' || k === '__esModule' || typeof k === 'symbol' ? undefined : stub), apply: () => stub, construct: () => stub };
const stub = new Proxy(function () {}, handler);
const load = Module._load;
Module._load = function (request, ...rest) { return request === 'vscode' ? stub : load.call(this, request, ...rest); };
const t = process.hrtime.bigint();
const ext = require(process.argv[1]);
const ms = Number(process.hrtime.bigint() - t) / 1e6;
if (typeof ext.activate !== 'function') throw new Error('dist/extension.js exports no activate()');
process.stdout.write(JSON.stringify({ requireMs: ms }));
`;

/** `runs` fresh processes loading the extension bundle: in-process require time and whole-process time. */
export async function extensionLoad(runs = 5) {
  const out = [];
  for (let i = 0; i < runs; i++) {
    const r = await timeNode(['-e', LOADER, join(REPO, 'dist/extension.js')], { cwd: REPO, timeoutMs: 30_000 });
    if (r.code !== 0) throw new Error(`loading dist/extension.js failed: ${r.stderr.slice(-1000)}`);
    out.push({ requireMs: JSON.parse(r.stdout).requireMs, wallMs: r.wallMs });
  }
  return out;
}

/** Size of known-good.vsix, packaging it first (`npm run package`) when it is missing. */
export function vsixSize(log = () => {}) {
  const file = join(REPO, 'known-good.vsix');
  let packaged = false;
  if (!existsSync(file)) {
    log('  known-good.vsix is missing: npm run package');
    execFileSync('npm', ['run', 'package'], { cwd: REPO, stdio: 'ignore', timeout: 240_000 });
    packaged = true;
  }
  const st = statSync(file);
  const bundle = statSync(join(REPO, 'dist/extension.js'));
  return { bytes: st.size, mtime: st.mtime.toISOString(), packaged, olderThanBuild: st.mtimeMs < bundle.mtimeMs };
}
