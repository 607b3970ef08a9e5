// `audit --check-stale`: turns on stale-digest and feeds it the current digest of every pinned tag.
import { readWorkspaceConfig, type AuditOptions } from '../audit';
import { checkPinnedTags, type StaleCheck } from '../pin/cli-stale';
import type { NetworkFlags } from './args';
import type { Io } from './main';
import { cliPinService, plural } from './network';

const RULE = 'stale-digest';

/** Audit options for `--check-stale`, and `finish()` that reports what could not be checked on stderr. */
export async function staleCheck(root: string, flags: NetworkFlags, io: Io): Promise<{ options: AuditOptions; finish: () => Promise<void> }> {
  const config = await readWorkspaceConfig(root);
  if (config.rules[RULE] === 'off') {
    io.stderr.write(`known-good: warning: ${RULE} is off in .knowngood.yaml; --check-stale checks nothing\n`);
    return { options: {}, finish: async () => undefined };
  }
  // Always asks the registries: a cached digest could hide the move this check is for.
  const service = cliPinService(flags, io, { persist: false });
  let check: StaleCheck | undefined;
  const options: AuditOptions = {
    enableRules: [RULE],
    digests: async (models) => {
      check = await checkPinnedTags(models, (queries) => service.resolve(queries));
      return check.digests;
    },
  };
  const finish = async (): Promise<void> => {
    await service.dispose();
    if (!check) return;
    for (const f of check.failures) {
      io.stderr.write(`known-good: warning: could not check ${f.query} (${f.places.join(', ')}) for a newer digest: ${f.message}\n`);
    }
    const failed = check.failures.length ? `, ${check.failures.length} could not be checked` : '';
    io.stderr.write(`known-good: --check-stale: ${plural(check.queries, 'pinned tag')} checked with ${plural(service.cache.stats.total, 'registry request')}${failed}\n`);
  };
  return { options, finish };
}
