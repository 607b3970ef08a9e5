// `npm run bench`: generate (or reuse) the workspace, run the five measurements of issue 6, print one
// table of medians with min–max, the peer and each target's pass/miss, and append it with the date
// and machine to bench/results.md.
// Options: --seed N, --runs N (whole-process runs, at least 3), --only 1,2,… (sections),
//          --build (rebuild out/ and dist/ first), --no-record (do not append to results.md).
import { execFileSync } from 'child_process';
import { appendFileSync, existsSync, statSync, writeFileSync } from 'fs';
import { arch, cpus, loadavg, platform, release, totalmem } from 'os';
import { join } from 'path';
import { benchTexts, DEFAULT_SEED, ensureWorkspace, REPO } from './generate.mjs';
import { timeNode } from './lib/proc.mjs';
import { rows, table } from './lib/report.mjs';
import { summary } from './lib/stats.mjs';
import { auditSection } from './sections/audit.mjs';
import { lspLatency, lspMemory, serverStartup } from './sections/lsp.mjs';
import { extensionLoad, vsixSize } from './sections/startup.mjs';

const argv = process.argv.slice(2);
const option = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const seed = Number(option('--seed') ?? DEFAULT_SEED);
const runs = Math.max(3, Number(option('--runs') ?? 3));
const only = new Set((option('--only') ?? '1,2,3,4,5').split(',').map(Number));
if (!Number.isInteger(seed) || !Number.isInteger(runs)) throw new Error('--seed and --runs take integers');

const began = performance.now();
const loadBefore = loadavg()[0];
const log = (m) => process.stderr.write(`${m}\n`);
const elapsed = () => `${((performance.now() - began) / 1000).toFixed(0)} s`;

const BUILT = ['dist/cli.js', 'dist/extension.js', 'out/server/src/core/analyze.js'].map((f) => join(REPO, f));
if (argv.includes('--build') || BUILT.some((f) => !existsSync(f))) {
  log('building (npm run build)…');
  execFileSync('npm', ['run', 'build'], { cwd: REPO, stdio: 'inherit', timeout: 240_000 });
}

log(`workspace (seed ${seed})…`);
const ws = ensureWorkspace({ seed, log });
log(`  ${ws.reused ? 'reused' : 'generated'} ${ws.dir} (${ws.targets} target files, ${ws.files} files) [${elapsed()}]`);
const texts = benchTexts(seed);
const results = {};

if (only.has(1)) {
  log('1. per-file analysis, ours and dockerfile-utils in one process…');
  const r = await timeNode([join(REPO, 'bench/sections/perfile.mjs'), String(seed)], { cwd: REPO, timeoutMs: 120_000 });
  if (r.code !== 0) throw new Error(`per-file section failed: ${r.stderr}`);
  results.perfile = JSON.parse(r.stdout.trim().split('\n').pop());
  log(`  done [${elapsed()}]`);
}
if (only.has(2)) {
  log(`2. workspace audit, whole process, ${runs} runs alternated with dockerfile-utils…`);
  results.audit = await auditSection(ws, { runs, log });
  log(`  done [${elapsed()}]`);
}
if (only.has(3)) {
  log('3. language server latency (debounce 0)…');
  results.latency = await lspLatency(texts);
  log(`  done [${elapsed()}]`);
}
if (only.has(4)) {
  log('4. language server memory on the workspace…');
  results.memory = await lspMemory(ws);
  log(`  done [${elapsed()}]`);
}
if (only.has(5)) {
  log('5. start-up…');
  const init = await serverStartup(5);
  const load = await extensionLoad(5);
  results.startup = { init: summary(init), load: summary(load.map((x) => x.requireMs)), activate: summary(load.map((x) => x.activateMs)), activation: summary(load.map((x) => x.requireMs + x.activateMs)), loadProcess: summary(load.map((x) => x.wallMs)), vsix: vsixSize(log) };
  log(`  done [${elapsed()}]`);
}

const gitRev = (() => {
  try {
    const rev = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no', '--', 'server', 'client', 'scripts'], { cwd: REPO, encoding: 'utf8' }).trim();
    return dirty ? `${rev} + uncommitted changes` : rev;
  } catch {
    return 'unknown';
  }
})();
const built = new Date(statSync(BUILT[0]).mtime).toISOString().slice(0, 16);
const machine = `${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ${platform()} ${release()} ${arch()}, Node ${process.version}`;
const c = ws.counts;
const header = [
  `## ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC — ${machine}`,
  '',
  `Commit ${gitRev}, build of ${built}Z. Workspace: seed ${seed}, ${ws.targets.toLocaleString('en')} target files (${c.dockerfile} Dockerfiles, ${c['ecs-json']} task definitions, ${c.cloudformation} CloudFormation, ${c.terraform} Terraform, ${c.compose} compose, ${c.shell} scripts) and ${ws.files - ws.targets} other files, ${(ws.bytes / 1e6).toFixed(1)} MB. Whole-process runs: ${runs}. Bench wall time ${elapsed()}. Load average (1 min) ${loadBefore.toFixed(2)} before, ${loadavg()[0].toFixed(2)} after: other work on the machine inflates the times.`,
  '',
];
const text = `${header.join('\n')}\n${table(rows(results))}\n`;
process.stdout.write(`\n${text}`);
// The raw figures of the last run, for a closer look (not committed: .cache/ is ignored).
writeFileSync(join(REPO, '.cache/bench/last-run.json'), JSON.stringify({ date: new Date().toISOString(), machine, seed, runs, results }, null, 2));
if (!argv.includes('--no-record')) {
  appendFileSync(join(REPO, 'bench/results.md'), `\n${text}`);
  log('appended to bench/results.md');
}
if (performance.now() - began > 300_000) log(`warning: the benchmark took ${elapsed()}, over the 5-minute budget`);
