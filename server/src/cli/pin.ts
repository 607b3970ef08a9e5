// `known-good pin`: pin every literal image reference to the digest its tag points at now, in place
// (atomically, only the reference spans changed) or as a unified diff with --dry-run.
import { promises as fs } from 'fs';
import * as path from 'path';
import { modelWorkspace } from '../audit';
import { planPins, type PinPlan } from '../pin/cli-plan';
import { rewriteFile } from '../pin/cli-write';
import type { Command } from './args';
import { unifiedDiff } from './diff';
import type { Io } from './main';
import { cliPinService, plural } from './network';
import { resolveTargets } from './targets';

type PinCommand = Extract<Command, { name: 'pin' }>;

/** Run `pin`; resolves to the exit code (0 all pinned, 1 some reference failed, 2 usage or internal error). */
export async function pin(command: PinCommand, io: Io): Promise<number> {
  const fail = (message: string) => {
    io.stderr.write(`known-good: ${message}\n`);
    return 2;
  };
  if (command.network.noNetwork) {
    return fail('pin asks the registries which digest each tag points at and cannot run with --no-network (audit works offline)');
  }
  const targets = await resolveTargets(io.cwd, command.root, command.paths);
  if ('error' in targets) return fail(targets.error);

  const started = performance.now();
  const ws = await modelWorkspace(targets.root, targets.paths.length ? targets.paths : undefined);
  for (const e of ws.errors) io.stderr.write(`known-good: could not read ${e.file}: ${e.message}\n`);
  const service = cliPinService(command.network, io, { style: command.style, persist: !command.update });
  let plan: PinPlan;
  try {
    plan = await planPins(ws, (queries) => service.resolve(queries), { update: command.update, style: command.style });
  } finally {
    await service.dispose();
  }

  // Failures first, on stderr: the reference, where it is, and what the registry said.
  for (const f of plan.failures) io.stderr.write(`known-good: cannot pin ${f.raw} at ${f.file}:${f.line}:${f.column}: ${f.message}\n`);

  const report = command.dryRun ? io.stderr : io.stdout;
  let written = 0;
  let writeFailures = 0;
  let pinned = 0;
  const realFiles = new Map<string, string>();
  for (const file of plan.files) {
    // Two names for one file (a symbolic link in the tree): pinned once, through the first name.
    const real = await fs.realpath(path.join(ws.root, ...file.file.split('/'))).catch(() => undefined);
    const same = real && realFiles.get(real);
    if (same) {
      report.write(`${file.file}: same file as ${same}\n`);
      continue;
    }
    if (real) realFiles.set(real, file.file);
    if (command.dryRun) {
      io.stdout.write(unifiedDiff(file.file, file.before, file.after));
      report.write(`${file.file}: would pin ${plural(file.pinned.length, 'reference')}\n`);
      pinned += file.pinned.length;
      continue;
    }
    try {
      await rewriteFile(path.join(ws.root, ...file.file.split('/')), file.before, file.after, ws.root);
      written++;
      pinned += file.pinned.length;
      report.write(`${file.file}: pinned ${plural(file.pinned.length, 'reference')}\n`);
    } catch (e) {
      writeFailures++;
      io.stderr.write(`known-good: could not write ${file.file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
    }
  }

  const stats = service.cache.stats;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const parts = [
    `${command.dryRun ? 'Would pin' : 'Pinned'} ${plural(pinned, 'reference')} in ${plural(command.dryRun ? plan.files.length : written, 'file')}`,
    `${plural(plan.failures.length, 'reference')} failed`,
  ];
  if (writeFailures) parts.push(`${plural(writeFailures, 'file')} not written`);
  if (plan.alreadyPinned) parts.push(`${plan.alreadyPinned} already pinned`);
  if (plan.variable) parts.push(`${plural(plan.variable, 'reference')} with variables left alone`);
  if (plan.suppressed) parts.push(`${plan.suppressed} silenced by known-good-ignore or .knowngood.yaml`);
  parts.push(`${plural(plan.queries, 'tag')} looked up with ${plural(stats.total, 'registry request')} (${service.cache.counts.hits} from the cache) in ${seconds} s`);
  report.write(`${parts.join('; ')}.\n`);
  return plan.failures.length || writeFailures ? 1 : 0;
}
