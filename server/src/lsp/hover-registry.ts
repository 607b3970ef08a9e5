// The network part of the image hover: the digest the tag points to now, the platforms of its index,
// and whether a pin still matches. Capped so a slow registry never holds the hover.
import { pinCandidate } from '../core/fixes/pin';
import { parseImageRef } from '../core/image-ref';
import type { ImageSite } from '../core/model';
import type { Resolution } from '../registry';
import type { PinAccess } from './pin-manager';

/** The longest a hover waits for the registry. */
export const HOVER_REGISTRY_MS = 3000;

const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;

/** Markdown about `site` from the registry, or undefined when there is nothing to ask (variables, offline). */
export async function registryHover(access: PinAccess, text: string, site: ImageSite, capMs = HOVER_REGISTRY_MS): Promise<string | undefined> {
  if (access.offline) return undefined;
  const c = pinCandidate(text, site);
  if (!c) return undefined;
  const parsed = parseImageRef(c.query);
  const registry = parsed.ok ? parsed.ref.registry : c.query;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), capMs);
  });
  let r: Resolution | undefined;
  try {
    r = await Promise.race([access.service.cache.get(c.query, { platforms: true }), late]);
  } finally {
    clearTimeout(timer);
  }
  if (!r) return `**Registry:** ${code(registry)} did not answer within ${(capMs / 1000).toFixed(capMs % 1000 ? 1 : 0)} s (registry did not answer; the hover does not wait longer).`;
  if (!r.ok) return `**Registry:** could not check ${code(c.query)}: ${r.message}.`;
  const lines = [`**Registry now:** ${code(c.query)} → ${code(r.digest)}`];
  if (r.platforms?.length) lines.push(`Multi-platform index: ${r.platforms.map(code).join(', ')}.`);
  else if (/index|manifest\.list/.test(r.mediaType)) lines.push('Multi-platform index.');
  else lines.push('Single-platform manifest.');
  if (c.currentDigest) {
    lines.push(
      c.currentDigest === r.digest
        ? `The tag still points at this digest.`
        : `The tag has moved since this pin: it now points at ${code(r.digest)}, not ${code(c.currentDigest)}. Enable \`stale-digest\` for the **Update digest** fix.`,
    );
  }
  return lines.join('\n\n');
}
