// Recognises JavaScript package installs: npm, yarn, pnpm, bun, and npx-style runners that download.
import { anyOption, inert, names, subcommand, type InstallHit, type InstallRecogniser } from './install-common';
import { versionedSpec } from './install-python';
import { parseOptions, values, type OptionSpec } from './options';
import type { Word } from './words';

const OFFLINE = ['--offline', '--prefer-offline-only'];

const NPM: OptionSpec = {
  short: 'Cw',
  long: ['--prefix', '--workspace', '--registry', '--cache', '--userconfig', '--globalconfig', '--loglevel', '--omit', '--include', '--tag', '--install-strategy', '--location'],
};
const NPM_INSTALL = new Set([
  'install', 'i', 'in', 'ins', 'inst', 'insta', 'instal', 'isnt', 'isnta', 'isntal', 'isntall', 'add', 'ci', 'clean-install',
  'install-clean', 'ic', 'update', 'up', 'upgrade', 'udpate', 'install-test', 'it', 'install-ci-test', 'cit',
]);

const NPX: OptionSpec = { short: 'pcw', long: ['--package', '--call', '--node-options', '--shell', '--script-shell', '--cache', '--registry', '--userconfig', '--workspace'] };

/** `npx`, `npm exec`, `bunx`: a runner that prefers a local binary; reported only when it clearly installs. */
function runner(args: Word[]): InstallHit | undefined {
  const p = parseOptions(args, { ...NPX, stopAtPositional: true });
  if (p.options.some((o) => ['--no', '--no-install', '--offline', '--help', '-h', '--version'].includes(o.name))) return undefined;
  const pkgs = values(p, '-p', '--package');
  const target = p.rest[0]?.value;
  const yes = p.options.some((o) => o.name === '-y' || o.name === '--yes' || o.name === '--yes=true');
  if (!yes && pkgs.length === 0 && !(target && versionedSpec(target))) return undefined;
  return { ecosystem: 'npm', packages: pkgs.length ? pkgs : target ? [target] : [] };
}

const npm: InstallRecogniser = (_name, args) => {
  const s = subcommand(args, NPM);
  if (!s.name || inert(s) || anyOption(s, ...OFFLINE)) return undefined;
  if (s.name === 'exec' || s.name === 'x') return runner(s.global.rest.slice(1));
  if (!NPM_INSTALL.has(s.name)) return undefined;
  return { ecosystem: 'npm', packages: names(s.after.positionals) };
};

const YARN: OptionSpec = { long: ['--cwd', '--modules-folder', '--cache-folder', '--mutex', '--network-timeout', '--registry', '--global-folder'] };
const yarn: InstallRecogniser = (_name, args) => {
  const s = subcommand(args, YARN);
  if (inert(s) || anyOption(s, '-v', ...OFFLINE)) return undefined;
  if (!s.name) return { ecosystem: 'npm', packages: [] }; // bare `yarn` installs
  let [sub, pos] = [s.name, s.after.positionals];
  if (sub === 'global') [sub, pos] = [pos[0]?.value, pos.slice(1)];
  if (!sub || !['install', 'add', 'upgrade', 'up', 'dlx'].includes(sub)) return undefined;
  return { ecosystem: 'npm', packages: names(sub === 'dlx' ? pos.slice(0, 1) : pos) };
};

const PNPM: OptionSpec = { short: 'CF', long: ['--dir', '--filter', '--reporter', '--store-dir', '--virtual-store-dir', '--registry'] };
const pnpm: InstallRecogniser = (name, args) => {
  if (name === 'pnpx') return { ecosystem: 'npm', packages: names(parseOptions(args, { ...NPX, stopAtPositional: true }).rest.slice(0, 1)) };
  const s = subcommand(args, PNPM);
  if (!s.name || inert(s) || anyOption(s, ...OFFLINE)) return undefined;
  if (!['install', 'i', 'add', 'update', 'up', 'upgrade', 'dlx', 'fetch', 'install-test', 'it'].includes(s.name)) return undefined;
  return { ecosystem: 'npm', packages: names(s.name === 'dlx' ? s.after.positionals.slice(0, 1) : s.after.positionals) };
};

const bun: InstallRecogniser = (name, args) => {
  if (name === 'bunx') return runner(args);
  const s = subcommand(args, { short: 'c', long: ['--cwd', '--config', '--registry', '--backend', '--cache-dir'] });
  if (!s.name || inert(s)) return undefined;
  if (s.name === 'x') return runner(s.global.rest.slice(1));
  if (!['install', 'i', 'add', 'a', 'update'].includes(s.name)) return undefined;
  return { ecosystem: 'npm', packages: names(s.after.positionals) };
};

/** Recognisers by program basename. */
export const JS_INSTALLERS: Record<string, InstallRecogniser> = {
  npm,
  npx: (_n, args) => runner(args),
  yarn,
  yarnpkg: yarn,
  pnpm,
  pnpx: pnpm,
  bun,
  bunx: bun,
};
