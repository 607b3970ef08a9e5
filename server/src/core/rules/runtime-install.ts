// runtime-install: a package manager installs or upgrades when the container starts.
import type { Rule } from '../rule';
import { docUrl } from '../types';
import { reportDownloads } from './runtime-common';

export const runtimeInstall: Rule = {
  meta: {
    id: 'runtime-install',
    defaultSeverity: 'error',
    description: 'A package manager installs or upgrades when the container starts instead of when the image is built.',
    docUrl: docUrl('runtime-install'),
  },
  check(ctx) {
    reportDownloads(
      ctx,
      'install',
      (d, when) =>
        `\`${d.command}\` in ${when} installs with ${d.tool} every time a container starts: start-up waits on the download, ` +
        'each start depends on the package index being up, and a new release can change what runs without any change of yours. ' +
        'Install it at build time (a `RUN` in the Dockerfile) so every task runs the image you tested.',
    );
  },
};
