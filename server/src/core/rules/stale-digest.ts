// stale-digest: a `name:tag@sha256:…` pin whose tag now points at a different digest (needs the network).
import { pinCandidate } from '../fixes/pin';
import type { Rule } from '../rule';
import { docUrl } from '../types';

export const staleDigest: Rule = {
  meta: {
    id: 'stale-digest',
    defaultSeverity: 'info',
    description: 'A pinned `tag@sha256:` whose tag has since moved to another digest (checked against the registry).',
    docUrl: docUrl('stale-digest'),
    enabledByDefault: false,
  },
  check(ctx) {
    for (const site of ctx.model.images) {
      const c = pinCandidate(ctx.model.text, site);
      if (!c?.currentDigest || c.implicitLatest) continue;
      const now = ctx.digests.get(c.query);
      if (!now || now === c.currentDigest) continue;
      ctx.report({
        message:
          `\`${c.query}\` now points to \`${now.slice(0, 19)}…\`, not to the pinned \`${c.currentDigest.slice(0, 19)}…\`. ` +
          'The pin still guarantees what runs; the tag has moved on (a rebuild, a patch release). Review the new image and update the digest when you are ready.',
        location: { file: ctx.model.file, span: site.span },
        pointer: site.pointer,
        data: { reference: site.text, query: c.query, pinned: c.currentDigest, current: now },
      });
    }
  },
};
