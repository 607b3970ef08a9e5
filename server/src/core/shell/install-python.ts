// Recognises Python package installs: pip, `python -m pip`, uv/uvx, poetry, pipenv, pipx, conda.
import { anyOption, inert, names, subcommand, type InstallHit, type InstallRecogniser } from './install-common';
import { parseOptions, values, type OptionSpec } from './options';
import type { Word } from './words';

const PIP_GLOBAL_LONG = [
  '--log', '--proxy', '--retries', '--timeout', '--exists-action', '--trusted-host', '--cert', '--client-cert',
  '--cache-dir', '--python', '--keyring-provider', '--use-feature', '--use-deprecated', '--resume-retries',
];
const PIP: OptionSpec = {
  short: 'rceitfdC',
  long: [
    ...PIP_GLOBAL_LONG, '--requirement', '--constraint', '--editable', '--index-url', '--extra-index-url', '--find-links',
    '--target', '--prefix', '--root', '--src', '--upgrade-strategy', '--python-version', '--platform', '--implementation',
    '--abi', '--only-binary', '--no-binary', '--progress-bar', '--dest', '--config-settings', '--global-option',
    '--install-option', '--report', '--group', '--build',
  ],
};

/** `pip install …`, `pip download …`; not with `--no-index` (offline from local files). */
export const pip: InstallRecogniser = (_name, args) => {
  const s = subcommand(args, { long: PIP_GLOBAL_LONG }, PIP);
  if (!s.name || !['install', 'download'].includes(s.name) || inert(s) || anyOption(s, '--no-index')) return undefined;
  return { ecosystem: 'pip', packages: [...names(s.after.positionals), ...values(s.after, '-r', '--requirement', '-e', '--editable')] };
};

/** `python3 -m pip install …` (and `-m uv`, `-m pipx`). */
const pythonModule: InstallRecogniser = (_name, args) => {
  for (let i = 0; i < args.length; i++) {
    const v = args[i].value;
    let module: string | undefined;
    let rest: Word[] = [];
    if (v === '-m' && args[i + 1]) [module, rest] = [args[i + 1].value, args.slice(i + 2)];
    else if (/^-m./.test(v)) [module, rest] = [v.slice(2), args.slice(i + 1)];
    else if (v === '-W' || v === '-X') {
      i++;
      continue;
    } else if (v.startsWith('-') && v !== '-' && !v.startsWith('-c')) continue;
    else return undefined; // a script, `-c code`, or `-` (standard input)
    const hit = module === 'pip' ? pip('pip', rest) : module === 'uv' ? uv('uv', rest) : module === 'pipx' ? pipx('pipx', rest) : undefined;
    return hit && { ...hit, tool: hit.tool ?? module };
  }
  return undefined;
};

const UV_GLOBAL: OptionSpec = { short: 'p', long: ['--directory', '--project', '--cache-dir', '--config-file', '--color', '--python', '--allow-insecure-host'] };
const UV_AFTER: OptionSpec = {
  short: 'rcpi',
  long: [...(UV_GLOBAL.long ?? []), '--requirement', '--requirements', '--constraint', '--override', '--index-url', '--extra-index-url', '--index', '--default-index', '--find-links', '--group', '--extra', '--package', '--from', '--with', '--with-requirements', '--target', '--prefix', '--python-platform', '--python-version', '--index-strategy', '--keyring-provider', '--resolution', '--prerelease', '--exclude-newer', '--optional', '--dev-group', '--tag', '--branch', '--rev', '--editable', '-e'],
};
/** A versioned spec that forces a download in `npx`/`uvx` style runners: `pkg@1.2`, `@scope/pkg@1`, `pkg==1.2`. */
export function versionedSpec(v: string): boolean {
  return /^(@[^/@\s]+\/)?[^@\s/]+@[^@\s]+$/.test(v) || /^[A-Za-z0-9._-]+(\[[^\]]*\])?(==|~=|>=)[^\s]+$/.test(v);
}

/** `uvx pkg` / `uv tool run pkg`: like `npx`, only when it clearly installs. */
function uvxRun(args: Word[]): InstallHit | undefined {
  const p = parseOptions(args, { ...UV_AFTER, stopAtPositional: true });
  if (p.options.some((o) => o.name === '--offline' || o.name === '--help' || o.name === '-h' || o.name === '--version')) return undefined;
  const from = values(p, '--from', '--with');
  const target = p.rest[0]?.value;
  if (from.length === 0 && !(target && versionedSpec(target))) return undefined;
  return { ecosystem: 'pip', packages: from.length ? from : target ? [target] : [] };
}

