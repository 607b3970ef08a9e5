// Sees through the programs that run another program (sudo, env, exec, gosu, tini, …) and through
// shells that run a script or a command string (`sh -c`, `su -c`, `eval`, `. file`).
import { parseOptions, type OptionSpec } from './options';
import { basename, type Word } from './words';

/** What a simple command really runs. */
export interface Resolved {
  /** The program and its arguments once wrappers are removed; empty when nothing runs (`command -v x`, `sh -c …`). */
  argv: Word[];
  /** Command strings run as scripts (`sh -c "…"`, `su -c '…'`, `eval a b`): each entry is joined like `eval` joins. */
  nested: Word[][];
  /** A script file run by a shell or by `.`/`source`. */
  scriptArg?: Word;
  /** The shell that runs `nested` or `scriptArg`, or reads its program from standard input. */
  shell?: Word;
}

export const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ash', 'ksh', 'mksh', 'yash', 'fish']);

/** Wrappers that run their arguments as a command after options (and, per entry, a fixed count of positionals). */
const WRAPPERS: Record<string, { spec: OptionSpec; skip?: number; assignments?: boolean }> = {
  sudo: { spec: { short: 'ugpDChrtTU', long: ['--user', '--group', '--prompt', '--chdir', '--close-from', '--host', '--role', '--type', '--command-timeout', '--other-user'] }, assignments: true },
  doas: { spec: { short: 'uC' } },
  exec: { spec: { short: 'a' } },
  env: { spec: { short: 'uC', long: ['--unset', '--chdir'] }, assignments: true },
  nohup: { spec: {} },
  setsid: { spec: {} },
  time: { spec: { short: 'fo', long: ['--format', '--output'] } },
  unbuffer: { spec: {} },
  builtin: { spec: {} },
  nice: { spec: { short: 'n', long: ['--adjustment'] } },
  ionice: { spec: { short: 'cnp', long: ['--class', '--classdata', '--pid'] } },
  stdbuf: { spec: { short: 'ioe', long: ['--input', '--output', '--error'] } },
  timeout: { spec: { short: 'sk', long: ['--signal', '--kill-after'] }, skip: 1 },
  gosu: { spec: {}, skip: 1 },
  'su-exec': { spec: {}, skip: 1 },
  's6-setuidgid': { spec: {}, skip: 1 },
  setuidgid: { spec: {}, skip: 1 },
  chroot: { spec: { long: ['--userspec', '--groups'] }, skip: 1 },
  chpst: { spec: { short: 'uUbe/nlLmdofpcr' } },
  tini: { spec: { short: 'pe' } },
  'tini-static': { spec: { short: 'pe' } },
  'docker-init': { spec: { short: 'pe' } },
  catatonit: { spec: { short: 'pe' } },
  'dumb-init': { spec: { short: 'r', long: ['--rewrite'] } },
  xargs: { spec: { short: 'adEILnPs', long: ['--arg-file', '--delimiter', '--eof', '--replace', '--max-lines', '--max-args', '--max-procs', '--max-chars'] } },
  busybox: { spec: {} },
  flock: { spec: { short: 'wEc', long: ['--timeout', '--conflict-exit-code', '--command'] }, skip: 1 },
};

const SHELL_SPEC: OptionSpec = { short: 'oO', long: ['--rcfile', '--init-file'], stopAtPositional: true };

/** Resolve wrappers and shells around a simple command's words. */
export function resolve(words: Word[]): Resolved {
  let argv = words;
  const nested: Word[][] = [];
  for (let guard = 0; guard < 16 && argv.length > 0 && !argv[0].dynamic; guard++) {
    const name = basename(argv[0].value);
    const args = argv.slice(1);
    const wrapper = Object.hasOwn(WRAPPERS, name) ? WRAPPERS[name] : undefined;
    if (wrapper) {
      const p = parseOptions(args, { ...wrapper.spec, stopAtPositional: true });
      let rest = p.rest;
      if (name === 'env') {
        const split = p.options.find((o) => o.name === '-S' || o.name === '--split-string');
        if (split?.valueWord) return { argv: [], nested: [[split.valueWord, ...rest]] };
      }
      if (wrapper.assignments) while (rest.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(rest[0].value)) rest = rest.slice(1);
      argv = rest.slice(wrapper.skip ?? 0);
      continue;
    }
    if (name === 'command') {
      if (args.length && /^-[a-zA-Z]*[vV]/.test(args[0].value)) return { argv: [], nested };
      argv = parseOptions(args, { stopAtPositional: true }).rest;
      continue;
    }
    if (name === 'su' || name === 'runuser') return userSwitch(argv, nested);
    if (name === 'eval') return { argv: [], nested: args.length ? [args] : [] };
    if (name === '.' || name === 'source') return { argv, nested, scriptArg: args[0] };
    if (SHELLS.has(name)) return shell(argv, nested);
    break;
  }
  return { argv, nested };
}

/** `sh -c 'cmd'`, `bash -lc '…'`, `sh script.sh args`, `sh` reading standard input. */
function shell(argv: Word[], nested: Word[][]): Resolved {
  const p = parseOptions(argv.slice(1), SHELL_SPEC);
  const runsString = p.options.some((o) => /^-[a-zA-Z]*c/.test(o.name));
  const first = p.rest[0];
  if (runsString) return { argv: [argv[0]], nested: first ? [...nested, [first]] : nested, shell: argv[0] };
  const readsStdin = p.options.some((o) => o.name === '-s') || !first || first.value === '-';
  return { argv: [argv[0]], nested, shell: argv[0], scriptArg: readsStdin ? undefined : first };
}

/** `su [-] [user] -c 'cmd'`, `runuser -l user -c '…'`, `runuser -u user -- cmd`. */
function userSwitch(argv: Word[], nested: Word[][]): Resolved {
  const args = argv.slice(1);
  // `runuser -u user cmd …`: after `-u`, the first positional is the command (su's positional is the user).
  let userGiven = false;
  for (let i = 0; i < args.length; i++) {
    const v = args[i].value;
    if (v === '--') return resolve(args.slice(i + 1));
    if ((v === '-c' || v === '--command' || v === '--session-command') && args[i + 1]) {
      return { argv: [], nested: [...nested, [args[i + 1]]] };
    }
    if (/^-(u|g|G|s|w)$/.test(v) || /^--(user|group|supp-group|shell|whitelist-environment)$/.test(v)) {
      if (v === '-u' || v === '--user') userGiven = true;
      i++;
    } else if (userGiven && !v.startsWith('-')) return resolve(args.slice(i));
  }
  return { argv: [], nested };
}
