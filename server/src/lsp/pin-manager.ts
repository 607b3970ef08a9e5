// Which PinService a resource gets: built from Workspace Trust and the registry settings, shared
// while they stay the same, persisting digests to the client's cache file.
import type { PinStyle } from '../core/fixes/pin';
import { PinService } from '../pin/service';
import type { SettingsManager } from './settings';

/** Why pinning is unavailable in an untrusted workspace (shown as the disabled reason). */
export const RESTRICTED_REASON = 'Pinning needs the network, which is off in Restricted Mode';
/** Why pinning is unavailable when the user turned the network off. */
export const NETWORK_OFF_REASON = 'Pinning needs the network, which is off (setting knownGood.network.enabled)';

/** What one resource may do with the registry. */
export interface PinAccess {
  service: PinService;
  /** `knownGood.pin.ecsStyle` for the resource. */
  style: PinStyle;
  timeoutMs: number;
  /** Set when no request may be made: the reason, for messages. */
  offline?: string;
}

export interface PinManagerOptions {
  /** Workspace Trust at start (plain LSP clients: true). */
  trusted: boolean;
  /** Persisted digest cache (`globalStorage/digests.json`). */
  cacheFile?: string;
  /** How long resolved digests are reused (tests use 0). */
  ttlMs?: number;
  /** One line per registry request and decision (redacted by the registry client). */
  log?: (line: string) => void;
}

/** A replaced service may still have requests in flight: its connections are closed later. */
const RETIRE_AFTER_MS = 60_000;

export class PinManager {
  private trusted: boolean;
  private current?: { key: string; service: PinService };
  private readonly retired = new Set<PinService>();

  constructor(
    private readonly settings: SettingsManager,
    private readonly options: PinManagerOptions,
  ) {
    this.trusted = options.trusted;
  }

  get isTrusted(): boolean {
    return this.trusted;
  }

  /** The user granted Workspace Trust; true when that changed anything. */
  grantTrust(): boolean {
    if (this.trusted) return false;
    this.trusted = true;
    return true;
  }

  /** The service and style for a document or folder URI (settings pulled for that resource). */
  async forResource(uri: string): Promise<PinAccess> {
    const { pin } = await this.settings.editorSettings(uri);
    const network = this.trusted && pin.network;
    const timeoutMs = Math.round(pin.timeoutSeconds * 1000);
    const key = JSON.stringify([network, this.trusted, pin.insecureRegistries, timeoutMs]);
    if (this.current?.key !== key) {
      if (this.current) this.retire(this.current.service);
      const service = new PinService({
        network,
        allowCredentialHelpers: this.trusted,
        insecureRegistries: pin.insecureRegistries,
        timeoutMs,
        cacheFile: this.options.cacheFile,
        ttlMs: this.options.ttlMs,
        log: this.options.log,
      });
      this.current = { key, service };
    }
    const offline = !this.trusted ? RESTRICTED_REASON : !pin.network ? NETWORK_OFF_REASON : undefined;
    return { service: this.current.service, style: pin.ecsStyle, timeoutMs, offline };
  }

  /** Write the persisted cache and close connections (shutdown). */
  async dispose(): Promise<void> {
    const all = [...this.retired, ...(this.current ? [this.current.service] : [])];
    this.retired.clear();
    this.current = undefined;
    await Promise.all(all.map((s) => s.dispose().catch(() => undefined)));
  }

  private retire(service: PinService): void {
    this.retired.add(service);
    setTimeout(() => {
      if (this.retired.delete(service)) void service.dispose().catch(() => undefined);
    }, RETIRE_AFTER_MS).unref();
  }
}
