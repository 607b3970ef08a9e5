// Section 5: start-up. The time to load dist/extension.js and run its activate() in Node with a
// `vscode` stub (a proxy for activation, measured in a fresh process) and the packaged .vsix size.
import { execFileSync } from 'child_process';
import { existsSync, statSync } from 'fs';
import { join } from 'path';
import { REPO } from '../generate.mjs';
import { timeNode } from '../lib/proc.mjs';

/** Loaded by a fresh `node -e`: stub `vscode`, then time require('dist/extension.js'). */
const LOADER = `
const Module = require('module');
const special = { __esModule: true, then: undefined, [Symbol.toPrimitive]: () => 0, [Symbol.iterator]: function* () {} };
const handler = { get: (t, k) => (k in special ? special[k] : typeof k === 'symbol' ? undefined : stub), apply: () => stub, construct: () => stub };
const stub = new Proxy(function () {}, handler);
// The bundle reads \`vscode\` through esbuild's namespace copy, which copies own properties: give the
// module stub every property name the bundle mentions.
const names = new Set([...require('fs').readFileSync(process.argv[1], 'utf8').matchAll(/\\.([A-Za-z_$][\\w$]*)/g)].map((m) => m[1]));
const moduleStub = { ...Object.fromEntries([...names].map((n) => [n, stub])), version: '1.100.0' };
const load = Module._load;
Module._load = function (request, ...rest) { return request === 'vscode' ? moduleStub : load.call(this, request, ...rest); };
const t = process.hrtime.bigint();
const ext = require(process.argv[1]);
const ms = Number(process.hrtime.bigint() - t) / 1e6;
if (typeof ext.activate !== 'function') throw new Error('dist/extension.js exports no activate()');
// activate() itself, with the real language client over the stub (the server it starts in the
// background cannot run here; activation does not wait for it).
const context = { subscriptions: [], asAbsolutePath: (p) => require('path').join(process.argv[1], '..', '..', p), globalStorageUri: { fsPath: require('os').tmpdir() }, workspaceState: stub, globalState: stub, extensionUri: stub };
const a = process.hrtime.bigint();
Promise.resolve(ext.activate(context)).then(() => {
  const activateMs = Number(process.hrtime.bigint() - a) / 1e6;
  process.stdout.write(JSON.stringify({ requireMs: ms, activateMs }));
  process.exit(0);
});
`;

/** `runs` fresh processes loading the extension bundle: in-process require time and whole-process time. */
export async function extensionLoad(runs = 5) {
  const out = [];
  for (let i = 0; i < runs; i++) {
    const r = await timeNode(['-e', LOADER, join(REPO, 'dist/extension.js')], { cwd: REPO, timeoutMs: 30_000 });
    if (r.code !== 0) throw new Error(`loading dist/extension.js failed: ${r.stderr.slice(-1000)}`);
    const { requireMs, activateMs } = JSON.parse(r.stdout);
    out.push({ requireMs, activateMs, wallMs: r.wallMs });
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
