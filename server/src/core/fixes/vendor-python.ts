// pip installs → a build stage on the same base that installs into /install, copied to /usr/local.
import * as path from 'path';
import { assignments, contextFile, contextPath, program, requireStatic, stepCwd, wordText, words, type Planner, type Step, type VendorContext } from './vendor-plan';
import { shellQuote } from './text';
import { notFixable } from './types';
import { isOfficial, toolInstalledInStage } from './vendor-base';

const FILE_OPTS = new Set(['-r', '--requirement', '-c', '--constraint']);
const REFUSED = new Set(['--target', '-t', '--prefix', '--root', '-e', '--editable', '--src']);

/** A pip step's command for the build stage, and the requirement files it reads (image paths). */
function pipCommand(step: Step, ctx: VendorContext, cwd: string): { text: string; files: string[] } {
  const argv = step.argv;
  requireStatic(argv, ctx);
  const at = argv.findIndex((w) => w.value === 'install');
  if (at < 0) notFixable(`\`${step.download.command}\` is not a \`pip install\``);
  const head = argv.slice(0, at + 1);
  const rest: string[] = [];
  const files: string[] = [];
  for (let i = at + 1; i < argv.length; i++) {
    const v = argv[i].value;
    const [name, inline] = v.startsWith('--') && v.includes('=') ? [v.slice(0, v.indexOf('=')), v.slice(v.indexOf('=') + 1)] : [v, undefined];
    if (name === '--user') continue;
    if (REFUSED.has(name) || /^-[te]./.test(v)) notFixable(`\`${v}\` installs somewhere a build stage cannot copy from as is (or from local sources)`);
    if (FILE_OPTS.has(name) || /^-[rc]./.test(v)) {
      const file = inline ?? (/^-[rc]./.test(v) ? v.slice(2) : argv[++i]?.value);
      if (!file) notFixable('a requirements option has no file');
      files.push(path.posix.resolve(cwd, file));
      rest.push(inline !== undefined || /^-[rc]./.test(v) ? v : `${v} ${shellQuote(file)}`);
      continue;
    }
    if (!v.startsWith('-') && /^(\.|\/|~)|^file:|\.(whl|tar\.gz|zip)$/.test(v)) notFixable(`\`${v}\` is a local path: the build stage would need the project's sources`);
    rest.push(wordText(argv[i]));
  }
  const extra = [...(argv.some((w) => w.value === '--no-cache-dir') ? [] : ['--no-cache-dir']), '--prefix=/install'];
  const env = assignments(step, ctx);
  return { text: [...env, words(head), ...extra, ...rest].join(' '), files };
}

/** Requirement files a requirement file includes (`-r other.txt`), and whether it installs local code. */
function includes(ctx: VendorContext, rel: string, imagePath: string): string[] {
  const file = contextFile(ctx, rel);
  if (!file.text) return [];
  const out: string[] = [];
  for (const line of file.text.split(/\r?\n/)) {
    const t = line.replace(/(^|\s)#.*$/, '').trim();
    const inc = /^(-r|-c|--requirement|--constraint)[\s=]+(\S+)/.exec(t);
    if (inc) out.push(path.posix.resolve(path.posix.dirname(imagePath), inc[2]));
    else if (/^(-e|--editable)\b|^\.{1,2}(\/|$)|^file:/.test(t)) notFixable(`${rel} installs local code (\`${t}\`): the build stage would need the project's sources`);
  }
  return out;
}

/** Where to copy in the build stage: relative to its WORKDIR when inside it. */
export function target(cwd: string, imagePath: string): string {
  if (cwd === '/' || !imagePath.startsWith(`${cwd}/`)) return imagePath;
  const rel = imagePath.slice(cwd.length + 1);
  return rel.includes('/') ? rel : './';
}

/** pip → `FROM <base> AS deps`, copy the requirement files, `pip install --prefix=/install`, `COPY --from=deps /install /usr/local`. */
export const pipPlan: Planner = (steps, ctx) => {
  if (steps.some((s) => !/^pip(\d+(\.\d+)?)?$/.test(s.download.tool) || !/^(pip(\d+(\.\d+)?)?|python(\d+(\.\d+)?)?)$/.test(program(s))))
    notFixable('only `pip install` is moved into a build stage');
  if (!isOfficial(ctx.baseResolved, 'python')) notFixable('the base image is not an official `python` image, so where pip installs to is not known');
  if (toolInstalledInStage(ctx, /\b(python3?-pip|py3-pip|ensurepip|get-pip)\b/)) notFixable('pip is installed by the Dockerfile itself, so the base image alone does not have it');
  const cwd = stepCwd(steps[0], ctx);
  const commands: string[] = [];
  const copies: string[] = [];
  const seen = new Set<string>();
  for (const s of steps) {
    const c = pipCommand(s, ctx, stepCwd(s, ctx));
    commands.push(c.text);
    const queue = [...c.files];
    while (queue.length) {
      const imagePath = queue.shift()!;
      if (seen.has(imagePath)) continue;
      seen.add(imagePath);
      const rel = contextPath(ctx, imagePath, 'the requirements file');
      copies.push(`COPY ${rel} ${target(cwd, imagePath)}`);
      queue.push(...includes(ctx, rel, imagePath));
    }
  }
  const lines = [...(cwd !== '/' ? [`WORKDIR ${cwd}`] : []), ...copies, `RUN ${commands.join(' && ')}`];
  return {
    id: 'vendor-build-stage',
    title: 'Install the Python packages in a build stage (pip install --prefix=/install, copied into the image)',
    builder: { name: 'deps', lines },
    final: ['COPY --from={stage} /install /usr/local'],
    asRoot: false,
  };
};
