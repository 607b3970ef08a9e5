// version-consistency-disabled: an ECS container definition that turns off digest resolution per deployment.
import type { Rule } from '../rule';
import { docUrl } from '../types';

export const versionConsistencyDisabled: Rule = {
  meta: {
    id: 'version-consistency-disabled',
    defaultSeverity: 'warning',
    description: 'ECS software version consistency is disabled: tasks of one deployment may run different images.',
    docUrl: docUrl('version-consistency-disabled'),
  },
  check(ctx) {
    for (const site of ctx.model.versionConsistency) {
      ctx.report({
        message:
          'Version consistency is disabled: ECS will not resolve the tag to one digest per deployment, so tasks started later in the same deployment ' +
          '(scale-out, replacements) can pull a different image. Remove the setting (the default is `enabled`) or pin the image to a digest.',
        location: { file: ctx.model.file, span: site.span },
        pointer: site.pointer,
        data: { value: site.value },
      });
    }
  },
};