const uv: InstallRecogniser = (name, args) => {
  if (name === 'uvx') return uvxRun(args);
  const s = subcommand(args, UV_GLOBAL, UV_AFTER);
  if (inert(s) || anyOption(s, '--offline')) return undefined;
  const [first, ...more] = s.after.positionals;
  let packages: Word[];
  if (s.name === 'sync' || s.name === 'add') packages = s.after.positionals;
  else if (s.name === 'pip' && (first?.value === 'install' || first?.value === 'sync')) packages = more;
  else if (s.name === 'tool' && (first?.value === 'install' || first?.value === 'upgrade')) packages = more;
  else if (s.name === 'tool' && first?.value === 'run') return uvxRun(s.global.rest.slice(2));
  else return undefined;
  return { ecosystem: 'pip', packages: [...names(packages), ...values(s.after, '-r', '--requirement', '--requirements')] };
};

const POETRY: OptionSpec = { short: 'CPEG', long: ['--directory', '--project', '--with', '--without', '--only', '--extras', '--group', '--source', '--python', '--platform', '--markers'] };
const poetry: InstallRecogniser = (_name, args) => {
  const s = subcommand(args, POETRY);
  if (inert(s)) return undefined;
  let pos = s.after.positionals;
  if (s.name === 'self') [, ...pos] = pos;
  const sub = s.name === 'self' ? s.after.positionals[0]?.value : s.name;
  if (!sub || !['install', 'add', 'update', 'sync'].includes(sub)) return undefined;
  return { ecosystem: 'pip', packages: names(pos) };
};

const pipenv: InstallRecogniser = (_name, args) => {
  const s = subcommand(args, { short: 'r', long: ['--python', '--pypi-mirror', '--requirements', '--categories', '--extra-pip-args'] });
  if (!s.name || !['install', 'sync', 'update', 'upgrade'].includes(s.name) || inert(s)) return undefined;
  return { ecosystem: 'pip', packages: [...names(s.after.positionals), ...values(s.after, '-r', '--requirements')] };
};

const pipx: InstallRecogniser = (_name, args) => {
  const s = subcommand(args, { long: ['--python', '--pip-args', '--index-url', '--spec', '--suffix', '--preinstall'] });
  if (!s.name || !['install', 'upgrade', 'upgrade-all', 'inject', 'run', 'reinstall', 'install-all'].includes(s.name) || inert(s)) return undefined;
  return { ecosystem: 'pip', packages: names(s.name === 'run' ? s.after.positionals.slice(0, 1) : s.after.positionals) };
};

const CONDA: OptionSpec = { short: 'npcfr', long: ['--name', '--prefix', '--channel', '--file', '--repodata-fn', '--solver', '--platform', '--subdir', '--root-prefix'] };
const conda: InstallRecogniser = (_name, args) => {
  const s = subcommand(args, CONDA);
  if (!s.name || inert(s) || anyOption(s, '--offline')) return undefined;
  let pos = s.after.positionals;
  let sub = s.name;
  if (sub === 'env') [sub, pos] = [`env ${pos[0]?.value}`, pos.slice(1)];
  if (!['install', 'create', 'update', 'upgrade', 'env create', 'env update', 'self-update'].includes(sub)) return undefined;
  return { ecosystem: 'conda', packages: [...names(pos), ...values(s.after, '-f', '--file')] };
};

const easyInstall: InstallRecogniser = (_name, args) => {
  const p = parseOptions(args, { short: 'fid', long: ['--find-links', '--index-url', '--install-dir'] });
  return p.positionals.length ? { ecosystem: 'pip', packages: names(p.positionals) } : undefined;
};

/** Recognisers by program basename; `pipX.Y` and `pythonX.Y` are matched by {@link pythonRecogniser}. */
export const PYTHON_INSTALLERS: Record<string, InstallRecogniser> = {
  uv, uvx: uv, poetry, pipenv, pipx, conda, mamba: conda, micromamba: conda, easy_install: easyInstall,
};

/** `pip`, `pip3`, `pip3.12`, `python -m pip`, `python3.11 -m pip`. */
export function pythonRecogniser(name: string): InstallRecogniser | undefined {
  if (/^pip(\d+(\.\d+)?)?$/.test(name)) return pip;
  if (/^python(\d+(\.\d+)?)?$/.test(name)) return pythonModule;
  return Object.hasOwn(PYTHON_INSTALLERS, name) ? PYTHON_INSTALLERS[name] : undefined;
}
