// runtime-fetch: code or binaries fetched from the network when the container starts.
import type { Rule } from '../rule';
import { docUrl } from '../types';
import { reportDownloads } from './runtime-common';

export const runtimeFetch: Rule = {
  meta: {
    id: 'runtime-fetch',
    defaultSeverity: 'error',
    description: 'Code or binaries are fetched (curl, wget, git, aws s3) when the container starts.',
    docUrl: docUrl('runtime-fetch'),
  },
  check(ctx) {
    reportDownloads(ctx, 'fetch', (d, when) => {
      const what = d.pipedToShell
        ? 'downloads code and runs it straight away, unverified,'
        : `fetches ${d.ecosystem === 'git' ? 'a repository' : 'code or a binary'}`;
      return (
        `\`${d.command}\` in ${when} ${what} every time a container starts: the task depends on that server being up ` +
        'and serves whatever it returns that day. Fetch it at build time (`ADD --checksum=sha256:…` or a verified `RUN`) so the image carries it.'
      );
    });
  },
};
