// Recognises Ruby, Go, Rust, PHP and .NET package installs: gem, bundle, go, cargo, composer, dotnet.
import { anyOption, inert, names, subcommand, type InstallRecogniser } from './install-common';
import type { OptionSpec } from './options';

const GEM: OptionSpec = { short: 'vsi', long: ['--version', '--source', '--install-dir', '--bindir', '--platform', '--document', '--clear-sources'] };
const gem: InstallRecogniser = (_name, args) => {
  const s = subcommand(args, { long: [] }, GEM);
  if (!s.name || !['install', 'i', 'update'].includes(s.name)) return undefined;
  if (anyOption(s, '-h', '--help', '--local', '-l')) return undefined;
  return { ecosystem: 'gem', packages: names(s.after.positionals) };
};

const BUNDLE: OptionSpec = { short: 'j', long: ['--gemfile', '--jobs', '--path', '--retry', '--without', '--with', '--binstubs', '--shebang', '--standalone', '--trust-policy'] };
const bundle: InstallRecogniser = (_name, args) => {
  const s = subcommand(args, BUNDLE);
  if (inert(s) || anyOption(s, '--local', '-v')) return undefined;
  if (s.name !== undefined && !['install', 'update', 'i'].includes(s.name)) return undefined;
  return { ecosystem: 'gem', packages: s.name === 'update' ? names(s.after.positionals) : [] };
};

const GO: OptionSpec = { singleDashLong: true, long: ['-C', '-o', '-p', '-mod', '-modfile', '-tags', '-ldflags', '-gcflags', '-asmflags', '-gccgoflags', '-pkgdir', '-toolexec', '-exec', '-overlay', '-pgo', '-covermode', '-coverpkg'] };
const go: InstallRecogniser = (_name, args) => {
  const s = subcommand(args, GO);
  const pos = s.after.positionals;
  if (s.name === 'get' || s.name === 'install') return { ecosystem: 'go', packages: names(pos) };
  if (s.name === 'mod' && pos[0]?.value === 'download') return { ecosystem: 'go', packages: names(pos.slice(1)) };
  // `go run pkg@version` downloads the module; `go run .` builds local code.
  if (s.name === 'run' && pos[0] && /@[^/\s]+$/.test(pos[0].value)) return { ecosystem: 'go', packages: [pos[0].value] };
  return undefined;
};

const CARGO: OptionSpec = { short: 'jZ', long: ['--version', '--git', '--branch', '--tag', '--rev', '--path', '--root', '--index', '--registry', '--target', '--target-dir', '--features', '--profile', '--bin', '--example', '--jobs', '--config', '--color', '--manifest-path', '-F'] };
const cargo: InstallRecogniser = (_name, args) => {
  const s = subcommand(args, CARGO);
  if (s.name !== 'install' || anyOption(s, '--offline', '--frozen', '-h', '--help', '--list')) return undefined;
  return { ecosystem: 'cargo', packages: names(s.after.positionals) };
};

const COMPOSER: OptionSpec = { short: 'd', long: ['--working-dir', '--repository', '--repository-url', '--stability'] };
const composer: InstallRecogniser = (_name, args) => {
  const s = subcommand(args, COMPOSER);
  let [sub, pos] = [s.name, s.after.positionals];
  if (sub === 'global') [sub, pos] = [pos[0]?.value, pos.slice(1)];
  if (!sub || !['install', 'i', 'require', 'update', 'u', 'upgrade', 'create-project'].includes(sub) || inert(s)) return undefined;
  return { ecosystem: 'composer', packages: names(pos) };
};

const DOTNET: OptionSpec = { short: 'svfr', long: ['--source', '--version', '--framework', '--runtime', '--packages', '--configfile', '--verbosity', '--tool-path', '--add-source'] };
const dotnet: InstallRecogniser = (_name, args) => {
  const s = subcommand(args, DOTNET);
  if (inert(s)) return undefined;
  const pos = s.after.positionals;
  if (s.name === 'restore') return { ecosystem: 'dotnet', packages: names(pos) };
  // `dotnet add [project] package Name`
  const pkg = pos.findIndex((w) => w.value === 'package');
  if (s.name === 'add' && pkg >= 0) return { ecosystem: 'dotnet', packages: names(pos.slice(pkg + 1, pkg + 2)) };
  if (s.name === 'tool' && ['install', 'update', 'restore'].includes(pos[0]?.value ?? '')) return { ecosystem: 'dotnet', packages: names(pos.slice(1)) };
  return undefined;
};

/** Recognisers by program basename. */
export const OTHER_INSTALLERS: Record<string, InstallRecogniser> = {
  gem,
  bundle,
  bundler: bundle,
  go,
  cargo,
  composer,
  'composer.phar': composer,
  dotnet,
};
