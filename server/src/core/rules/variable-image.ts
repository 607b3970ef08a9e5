// variable-image: the image comes from something the file does not fix (an ARG, parameter, variable).
import type { Rule } from '../rule';
import { docUrl } from '../types';
import { describeSite } from './image-common';

export const variableImage: Rule = {
  meta: {
    id: 'variable-image',
    defaultSeverity: 'info',
    description: 'Image reference (or its tag) comes from a variable, so the file alone does not say what runs.',
    docUrl: docUrl('variable-image'),
  },
  check(ctx) {
    for (const site of ctx.model.images) {
      const v = site.variable;
      if (!v || v.covers !== 'tag-or-whole') continue;
      const fallback =
        v.defaultValue !== undefined
          ? ` Its default (from ${v.defaultSource ?? 'the file'}) is \`${v.defaultValue}\`, which is analysed by the other rules; a deployment can override it.`
          : ' No default is given here, so make sure whoever sets it passes a reference pinned to a digest.';
      ctx.report({
        message: `${describeSite(site)} comes from \`${v.expression}\`: what runs is decided outside this file.${fallback}`,
        location: { file: ctx.model.file, span: site.span },
        pointer: site.pointer,
        data: { reference: site.text, expression: v.expression, defaultValue: v.defaultValue },
      });
    }
  },
};
