// Shared by the image rules: which references to judge and how to describe them.
import { classifyTag, parseImageRef, type ImageRef, type TagKind } from '../image-ref';
import type { FileModel, ImageContext, ImageSite } from '../model';

export interface ImageJudgement {
  site: ImageSite;
  ref: ImageRef;
  kind: TagKind;
  /** What a moved tag means where this reference is used. */
  consequence: string;
  /** Sentence added when the judged value is a variable's default. */
  aboutDefault: string;
}

const BUILD_TIME = 'Each build can get a different base, so the image you tested is not the one you rebuild.';
const ECS =
  'ECS resolves the tag when a task starts (once per deployment with version consistency), so a replacement task can run different code from the one you tested.';
const COMPOSE = '`docker compose pull`/`up` fetches whatever the tag points to at that moment.';

const CONSEQUENCE: Record<ImageContext, string> = {
  from: BUILD_TIME,
  'copy-from': BUILD_TIME,
  'mount-from': BUILD_TIME,
  'syntax-directive': 'The Dockerfile frontend that builds the image can change between builds.',
  'ecs-image': ECS,
  'cfn-image': ECS,
  'tf-image': ECS,
  'compose-image': COMPOSE,
};

/** Image references worth judging: parsed, not digest-pinned. */
export function imageFindings(model: FileModel): ImageJudgement[] {
  const out: ImageJudgement[] = [];
  for (const site of model.images) {
    if (site.resolved === undefined) continue;
    const parsed = parseImageRef(site.resolved);
    if (!parsed.ok || parsed.ref.digest) continue;
    const v = site.variable;
    const aboutDefault =
      v && v.covers === 'tag-or-whole' && v.defaultValue !== undefined
        ? ` (This is about the default \`${v.defaultValue}\` of \`${v.expression}\`.)`
        : '';
    out.push({ site, ref: parsed.ref, kind: classifyTag(parsed.ref.tag), consequence: CONSEQUENCE[site.context], aboutDefault });
  }
  return out;
}

const WHERE: Record<ImageContext, string> = {
  from: 'Base image',
  'copy-from': 'Image in `COPY --from`',
  'mount-from': 'Image in `RUN --mount=from`',
  'syntax-directive': 'Dockerfile frontend image in `# syntax=`',
  'ecs-image': 'Container image',
  'cfn-image': 'Container image',
  'tf-image': 'Container image',
  'compose-image': 'Service image',
};

export function describeSite(site: ImageSite): string {
  return `${WHERE[site.context]} \`${site.text}\``;
}
