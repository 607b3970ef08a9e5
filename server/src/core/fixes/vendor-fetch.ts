// curl/wget in a start command → `ADD --checksum=sha256:… <url> <dest>` at build time; `curl … | sh`
// becomes the verified script added to /tmp and run by a build-time RUN.
import * as path from 'path';
import { SHELLS } from '../shell/wrappers';
import { basename } from '../shell/words';
import type { ChainCommand } from './shell-chain';
import { shellQuote } from './text';
import { notFixable, type FixNeed } from './types';
import { program, requireStatic, stepCwd, type Planner, type Step, type VendorContext } from './vendor-plan';

/** A checksum as `sha256:<lowercase hex>`, or undefined when the value is not one. */
export function normaliseChecksum(value: string | undefined): string | undefined {
  const m = value && /^(?:sha256:)?([0-9a-fA-F]{64})$/.exec(value.trim());
  return m ? `sha256:${m[1].toLowerCase()}` : undefined;
}

/** The last path segment of a URL (`download` when it has none). */
export function urlName(url: string): string {
  let p = url;
  try {
    p = new URL(url).pathname;
  } catch {
    p = url.replace(/[?#].*$/, '');
  }
  const name = decodeURIComponent(p.split('/').filter(Boolean).pop() ?? '');
  return /^[A-Za-z0-9._+-]+$/.test(name) ? name : 'download';
}

/** Where curl/wget store the download (a path as written), or undefined when it goes to standard output. */
function outputOf(cmd: ChainCommand, tool: string, url: string): string | undefined {
  const args = cmd.resolved.argv.slice(1).map((w) => w.value);
  let out: string | undefined;
  let dir: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const long = /^--([a-z-]+)(?:=(.*))?$/.exec(a);
    const value = () => (long?.[2] !== undefined ? long[2] : args[++i]);
    if (tool === 'curl') {
      if (long?.[1] === 'output') out = value();
      else if (long?.[1] === 'remote-name' || long?.[1] === 'remote-name-all') out = urlName(url);
      else if (long?.[1] === 'output-dir' || long?.[1] === 'remote-header-name') notFixable(`\`${a}\` picks the file name at run time`);
      else if (/^-[A-Za-z]/.test(a)) {
        const o = a.indexOf('o');
        if (a.includes('J')) notFixable('`-J` picks the file name from the server\'s answer');
        if (o > 0) out = o === a.length - 1 ? args[++i] : a.slice(o + 1);
        else if (a.includes('O')) out = urlName(url);
      }
    } else {
      if (long?.[1] === 'output-document') out = value();
      else if (long?.[1] === 'directory-prefix') dir = value();
      else if (/^-[A-Za-z]/.test(a)) {
        const o = a.indexOf('O');
        const p = a.indexOf('P');
        if (o > 0) out = o === a.length - 1 ? args[++i] : a.slice(o + 1);
        else if (p > 0) dir = p === a.length - 1 ? args[++i] : a.slice(p + 1);
      }
    }
  }
  if (out === '-' || out === '/dev/stdout') out = undefined;
  if (out === undefined && cmd.stdout) {
    if (cmd.stdout.dynamic) notFixable('the download is written to a file named by a variable');
    return cmd.stdout.value;
  }
  if (out === undefined && tool === 'wget') return path.posix.join(dir ?? '.', urlName(url));
  return out;
}

const EXECUTABLE = /^(\+x|[ugoa]+\+[rwxX]*x[rwxX]*|0?[0-7]{3})$/;

/** A later `chmod <mode> <dest>` in the same chain: removed with the fetch, its mode becomes `--chmod`. */
function chmodOf(step: Step, dest: string, cwd: string): { index: number; mode: string } | undefined {
  for (let i = step.index + 1; i < step.level.elements.length; i++) {
    const el = step.level.elements[i];
    const argv = el.commands[0]?.resolved.argv ?? [];
    if (el.kind !== 'command' || el.commands.length !== 1 || basename(argv[0]?.value ?? '') !== 'chmod' || argv.length !== 3) continue;
    if (argv.some((w) => w.dynamic) || !EXECUTABLE.test(argv[1].value) || path.posix.resolve(cwd, argv[2].value) !== dest) continue;
    return { index: i, mode: /^0?[0-7]{3}$/.test(argv[1].value) ? argv[1].value.replace(/^0(?=\d{3})/, '') : '755' };
  }
  return undefined;
}

function fetchStep(step: Step, ctx: VendorContext, needs: FixNeed[], alsoRemove: { level: Step['level']; index: number }[]): string[] {
  const tool = program(step);
  if (tool !== 'curl' && tool !== 'wget') notFixable('the download runs through a command substitution; rewrite it as a plain curl/wget first');
  const urls = step.download.packages;
  if (urls.length !== 1) notFixable('the command downloads several URLs');
  const url = urls[0];
  const urlWord = step.argv.find((w) => w.value === url || w.value.endsWith(`=${url}`));
  if (!urlWord || urlWord.dynamic || !/^https?:\/\//.test(url)) notFixable('the URL is not written out in full (it uses a variable)');
  const sum = normaliseChecksum(ctx.checksums?.get(url));
  if (!sum) needs.push({ kind: 'download-sha256', url });
  const checksum = sum ?? 'sha256:<pending>';
  const el = step.level.elements[step.index];
  const cwd = stepCwd(step, ctx);
  if (el.kind === 'pipeline') {
    const consumer = el.commands[1];
    if (!consumer) notFixable('the pipeline has no consumer');
    requireStatic(consumer.words, ctx);
    const tmp = `/tmp/${urlName(url)}`;
    const text = step.level.source.text;
    const first = text.slice(consumer.start, consumer.end);
    const after = text.slice(consumer.end, el.end).replace(/\\\r?\n[ \t]*/g, ' ');
    const r = consumer.resolved;
    const bareShell = el.commands.length === 2 && r.argv.length === 1 && consumer.words[consumer.words.length - 1] === r.argv[0] && !r.nested.length && !r.scriptArg && SHELLS.has(basename(r.argv[0]?.value ?? ''));
    const run = bareShell ? `${first} ${tmp}` : `${first} < ${tmp}${after}`;
    const cd = cwd !== ctx.workdir ? `cd ${shellQuote(cwd)} && ` : '';
    if (/[\r\n]/.test(run.replace(/\\\r?\n[ \t]*/g, ' '))) notFixable('the pipeline spans several lines');
    return [`ADD --checksum=${checksum} ${url} ${tmp}`, `RUN ${cd}${run.replace(/\\\r?\n[ \t]*/g, ' ')}`];
  }
  const out = outputOf(step.command, tool, url);
  if (out === undefined) notFixable('the download is not stored in a file');
  const dest = path.posix.resolve(cwd, out);
  const chmod = chmodOf(step, dest, cwd);
  if (chmod) alsoRemove.push({ level: step.level, index: chmod.index });
  const runsIt = step.level.elements.slice(step.index + 1).some((e) => e.commands.some((c) => c.resolved.argv[0] && path.posix.resolve(cwd, c.resolved.argv[0].value) === dest));
  const mode = chmod?.mode ?? (runsIt ? '755' : undefined);
  return [`ADD --checksum=${checksum} ${mode ? `--chmod=${mode} ` : ''}${url} ${dest}`];
}

/** curl/wget → ADD with a checksum (needs the SHA-256 of the URL first), plus a RUN for `| sh` and other consumers. */
export const fetchPlan: Planner = (steps, ctx) => {
  const needs: FixNeed[] = [];
  const alsoRemove: { level: Step['level']; index: number }[] = [];
  const final = steps.flatMap((s) => fetchStep(s, ctx, needs, alsoRemove));
  const piped = steps.some((s) => s.level.elements[s.index].kind === 'pipeline');
  return {
    id: 'vendor-add',
    title: `Download ${steps.map((s) => s.download.packages[0]).join(', ')} at build time, verified by its SHA-256 (ADD --checksum${piped ? ', then run it in a RUN' : ''})`,
    final,
    asRoot: false,
    alsoRemove,
    needs,
    frontend: 'http',
  };
};
