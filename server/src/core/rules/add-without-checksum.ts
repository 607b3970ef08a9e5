// add-without-checksum: a Dockerfile `ADD` of an http(s) or git URL without `--checksum`.
import type { Rule } from '../rule';
import { docUrl } from '../types';

export const addWithoutChecksum: Rule = {
  meta: {
    id: 'add-without-checksum',
    defaultSeverity: 'warning',
    description: '`ADD` of a remote URL without `--checksum`: the build takes whatever the server returns.',
    docUrl: docUrl('add-without-checksum'),
  },
  check(ctx) {
    for (const add of ctx.model.remoteAdds) {
      if (add.hasChecksum) continue;
      const fix =
        add.kind === 'git'
          ? 'Pin the git source to a commit and add `--checksum=<commit sha>` (needs the Dockerfile 1.16+ frontend).'
          : 'Add `--checksum=sha256:<hex>` (Dockerfile frontend 1.6+), so a changed download fails the build instead of shipping.';
      ctx.report({
        message: `\`ADD ${add.url}\` downloads at build time without verifying what it gets: the same Dockerfile can produce a different image. ${fix}`,
        location: { file: ctx.model.file, span: add.span },
        data: { url: add.url, kind: add.kind },
      });
    }
  },
};
