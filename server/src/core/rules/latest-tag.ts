// latest-tag: an image referenced by `:latest` or by no tag at all, wherever an image is named.
import { describeSite, imageFindings } from './image-common';
import type { Rule } from '../rule';
import { docUrl } from '../types';

export const latestTag: Rule = {
  meta: {
    id: 'latest-tag',
    defaultSeverity: 'warning',
    description: 'Image referenced by :latest or without a tag: it changes whenever the publisher pushes.',
    docUrl: docUrl('latest-tag'),
  },
  check(ctx) {
    for (const f of imageFindings(ctx.model)) {
      if (f.kind !== 'latest') continue;
      const what =
        f.ref.tag !== undefined
          ? 'uses the `latest` tag'
          : f.site.variable?.covers === 'registry'
            ? 'has no tag, so it means `:latest`'
            : `has no tag, so it means \`${f.ref.name.replace(/^docker\.io\/(library\/)?/, '')}:latest\``;
      ctx.report({
        message: `${describeSite(f.site)} ${what}: whatever was pushed last is what runs. ${f.consequence} Pin a version and its digest (\`name:tag@sha256:…\`).${f.aboutDefault}`,
        location: { file: ctx.model.file, span: f.site.span },
        pointer: f.site.pointer,
        data: { reference: f.site.text, resolved: f.site.resolved, context: f.site.context },
      });
    }
  },
};
