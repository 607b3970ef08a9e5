// Recognises operating-system package managers installing or updating: apt, apk, yum/dnf, zypper.
import { anyOption, inert, names, subcommand, type InstallRecogniser } from './install-common';
import type { OptionSpec } from './options';

const APT: OptionSpec = { short: 'otca', long: ['--option', '--target-release', '--default-release', '--config-file', '--host-architecture'] };
const APT_SUBS = new Set(['install', 'upgrade', 'dist-upgrade', 'full-upgrade', 'update', 'reinstall']);
const APT_SIMULATE = ['-s', '--simulate', '--just-print', '--dry-run', '--recon', '--no-act', '--no-download', '--print-uris'];

const apt: InstallRecogniser = (_name, args) => {
  const s = subcommand(args, APT);
  if (!s.name || !APT_SUBS.has(s.name) || inert(s) || anyOption(s, ...APT_SIMULATE)) return undefined;
  return { ecosystem: 'apt', packages: names(s.after.positionals) };
};

const APK: OptionSpec = {
  short: 'XtpU',
  long: ['--repository', '--virtual', '--root', '--arch', '--cache-dir', '--keys-dir', '--repositories-file', '--cache-max-age', '--timeout'],
};
const apk: InstallRecogniser = (_name, args) => {
  const s = subcommand(args, APK);
  if (!s.name || !['add', 'upgrade', 'update', 'fix'].includes(s.name) || inert(s)) return undefined;
  if (anyOption(s, '--no-network', '-s', '--simulate')) return undefined;
  return { ecosystem: 'apk', packages: names(s.after.positionals) };
};

const RPM: OptionSpec = {
  short: 'cdexR',
  long: ['--config', '--exclude', '--enablerepo', '--disablerepo', '--setopt', '--releasever', '--installroot', '--repo', '--repoid', '--repofrompath', '--downloaddir', '--destdir'],
};
const RPM_SUBS = new Set(['install', 'upgrade', 'update', 'groupinstall', 'localinstall', 'reinstall', 'distro-sync', 'makecache']);
const rpm: InstallRecogniser = (_name, args) => {
  const s = subcommand(args, RPM);
  if (!s.name || inert(s) || anyOption(s, '-C', '--cacheonly', '--assumeno')) return undefined;
  // `dnf group install x`, `dnf module install x`
  const grouped = (s.name === 'group' || s.name === 'groups' || s.name === 'module') && s.after.positionals[0]?.value === 'install';
  if (!grouped && !RPM_SUBS.has(s.name)) return undefined;
  return { ecosystem: 'rpm', packages: names(s.after.positionals.slice(grouped ? 1 : 0)) };
};

const ZYPPER: OptionSpec = { short: 'RrDc', long: ['--root', '--repo', '--reposd-path', '--cache-dir', '--config', '--from', '--type', '-t'] };
const ZYPPER_SUBS = new Set(['install', 'in', 'update', 'up', 'dist-upgrade', 'dup', 'refresh', 'ref', 'patch']);
const zypper: InstallRecogniser = (_name, args) => {
  const s = subcommand(args, ZYPPER, { ...ZYPPER, short: 'rtc' });
  if (!s.name || !ZYPPER_SUBS.has(s.name) || inert(s)) return undefined;
  if (s.after.options.some((o) => o.name === '-D' || o.name === '--dry-run')) return undefined;
  return { ecosystem: 'zypper', packages: names(s.after.positionals) };
};

/** Recognisers by program basename. */
export const SYSTEM_INSTALLERS: Record<string, InstallRecogniser> = {
  'apt-get': apt,
  apt,
  aptitude: apt,
  apk,
  yum: rpm,
  dnf: rpm,
  microdnf: rpm,
  tdnf: rpm,
  zypper,
};
