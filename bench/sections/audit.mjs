// Section 2: the workspace audit as a whole process through the CLI, cold (and warm when the CLI
// has an audit cache option), beside a whole-process dockerfile-utils run over the same Dockerfiles.
import { execFileSync } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { REPO } from '../generate.mjs';
import { timeNode } from '../lib/proc.mjs';
import { median, summary } from '../lib/stats.mjs';

const CLI = join(REPO, 'dist/cli.js');
const PEER = join(REPO, 'bench/peer-dockerfile-utils.mjs');

/**
 * The audit's cache flag if `known-good --help` lists one (`--cache`, maybe with a value; not the
 * digest cache's `--cache-dir`/`--no-cache`): { flag, takesValue } or undefined.
 */
export function auditCacheOption() {
  const help = execFileSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' });
  // A flag naming the cache file keeps the bench's cache out of the user's cache folder.
  if (/^\s+--cache-location\s+FILE\s{2,}/m.test(help)) return { flag: '--cache-location', takesValue: true };
  const m = /^\s+--cache(?:\s+([A-Z]+))?\s{2,}/m.exec(help);
  return m ? { flag: '--cache', takesValue: Boolean(m[1]) } : undefined;
}

const auditArgs = (ws, extra = []) => [CLI, 'audit', ws, '--format', 'json', '--output', '/dev/null', '--fail-on', 'none', ...extra];

function check(run, what) {
  if (run.code !== 0) throw new Error(`${what} exited with ${run.code}: ${run.stderr.slice(-2000)}`);
  return run;
}

/**
 * `runs` pairs of (our cold audit, the peer), alternated so drift hits both; then, with a cache
 * option, one run to fill the cache and `runs` warm runs.
 */
export async function auditSection(ws, { runs = 3, log = () => {} } = {}) {
  const ours = [];
  const peer = [];
  for (let i = 0; i < runs; i++) {
    ours.push(check(await timeNode(auditArgs(ws.dir), { cwd: REPO, timeoutMs: 180_000 }), 'audit'));
    log(`  audit run ${i + 1}/${runs}: ${(ours[i].wallMs / 1000).toFixed(1)} s`);
    peer.push(check(await timeNode([PEER, ws.dir], { cwd: REPO, timeoutMs: 180_000 }), 'peer'));
    log(`  dockerfile-utils run ${i + 1}/${runs}: ${(peer[i].wallMs / 1000).toFixed(1)} s`);
  }
  const peerFiles = JSON.parse(peer[0].stdout.trim()).files;
  const cache = auditCacheOption();
  let warm;
  if (cache) {
    const dir = mkdtempSync(join(tmpdir(), 'kg-bench-cache-'));
    try {
      const extra = cache.takesValue ? [cache.flag, join(dir, 'cache.json')] : [cache.flag];
      check(await timeNode(auditArgs(ws.dir, extra), { cwd: REPO, timeoutMs: 180_000 }), 'audit (filling the cache)');
      warm = [];
      for (let i = 0; i < runs; i++) {
        warm.push(check(await timeNode(auditArgs(ws.dir, extra), { cwd: REPO, timeoutMs: 180_000 }), 'warm audit'));
        log(`  warm audit run ${i + 1}/${runs}: ${(warm[i].wallMs / 1000).toFixed(1)} s`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const pick = (list, key) => summary(list.map((r) => r[key]));
  const describe = (list) => ({ wallMs: pick(list, 'wallMs'), cpuMs: pick(list, 'cpuMs'), maxRssMB: pick(list, 'maxRssMB') });
  return {
    files: ws.targets,
    peerFiles,
    cold: describe(ours),
    peer: describe(peer),
    // Pair by pair, as the runs alternated.
    ratio: summary(ours.map((r, i) => r.wallMs / peer[i].wallMs)),
    warm: warm ? describe(warm) : undefined,
    cacheFlag: cache?.flag,
    cpuPerWall: median(ours.map((r) => r.cpuMs / r.wallMs)),
  };
}
