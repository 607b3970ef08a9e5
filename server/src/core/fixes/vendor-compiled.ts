// gem/bundle, go install and cargo install → a build stage on the same (official) base, its install folder copied.
import * as path from 'path';
import { contextFile, contextPath, program, requireStatic, stepCwd, words, type Planner, type Step } from './vendor-plan';
import { notFixable } from './types';
import { isOfficial, toolInstalledInStage } from './vendor-base';
import { target } from './vendor-python';

const sub = (s: Step) => s.argv.slice(1).find((w) => !w.value.startsWith('-'))?.value;

/** gem install / bundle install → official ruby base; gems land in /usr/local/bundle (GEM_HOME and bundler's config). */
export const rubyPlan: Planner = (steps, ctx) => {
  if (!isOfficial(ctx.baseResolved, 'ruby')) notFixable('the base image is not an official `ruby` image, so where gems install to is not known');
  if (toolInstalledInStage(ctx, /\b(ruby-full|ruby\d|bundler)\b/)) notFixable('Ruby or bundler is installed by the Dockerfile itself, so the base image alone may not have it');
  const lines: string[] = [];
  const runs: string[] = [];
  for (const s of steps) {
    requireStatic(s.argv, ctx);
    const name = program(s);
    if (name === 'gem') {
      if (sub(s) === 'update') notFixable('`gem update` changes installed gems in place: move it into a RUN instead');
      const at = s.argv.findIndex((w) => w.value === 'install' || w.value === 'i');
      const noDoc = s.argv.some((w) => /^--no-(document|doc|ri|rdoc)$/.test(w.value)) ? [] : ['--no-document'];
      runs.push([words(s.argv.slice(0, at + 1)), ...noDoc, words(s.argv.slice(at + 1))].filter(Boolean).join(' '));
      continue;
    }
    if (s.argv.slice(1).some((w) => w.value.startsWith('-') && !/^(--jobs|-j\d*|--retry|--quiet)/.test(w.value)) || (sub(s) && sub(s) !== 'install' && sub(s) !== 'i'))
      notFixable(`\`${s.download.command}\` uses options a build stage does not reproduce as is`);
    const cwd = stepCwd(s, ctx);
    const gemfile = path.posix.join(cwd, 'Gemfile');
    const rel = contextPath(ctx, gemfile, 'the Gemfile');
    const lockRel = `${rel}.lock`;
    const noLock = !contextFile(ctx, lockRel).found && contextFile(ctx, rel).found;
    if (cwd !== '/') lines.push(`WORKDIR ${cwd}`);
    const dest = target(cwd, gemfile);
    lines.push(noLock ? `COPY ${rel} ${dest}` : `COPY ${rel} ${lockRel} ${dest === './' ? './' : `${cwd}/`}`);
    runs.push(`${noLock ? '' : 'bundle config set --local frozen true && '}bundle config set --local without 'development test' && bundle install`);
  }
  lines.push(`RUN ${runs.join(' && ')}`);
  return {
    id: 'vendor-build-stage',
    title: 'Install the gems in a build stage (copied from /usr/local/bundle into the image)',
    builder: { name: 'gems', lines },
    final: ['COPY --from={stage} /usr/local/bundle /usr/local/bundle'],
    asRoot: false,
  };
};

/** go install pkg@version → official golang base; binaries land in /go/bin. */
export const goPlan: Planner = (steps, ctx) => {
  if (!isOfficial(ctx.baseResolved, 'golang')) notFixable('the base image is not an official `golang` image, so where `go install` puts binaries is not known');
  const runs = steps.map((s) => {
    requireStatic(s.argv, ctx);
    const pkgs = s.argv.slice(2).filter((w) => !w.value.startsWith('-'));
    if (sub(s) !== 'install' || !pkgs.length || pkgs.some((p) => !/^[^./][^@\s]*\.[^@\s]*@\S+$/.test(p.value)))
      notFixable('only `go install <module path>@<version>` is moved into a build stage (other forms build local code)');
    return words(s.argv);
  });
  return {
    id: 'vendor-build-stage',
    title: 'Build the Go tools in a build stage (copied from /go/bin into the image)',
    builder: { name: 'go-tools', lines: [`RUN ${runs.join(' && ')}`] },
    final: ['COPY --from={stage} /go/bin /go/bin'],
    asRoot: false,
  };
};

/** cargo install crate → official rust base; binaries land in /usr/local/cargo/bin. */
export const cargoPlan: Planner = (steps, ctx) => {
  if (!isOfficial(ctx.baseResolved, 'rust')) notFixable('the base image is not an official `rust` image, so where `cargo install` puts binaries is not known');
  const runs = steps.map((s) => {
    requireStatic(s.argv, ctx);
    if (s.argv.some((w) => /^--(root|path)(=|$)/.test(w.value))) notFixable('`--root`/`--path` installs are not moved into a build stage');
    return words(s.argv);
  });
  return {
    id: 'vendor-build-stage',
    title: 'Build the Rust tools in a build stage (copied from /usr/local/cargo/bin into the image)',
    builder: { name: 'cargo-tools', lines: [`RUN ${runs.join(' && ')}`] },
    final: ['COPY --from={stage} /usr/local/cargo/bin /usr/local/cargo/bin'],
    asRoot: false,
  };
};
