// npm / yarn / pnpm installs → a build stage that installs from package.json and the lock file, node_modules copied.
import * as path from 'path';
import { contextFile, contextPath, program, requireStatic, stepCwd, wordText, type Planner, type Step, type VendorContext } from './vendor-plan';
import { notFixable } from './types';
import { toolInstalledInStage } from './vendor-base';
import { target } from './vendor-python';

interface Tool {
  lock: string;
  /** Install from the lock file, without dev dependencies. */
  frozen: string;
  /** Install named packages. */
  add: (names: string[]) => string;
  /** A RUN earlier in the stage installs the tool itself. */
  installed: RegExp;
}

const TOOLS: Record<string, Tool> = {
  npm: { lock: 'package-lock.json', frozen: 'npm ci --omit=dev', add: (n) => `npm install --omit=dev ${n.join(' ')}`, installed: /\b(nodejs|npm)\b/ },
  yarn: { lock: 'yarn.lock', frozen: 'yarn install --frozen-lockfile --production', add: (n) => `yarn add ${n.join(' ')}`, installed: /\b(yarn|corepack)\b/ },
  pnpm: { lock: 'pnpm-lock.yaml', frozen: 'pnpm install --frozen-lockfile --prod', add: (n) => `pnpm add ${n.join(' ')}`, installed: /\b(pnpm|corepack)\b/ },
};
const INSTALL_SUBS: Record<string, Set<string>> = {
  npm: new Set(['install', 'i', 'in', 'ins', 'inst', 'insta', 'instal', 'isnt', 'isnta', 'isntal', 'isntall', 'add', 'ci', 'clean-install', 'install-clean', 'ic']),
  yarn: new Set(['install', 'add']),
  pnpm: new Set(['install', 'i', 'add']),
};

/** The packages a step names (empty: install from package.json), or NotFixable for other shapes. */
function namedPackages(step: Step, tool: string): string[] {
  const args = step.argv.slice(1);
  const sub = args.find((w) => !w.value.startsWith('-'));
  if (args.some((w) => ['-g', '--global', '--location=global'].includes(w.value)) || sub?.value === 'global')
    notFixable('a global install is not vendored in a build stage (its files are spread over the image)');
  if (tool === 'yarn' && !sub) return [];
  if (!sub || !INSTALL_SUBS[tool].has(sub.value)) notFixable(`\`${step.download.command}\` is not an install from package.json`);
  const names = args.slice(args.indexOf(sub) + 1).filter((w) => !w.value.startsWith('-'));
  if (names.some((n) => /^(\.|\/|file:|link:)/.test(n.value))) notFixable('the install names local folders: the build stage would need the sources');
  return names.map(wordText);
}

function packageJsonChecks(ctx: VendorContext, rel: string, tool: string): void {
  const text = contextFile(ctx, rel).text;
  if (!text) return;
  let pkg: { workspaces?: unknown; scripts?: Record<string, unknown>; packageManager?: string };
  try {
    pkg = JSON.parse(text);
  } catch {
    return;
  }
  if (pkg.workspaces) notFixable('package.json declares workspaces: an install needs every workspace, not only package.json');
  const hooks = ['preinstall', 'install', 'postinstall', 'prepare'].filter((h) => pkg.scripts && h in pkg.scripts);
  if (hooks.length) notFixable(`package.json runs \`${hooks.join('`, `')}\` scripts on install, which may need the sources`);
  if (tool === 'yarn' && /^yarn@([2-9]|\d{2,})/.test(pkg.packageManager ?? '')) notFixable('Yarn 2+ (Berry) installs differently (`yarn workspaces focus --production`)');
}

/** npm/yarn/pnpm → `FROM <base> AS deps`, copy package.json + lock, frozen install, `COPY --from=deps <dir>/node_modules`. */
export const nodePlan: Planner = (steps, ctx) => {
  const tool = program(steps[0]);
  if (!(tool in TOOLS) || steps.some((s) => program(s) !== tool)) notFixable('only npm, yarn and pnpm installs of one tool are moved into a build stage');
  const t = TOOLS[tool];
  if (toolInstalledInStage(ctx, t.installed)) notFixable(`${tool} is installed by the Dockerfile itself, so the base image alone may not have it`);
  const cwd = stepCwd(steps[0], ctx);
  if (steps.some((s) => stepCwd(s, ctx) !== cwd)) notFixable('the installs run in different directories');
  for (const s of steps) requireStatic(s.argv, ctx);
  const names = steps.flatMap((s) => namedPackages(s, tool));
  const pkgImage = path.posix.join(cwd, 'package.json');
  let pkgRel: string | undefined;
  try {
    pkgRel = contextPath(ctx, pkgImage, 'package.json');
  } catch (e) {
    if (!names.length) throw e;
  }
  const lines = cwd !== '/' ? [`WORKDIR ${cwd}`] : [];
  let run = names.length ? t.add(names) : t.frozen;
  if (pkgRel) {
    if (tool === 'yarn' && contextFile(ctx, path.posix.join(path.posix.dirname(pkgRel), '.yarnrc.yml')).found) notFixable('Yarn 2+ (Berry) installs differently (`yarn workspaces focus --production`)');
    packageJsonChecks(ctx, pkgRel, tool);
    const lockRel = path.posix.join(path.posix.dirname(pkgRel), t.lock);
    const lock = contextFile(ctx, lockRel);
    const pkg = contextFile(ctx, pkgRel);
    const noLock = !lock.found && pkg.found;
    if (noLock && !names.length) {
      if (tool !== 'npm') notFixable(`there is no ${t.lock} next to package.json to install from`);
      run = 'npm install --omit=dev';
    }
    const dest = target(cwd, pkgImage);
    const dir = path.posix.dirname(pkgImage);
    lines.push(noLock ? `COPY ${pkgRel} ${dest}` : `COPY ${pkgRel} ${lockRel} ${dest === './' ? './' : dir === '/' ? '/' : `${dir}/`}`);
  }
  lines.push(`RUN ${run}`);
  const modules = path.posix.join(cwd, 'node_modules');
  const into = ctx.workdir === cwd ? './node_modules' : modules;
  return {
    id: 'vendor-build-stage',
    title: `Install the ${tool} packages in a build stage (${run}, node_modules copied into the image)`,
    builder: { name: 'deps', lines },
    final: [`COPY --from={stage} ${modules} ${into}`],
    asRoot: false,
  };
};
