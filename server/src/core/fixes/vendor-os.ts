// OS package installs (apt, apk, yum/dnf/microdnf, zypper) → one RUN in the final stage, non-interactive, with clean-up.
import type { Word } from '../shell/words';
import { assignments, program, requireStatic, wordText, type Planner, type Step } from './vendor-plan';
import { notFixable } from './types';

/** Value-taking options per tool family, so the subcommand is the first real positional. */
const VALUE_OPTS: Record<string, RegExp> = {
  apt: /^(-[otca]|--option|--target-release|--default-release|--config-file|--host-architecture)$/,
  apk: /^(-[XtpU]|--repository|--virtual|--root|--arch|--cache-dir|--keys-dir|--repositories-file|--cache-max-age|--timeout)$/,
  rpm: /^(-[cdexR]|--config|--exclude|--enablerepo|--disablerepo|--setopt|--releasever|--installroot|--repo|--repoid|--repofrompath|--downloaddir|--destdir)$/,
  zypper: /^(-[RrDc]|--root|--repo|--reposd-path|--cache-dir|--config)$/,
};

function subIndex(argv: Word[], family: string): number {
  for (let i = 1; i < argv.length; i++) {
    const v = argv[i].value;
    if (VALUE_OPTS[family].test(v)) i++;
    else if (!v.startsWith('-')) return i;
  }
  return -1;
}

/** The step's words with `flags` added after the options that follow word `at`, unless `present` matches one of its words. */
function withFlags(step: Step, at: number, flags: { flag: string; present: RegExp }[], family: string): string {
  const vals = step.argv.map((w) => w.value);
  const add = flags.filter((f) => !vals.some((v) => f.present.test(v))).map((f) => f.flag);
  let j = at + 1;
  while (j < vals.length && vals[j].startsWith('-') && vals[j] !== '--') j += VALUE_OPTS[family].test(vals[j]) ? 2 : 1;
  j = Math.min(j, vals.length);
  const out = [...step.argv.slice(0, j).map(wordText), ...add, ...step.argv.slice(j).map(wordText)];
  return out.join(' ');
}

const YES = { flag: '-y', present: /^(-[a-z]*y[a-z]*|--yes|--assume-yes|--assumeyes)$/ };

/** One step rebuilt for a build-time RUN, or undefined when it has nothing to do at build time (index refreshes). */
function rebuild(step: Step, family: string): string | undefined {
  const at = subIndex(step.argv, family);
  if (at < 0) notFixable(`\`${step.download.command}\` has no subcommand`);
  const sub = step.argv[at].value;
  const env = step.command.assignments.map((a) => a.text);
  const prefix = env.length ? `${env.join(' ')} ` : '';
  switch (family) {
    case 'apt':
      if (sub === 'update') return undefined;
      if (sub === 'install' || sub === 'reinstall') return prefix + withFlags(step, at, [YES, { flag: '--no-install-recommends', present: /^--(no-)?install-recommends$/ }], family);
      return prefix + withFlags(step, at, [YES], family);
    case 'apk':
      if (sub === 'update') return undefined;
      return prefix + withFlags(step, at, [{ flag: '--no-cache', present: /^--no-cache$/ }], family);
    case 'rpm':
      if (sub === 'makecache') return undefined;
      return prefix + withFlags(step, at, [YES], family);
    default: // zypper
      if (sub === 'refresh' || sub === 'ref') return undefined;
      return prefix + withFlags(step, 0, [{ flag: '--non-interactive', present: /^(-n|--non-interactive)$/ }], family);
  }
}

const CLEAN: Record<string, (tool: string) => string> = {
  apt: () => 'rm -rf /var/lib/apt/lists/*',
  apk: () => '',
  rpm: (tool) => `${tool} clean all`,
  zypper: () => 'zypper clean --all',
};

/** OS packages → `RUN <update> && <install, non-interactive> && <clean-up>` before the start command, as root. */
export const osPlan: Planner = (steps, ctx) => {
  const family = steps[0].download.ecosystem;
  if (!(family in CLEAN)) notFixable(`${family} is not an OS package manager`);
  for (const s of steps) requireStatic(s.argv, ctx);
  for (const s of steps) assignments(s, ctx);
  const parts = steps.map((s) => rebuild(s, family)).filter((p): p is string => p !== undefined);
  const tool = program(steps[steps.length - 1]);
  const title = steps.map((s) => s.download.command).join(' && ');
  if (parts.length === 0) {
    return { id: 'vendor-run', title: `Remove \`${title}\` from the start command (an index refresh alone installs nothing)`, final: [], asRoot: false };
  }
  if (family === 'apt') parts.unshift(`${tool === 'apt' ? 'apt' : 'apt-get'} update`);
  const clean = CLEAN[family](tool);
  if (clean) parts.push(clean);
  return { id: 'vendor-run', title: `Install the ${family} packages at build time (a RUN before the start command)`, final: [`RUN ${parts.join(' && ')}`], asRoot: true };
};
