// What a fix must fetch before it can be built: the SHA-256 of a URL (downloaded once, with the
// user's consent) and the digest of an image (through the pin service), under the network switch.
import { MessageType, type Connection } from 'vscode-languageserver';
import type { FixNeed } from '../core/fixes';
import { sha256OfUrl } from '../download/sha256';
import { safeUrl } from '../registry/redact';
import { remember, type FixSession } from './fix-context';
import { withProgress, type ClientCaps } from './pin-feedback';
import type { PinManager } from './pin-manager';
import type { SettingsManager } from './settings';

export interface NeedsDeps {
  connection: Connection;
  settings: SettingsManager;
  pins: PinManager;
  caps: () => ClientCaps;
}

/** Why no request may leave for `uri`: Restricted Mode or `knownGood.network.enabled: false`. */
export async function networkOff(deps: Pick<NeedsDeps, 'settings' | 'pins'>, uri: string): Promise<string | undefined> {
  if (!deps.pins.isTrusted) return 'the network is off in Restricted Mode (trust the workspace to allow it)';
  const { pin } = await deps.settings.editorSettings(uri);
  return pin.network ? undefined : 'the network is off (setting knownGood.network.enabled)';
}

/** A URL as the user should see it before consenting: everything but a user name and password. */
export function shownUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.href;
  } catch {
    return url;
  }
}

/** A URL for log lines (no credentials, no query). */
function logUrl(url: string): string {
  try {
    return safeUrl(new URL(url));
  } catch {
    return '(not a URL)';
  }
}

/** The needs the session cannot answer yet. */
export function pending(needs: readonly FixNeed[], session: FixSession): { urls: string[]; images: string[] } {
  const urls = new Set<string>();
  const images = new Set<string>();
  for (const n of needs) {
    if (n.kind === 'download-sha256' && !session.checksums.has(n.url)) urls.add(n.url);
    if (n.kind === 'image-digest' && !session.digests.has(n.reference)) images.add(n.reference);
  }
  return { urls: [...urls], images: [...images] };
}

/** What the network is needed for, for messages. */
export function needsText(p: { urls: string[]; images: string[] }): string {
  const parts = [...p.urls.map((u) => `the SHA-256 of ${shownUrl(u)}`), ...p.images.map((r) => `the current digest of ${r}`)];
  return parts.join(' and ');
}

/** Ask once for downloading `urls`; true only for an explicit Yes. */
export async function askDownloadConsent(connection: Connection, urls: readonly string[]): Promise<boolean> {
  const shown = urls.map(shownUrl);
  const message =
    shown.length === 1
      ? `Known Good will download ${shown[0]} once to compute its SHA-256 checksum. Download?`
      : `Known Good will download ${shown.length} files once to compute their SHA-256 checksums: ${shown.join(', ')}. Download?`;
  const answer = await connection.sendRequest('window/showMessageRequest', { type: MessageType.Info, message, actions: [{ title: 'Yes' }, { title: 'No' }] });
  return (answer as { title?: string } | null)?.title === 'Yes';
}

/** Resolve image digests into the session; the first failure's message, or undefined. */
export async function resolveImages(deps: NeedsDeps, uri: string, images: readonly string[], session: FixSession): Promise<string | undefined> {
  if (!images.length) return undefined;
  const access = await deps.pins.forResource(uri);
  const title = `Known Good: resolving ${images.join(', ')}`;
  const resolved = await withProgress(deps.connection, deps.caps(), title, 'asking the registry…', () => access.service.resolve(images));
  for (const ref of images) {
    const r = resolved.get(ref);
    if (!r?.ok) return `could not resolve the current digest of ${ref}: ${r ? r.message : 'no answer'}`;
    remember(session, session.digests, ref, r.digest);
  }
  return undefined;
}

/** Download and hash `urls` into the session (one at a time); one line per URL. */
export async function downloadAll(deps: NeedsDeps, urls: readonly string[], session: FixSession, signal?: AbortSignal): Promise<{ url: string; ok: boolean; detail: string }[]> {
  const out: { url: string; ok: boolean; detail: string }[] = [];
  const log = (line: string) => deps.connection.console.log(`Known Good download: ${line}`);
  for (const url of urls) {
    const title = `Known Good: downloading ${shownUrl(url)} to compute its checksum`;
    const r = await withProgress(deps.connection, deps.caps(), title, 'downloading…', () => sha256OfUrl(url, { signal, log }));
    if (r.ok) {
      remember(session, session.checksums, url, r.checksum);
      log(`${logUrl(url)}: ${r.bytes} bytes hashed in ${r.ms} ms: ${r.checksum}`);
      out.push({ url, ok: true, detail: r.checksum });
    } else {
      out.push({ url, ok: false, detail: r.message });
    }
  }
  return out;
}

/** The outcome of fetching a fix's needs: done, or a message (nothing is edited). */
export type Fulfilled = { ok: true } | { ok: false; message: string; type: 'error' | 'warning' | 'info' };

/**
 * Fetch what `needs` asks for (digests first: they need no consent and a failure spares a download),
 * asking the user before any download. Nothing leaves when the network is off.
 */
export async function fulfilNeeds(deps: NeedsDeps, uri: string, needs: readonly FixNeed[], session: FixSession): Promise<Fulfilled> {
  const p = pending(needs, session);
  if (!p.urls.length && !p.images.length) return { ok: true };
  const off = await networkOff(deps, uri);
  if (off) return { ok: false, type: 'warning', message: `This fix needs ${needsText(p)}, but ${off}. Nothing was edited.` };
  const failed = await resolveImages(deps, uri, p.images, session);
  if (failed) return { ok: false, type: 'error', message: `${failed}. Nothing was edited.` };
  if (!p.urls.length) return { ok: true };
  if (!(await askDownloadConsent(deps.connection, p.urls))) return { ok: false, type: 'info', message: 'Nothing was downloaded or edited.' };
  for (const r of await downloadAll(deps, p.urls, session)) {
    if (!r.ok) return { ok: false, type: 'error', message: `${r.detail}. Nothing was edited.` };
  }
  return { ok: true };
}
