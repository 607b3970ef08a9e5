// missing-digest: a tagged image reference without `@sha256:<digest>`; says whether the tag floats.
import { VARIABLE_REPOSITORY, type ImageSite } from '../model';
import { describeSite, imageFindings } from './image-common';
import type { Rule } from '../rule';
import { docUrl } from '../types';

export const missingDigest: Rule = {
  meta: {
    id: 'missing-digest',
    defaultSeverity: 'warning',
    description: 'Tagged image reference without a digest: the tag can be moved to different content.',
    docUrl: docUrl('missing-digest'),
  },
  check(ctx) {
    for (const f of imageFindings(ctx.model)) {
      if (f.kind === 'latest') continue;
      const tag = `\`${f.ref.tag}\``;
      const how =
        f.kind === 'floating'
          ? `tag ${tag} floats: it is moved to each new release it covers`
          : `tag ${tag} looks exact, but a tag is a pointer anyone with push rights can move`;
      ctx.report({
        message: `${describeSite(f.site)} has no digest; ${how}. ${f.consequence} ${pinAdvice(f.site)}${f.aboutDefault}`,
        location: { file: ctx.model.file, span: f.site.span },
        pointer: f.site.pointer,
        data: { reference: f.site.text, resolved: f.site.resolved, context: f.site.context, tagKind: f.kind },
      });
    }
  },
};

function pinAdvice(site: ImageSite): string {
  if (site.variable?.covers !== 'tag-or-whole') return `Add the digest (\`${site.text}@sha256:…\`).`;
  const value = site.resolved && !site.resolved.startsWith(VARIABLE_REPOSITORY) ? site.resolved : 'name:tag';
  return `Pin the value it receives to a digest (\`${value}@sha256:…\`).`;
}
