// ecr-mutable-tags: an ECR repository whose tags can be overwritten (explicitly or by default).
import { matchPath } from '../config';
import type { Rule } from '../rule';
import { docUrl } from '../types';

export const ecrMutableTags: Rule = {
  meta: {
    id: 'ecr-mutable-tags',
    defaultSeverity: 'warning',
    description: 'ECR repository with mutable tags: a pushed tag can later point at different content.',
    docUrl: docUrl('ecr-mutable-tags'),
  },
  check(ctx) {
    for (const repo of ctx.model.ecrRepositories) {
      const m = repo.mutability?.toUpperCase();
      let message: string | undefined;
      if (!repo.explicit || m === undefined) {
        message = `ECR repository \`${repo.name}\` does not set image tag mutability, so its tags are MUTABLE (the default): a push can move any tag a task definition uses.`;
      } else if (m === 'MUTABLE') {
        message = `ECR repository \`${repo.name}\` has MUTABLE tags: a push can move any tag a task definition uses.`;
      } else if (m === 'MUTABLE_WITH_EXCLUSION') {
        message = `ECR repository \`${repo.name}\` is MUTABLE_WITH_EXCLUSION: tags are mutable except those matching ${list(repo.exclusionFilters)}.`;
      } else if (m === 'IMMUTABLE_WITH_EXCLUSION') {
        const used = ctx.workspace.imageTags.filter(
          (t) => repoMatches(t.repository, repo.name) && repo.exclusionFilters.some((f) => matchPath(f, t.tag)),
        );
        if (used.length) {
          const tags = [...new Set(used.map((u) => u.tag))];
          message = `ECR repository \`${repo.name}\` is IMMUTABLE_WITH_EXCLUSION, but task definitions in this workspace use ${list(tags)}, which match the mutable exclusions ${list(repo.exclusionFilters)}.`;
        }
      }
      if (!message) continue;
      ctx.report({
        message: `${message} Set \`IMMUTABLE\` (or IMMUTABLE_WITH_EXCLUSION for scratch tags only) so a tag always means the image you tested.`,
        location: { file: ctx.model.file, span: repo.span },
        pointer: repo.pointer,
        data: { repository: repo.name, mutability: repo.mutability ?? null, explicit: repo.explicit },
      });
    }
  },
};

function list(items: string[]): string {
  return items.length ? items.map((i) => `\`${i}\``).join(', ') : 'the exclusion filters';
}

/** An image repository path names this ECR repository (ECR paths end with the repository name). */
function repoMatches(repository: string, name: string): boolean {
  return repository === name || repository.endsWith(`/${name}`) || name.endsWith(`/${repository}`);
}
