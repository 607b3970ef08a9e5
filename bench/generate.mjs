// Seeded generator of the benchmark workspace: a monorepo of 10,000 Dockerfiles, 3,000 ECS
// task-definition JSON files, 1,000 CloudFormation templates, 1,000 Terraform files, 1,000 compose
// files and 300 entrypoint scripts (plus non-target files). Same seed, same bytes; written under
// .cache/bench/ and reused while the seed and GENERATOR_VERSION match.
// Usage: node bench/generate.mjs [--seed N] [--force]
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { dirname, join, resolve } from 'path';
import { fileURLToPath } from 'url';
import { cloudFormation, cloudFormationJson, cloudFormationOfLines } from './gen/cloudformation.mjs';
import { compose } from './gen/compose.mjs';
import { dockerfile, dockerfileOfLines, SMALL_TWO_STAGE } from './gen/dockerfile.mjs';
import { taskDefinition } from './gen/ecs.mjs';
import { serviceName } from './gen/images.mjs';
import { Rng } from './gen/rng.mjs';
import { entrypoint } from './gen/scripts.mjs';
import { terraform } from './gen/terraform.mjs';

/** Bump when a template changes, so cached workspaces are regenerated. */
export const GENERATOR_VERSION = 1;
export const DEFAULT_SEED = 20240601;
export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const COUNTS = { dockerfile: 10000, 'ecs-json': 3000, cloudformation: 1000, terraform: 1000, compose: 1000, shell: 300 };
const SERVICES = 9000;
const crlf = (t) => t.replace(/\n/g, '\r\n');

/** The fixed texts of the per-file and language-server measurements (deterministic for a seed). */
export function benchTexts(seed = DEFAULT_SEED) {
  const rng = new Rng(seed).fork('bench-texts');
  return { small: SMALL_TWO_STAGE, df1000: dockerfileOfLines(rng.fork('df1000'), 1000), df5000: dockerfileOfLines(rng.fork('df5000'), 5000), cfn2000: cloudFormationOfLines(rng.fork('cfn2000'), 2000) };
}

/** Every file of the workspace as [relative path, text, kind or undefined for non-targets]. */
export function* workspaceFiles(seed = DEFAULT_SEED) {
  const root = new Rng(seed);
  const dir = (i) => `services/team-${String(i % 100).padStart(2, '0')}/${serviceName(i)}`;
  // 300 scripts, in every 30th service; a tenth without an extension (found by their shebang).
  const scriptOf = new Map();
  for (let k = 0; k < COUNTS.shell; k++) scriptOf.set(k * 30, k % 10 === 9 ? 'docker-entrypoint' : 'docker-entrypoint.sh');
  for (let i = 0; i < SERVICES; i++) {
    const rng = root.fork(`svc:${i}`);
    const d = dir(i);
    const script = scriptOf.get(i);
    const big = rng.chance(0.01);
    let text = dockerfile(rng, { script, scale: big ? rng.int(8, 20) : 1 });
    yield [`${d}/Dockerfile`, rng.chance(0.08) ? crlf(text) : text, 'dockerfile'];
    // 1,000 services have a second Dockerfile (dev or worker); with a script, it runs the same one.
    if (i % 9 === 0) {
      text = dockerfile(rng, { script });
      yield [rng.chance(0.5) ? `${d}/Dockerfile.dev` : `${d}/docker/worker.dockerfile`, text, 'dockerfile'];
    }
    if (script) yield [`${d}/${script}`, entrypoint(rng), 'shell'];
    if (i % 3 === 0) yield [`${d}/${rng.pick(['task-definition.json', 'ecs/task-definition.json', 'taskdef.json', '.aws/task-definition.json', 'deploy/task-def-prod.json'])}`, taskDefinition(rng, serviceName(i)), 'ecs-json'];
    if (i % 9 === 1) {
      if (rng.chance(0.1)) yield [`${d}/cdk.out/Stack.template.json`, cloudFormationJson(rng, serviceName(i)), 'cloudformation'];
      else yield [`${d}/${rng.pick(['template.yaml', 'cloudformation/stack.yml', 'infra/ecs.yaml'])}`, cloudFormation(rng, serviceName(i), rng.chance(0.02) ? rng.int(20, 40) : undefined), 'cloudformation'];
    }
    if (i % 9 === 2) yield [`${d}/${rng.pick(['main.tf', 'terraform/ecs.tf', 'infra/service.tf'])}`, terraform(rng, serviceName(i), rng.chance(0.02) ? rng.int(20, 40) : undefined), 'terraform'];
    if (i % 9 === 3) {
      const c = compose(rng, serviceName(i));
      const name = rng.pick(['docker-compose.yml', 'compose.yaml', 'docker-compose.prod.yml']);
      yield [`${d}/${name}`, rng.chance(0.05) ? crlf(c.text) : c.text, 'compose'];
      if (c.env) yield [`${d}/.env`, c.env, undefined];
    }
    if (i % 18 === 4) yield [`${d}/README.md`, `# ${serviceName(i)}\n\nOwned by team ${i % 100}.\n`, undefined];
    if (i % 18 === 5) yield [`${d}/package.json`, JSON.stringify({ name: serviceName(i), version: '1.0.0', scripts: { start: 'node server.js' } }, null, 2) + '\n', undefined];
  }
  yield ['.gitignore', '*.log\n/tmp/\n', undefined];
}

