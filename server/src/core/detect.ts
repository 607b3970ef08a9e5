// Decides which kind of file a path + text is (Dockerfile, ECS JSON, CloudFormation, Terraform, compose, shell, config).
import { parseTree, type Node as JsonNode } from 'jsonc-parser';
import { isMap, parseDocument } from 'yaml';
import type { FileKind } from './types';
import { maskTemplates } from './extract/json-tree';

/** Content checks look at this much of a file before parsing it. */
const PREFIX = 64 * 1024;
/** Files larger than this are classified by a prefix scan only (no full parse). */
export const PARSE_LIMIT = 4 * 1024 * 1024;

/**
 * The kind of a file, or undefined when Known Good does not analyse it. Names decide for Dockerfiles,
 * compose files, Terraform, shell scripts and `.knowngood.yaml`; content decides for CloudFormation
 * (`AWSTemplateFormatVersion`, or `Resources` typed `AWS::…`) and ECS task definitions (any `*.json`).
 * Texts longer than `parseLimit` are classified from their first characters only, never parsed (0:
 * never parse, for files the analysis will skip anyway).
 */
export function detectKind(file: string, text: string, languageId?: string, parseLimit = PARSE_LIMIT): FileKind | undefined {
  const base = (file.replace(/\\/g, '/').split('/').pop() ?? '').toLowerCase();
  if (base === '.knowngood.yaml' || base === '.knowngood.yml') return 'knowngood-config';
  if (languageId === 'dockerfile' || isDockerfileName(base)) return 'dockerfile';
  if (base.endsWith('.tf') || languageId === 'terraform') return 'terraform';
  const yaml = /\.ya?ml$/.test(base);
  if (yaml && base.includes('compose')) return 'compose';
  if (languageId === 'dockercompose') return 'compose';
  if (/\.(sh|bash)$/.test(base) || /^#!\s*\S*\/(?:env\s+(?:-\S+\s+)*)?(?:sh|bash|dash|ash)(?=\s|$)/.test(text)) return 'shell';
  const json = base.endsWith('.json');
  if (yaml || json || base.endsWith('.template')) {
    if (looksLikeCloudFormation(text)) return 'cloudformation';
  }
  if (yaml && looksLikeCompose(text, parseLimit)) return 'compose';
  if (json || /\.(json\.tftpl|tftpl|tpl|tmpl)$/.test(base)) {
    if (looksLikeEcs(text, parseLimit)) return 'ecs-json';
  }
  return undefined;
}

function isDockerfileName(base: string): boolean {
  return (
    base === 'dockerfile' ||
    base === 'containerfile' ||
    base.endsWith('.dockerfile') ||
    base.endsWith('.containerfile') ||
    ((base.startsWith('dockerfile.') || base.startsWith('containerfile.')) && !/\.(md|txt|json|ya?ml|sh|bak|orig|swp)$/.test(base))
  );
}

/** `AWSTemplateFormatVersion`, or a `Resources` section whose entries are typed `AWS::…`. */
function looksLikeCloudFormation(text: string): boolean {
  const head = text.slice(0, PREFIX);
  if (/(^|[\s{,])["']?AWSTemplateFormatVersion["']?\s*:/m.test(head)) return true;
  if (!/(^|[\s{,])["']?Resources["']?\s*:/m.test(head)) return false;
  return /["']?Type["']?\s*:\s*["']?AWS::[A-Za-z0-9]+::[A-Za-z0-9]+/.test(text.slice(0, PREFIX * 4));
}

/** A top-level `services:` map whose entries have `image` or `build` (`parseLimit` 0: never, a name must say compose). */
function looksLikeCompose(text: string, parseLimit: number): boolean {
  if (!/^services\s*:/m.test(text.slice(0, PREFIX)) || text.length > parseLimit) return false;
  try {
    const doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false });
    if (!isMap(doc.contents)) return false;
    const services = doc.contents.get('services', true);
    if (!isMap(services)) return false;
    return services.items.some((p) => isMap(p.value) && (p.value.has('image') || p.value.has('build')));
  } catch {
    return false;
  }
}

/** `{containerDefinitions: [...]}`, `{taskDefinition: {containerDefinitions}}`, or an array of `{name, image}`. */
function looksLikeEcs(text: string, parseLimit: number): boolean {
  const head = text.slice(0, PREFIX);
  if (!/"containerDefinitions"\s*:/.test(head) && !(/"image"\s*:/.test(head) && /"name"\s*:/.test(head))) return false;
  if (text.length > parseLimit) return /"containerDefinitions"\s*:/.test(head);
  let root: JsonNode | undefined;
  try {
    root = parseTree(maskTemplates(text).text, [], { allowTrailingComma: true, disallowComments: false });
  } catch {
    // The parser recurses per nesting level: a document nested thousands deep is no task definition.
    return false;
  }
  if (!root) return false;
  const prop = (n: JsonNode | undefined, key: string) =>
    n?.type === 'object' ? n.children?.find((p) => p.children?.[0]?.value === key)?.children?.[1] : undefined;
  if (root.type === 'array') {
    const items = root.children ?? [];
    return items.length > 0 && items.every((i) => i.type === 'object' && prop(i, 'image') !== undefined && prop(i, 'name') !== undefined);
  }
  if (prop(root, 'containerDefinitions')?.type === 'array') return true;
  return prop(prop(root, 'taskDefinition'), 'containerDefinitions')?.type === 'array';
}