/** Where the workspace for `seed` lives, and its stamp (written last, so a partial one is redone). */
export function workspacePaths(seed = DEFAULT_SEED) {
  const base = join(REPO, '.cache', 'bench');
  return { dir: join(base, `workspace-s${seed}-v${GENERATOR_VERSION}`), stamp: join(base, `workspace-s${seed}-v${GENERATOR_VERSION}.json`) };
}

/**
 * Generate the workspace unless a complete one for this seed and version exists. Returns its
 * directory, the counts by kind, the total bytes and the 50 largest target files (paths relative).
 */
export function ensureWorkspace({ seed = DEFAULT_SEED, force = false, log = () => {} } = {}) {
  const { dir, stamp } = workspacePaths(seed);
  if (!force && existsSync(stamp) && existsSync(dir)) return { ...JSON.parse(readFileSync(stamp, 'utf8')), dir, reused: true };
  const started = performance.now();
  rmSync(dir, { recursive: true, force: true });
  const counts = {};
  const sizes = [];
  let bytes = 0;
  let files = 0;
  const made = new Set();
  for (const [rel, text, kind] of workspaceFiles(seed)) {
    const abs = join(dir, rel);
    const parent = dirname(abs);
    if (!made.has(parent)) {
      mkdirSync(parent, { recursive: true });
      made.add(parent);
    }
    writeFileSync(abs, text);
    files++;
    bytes += Buffer.byteLength(text);
    if (kind) {
      counts[kind] = (counts[kind] ?? 0) + 1;
      sizes.push([rel, Buffer.byteLength(text)]);
    }
  }
  for (const [kind, n] of Object.entries(COUNTS)) if (counts[kind] !== n) throw new Error(`generator made ${counts[kind]} ${kind} files, expected ${n}`);
  const largest = sizes.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 50).map(([rel]) => rel);
  const info = { seed, version: GENERATOR_VERSION, counts, targets: sizes.length, files, bytes, largest, seconds: (performance.now() - started) / 1000 };
  writeFileSync(stamp, JSON.stringify(info, null, 2));
  log(`generated ${files} files (${sizes.length} targets, ${(bytes / 1e6).toFixed(1)} MB) in ${info.seconds.toFixed(1)} s`);
  return { ...info, dir, reused: false };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--seed');
  const seed = at > 0 ? Number(process.argv[at + 1]) : DEFAULT_SEED;
  if (!Number.isInteger(seed)) throw new Error('--seed takes an integer');
  const ws = ensureWorkspace({ seed, force: process.argv.includes('--force'), log: console.log });
  console.log(`${ws.reused ? 'reused' : 'wrote'} ${ws.dir}: ${JSON.stringify(ws.counts)}`);
}
