// Editor settings pulled per resource (cached by URI) and `.knowngood.yaml` per workspace folder.
import * as path from 'path';
import type { Connection, WorkspaceFolder } from 'vscode-languageserver';
import { CONFIG_FILE_NAMES, EMPTY_CONFIG, matchPath, mergeSettings, parseConfig, type KnownGoodConfig } from '../core/config';
import { RULE_IDS } from '../core/rules';
import type { PinStyle } from '../core/fixes/pin';
import type { Level, Settings } from '../core/types';
import { CONFIG_SECTION } from './protocol';
import { isInside, uriToPath } from './uri';

const LEVELS: readonly string[] = ['error', 'warning', 'info', 'hint', 'off'];

/** The `knownGood.*` settings of one resource, validated. */
export interface EditorSettings {
  /** Explicit rule levels (the editor's `default` choice is left out, so `.knowngood.yaml` decides). */
  rules: Record<string, Level>;
  /** Globs (relative to the workspace folder) of files to analyse; empty means every supported file. */
  include: string[];
  /** Globs of files never to analyse; wins over `include`. */
  exclude: string[];
  /** Registry and pinning settings. */
  pin: PinSettings;
  /** `knownGood.maxFileSizeKB` in bytes (undefined: the core's default, 1 MB). */
  maxFileSize?: number;
}

/** `knownGood.network.*`, `knownGood.registry.*` and `knownGood.pin.*`. */
export interface PinSettings {
  /** `knownGood.network.enabled` (machine scope: a workspace cannot turn it on). */
  network: boolean;
  /** `knownGood.registry.insecureRegistries`: hosts where plain HTTP is allowed. */
  insecureRegistries: string[];
  /** `knownGood.registry.timeoutSeconds`: budget of one resolution. */
  timeoutSeconds: number;
  /** `knownGood.pin.ecsStyle`. */
  ecsStyle: PinStyle;
}

export const DEFAULT_TIMEOUT_SECONDS = 8;
/** Upper bound of `knownGood.maxFileSizeKB` (as the manifest declares; clients may send more). */
const MAX_FILE_SIZE_KB = 10240;
/** Bounds of the timeout setting (the manifest asks for 1–60; protocol clients may send less). */
const TIMEOUT_BOUNDS = [0.1, 300] as const;

const section = (obj: Record<string, unknown>, key: string): Record<string, unknown> => {
  const v = obj[key];
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
};

/** Validate the registry and pinning part of a raw `knownGood` object. */
export function readPinSettings(obj: Record<string, unknown>): PinSettings {
  const network = section(obj, 'network');
  const registry = section(obj, 'registry');
  const pin = section(obj, 'pin');
  const t = registry.timeoutSeconds;
  const timeoutSeconds = typeof t === 'number' && Number.isFinite(t) ? Math.min(TIMEOUT_BOUNDS[1], Math.max(TIMEOUT_BOUNDS[0], t)) : DEFAULT_TIMEOUT_SECONDS;
  const hosts = Array.isArray(registry.insecureRegistries) ? registry.insecureRegistries.filter((h): h is string => typeof h === 'string' && h.trim().length > 0).map((h) => h.trim()) : [];
  return {
    network: network.enabled !== false,
    insecureRegistries: hosts,
    timeoutSeconds,
    ecsStyle: pin.ecsStyle === 'digest-only' ? 'digest-only' : 'tag-and-digest',
  };
}

export interface Folder {
  uri: string;
  name: string;
  /** Posix file-system path. */
  path: string;
}

/** Validate a raw `knownGood` configuration object (anything a client sends). */
export function readEditorSettings(raw: unknown): EditorSettings {
  const obj = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const rules: Record<string, Level> = {};
  const rawRules = obj.rules && typeof obj.rules === 'object' ? (obj.rules as Record<string, unknown>) : {};
  for (const id of RULE_IDS) {
    const v = rawRules[id];
    if (typeof v === 'string' && LEVELS.includes(v)) rules[id] = v as Level;
  }
  const globs = (v: unknown) => (Array.isArray(v) ? v.filter((g): g is string => typeof g === 'string' && g.length > 0) : []);
  const kb = obj.maxFileSizeKB;
  const maxFileSize = typeof kb === 'number' && Number.isFinite(kb) && kb > 0 ? Math.round(Math.min(kb, MAX_FILE_SIZE_KB) * 1024) : undefined;
  return { rules, include: globs(obj.include), exclude: globs(obj.exclude), pin: readPinSettings(obj), ...(maxFileSize ? { maxFileSize } : {}) };
}

/** Settings for analysing one document, and whether include/exclude let it be analysed at all. */
export interface ResolvedSettings {
  settings: Settings;
  included: boolean;
  folder?: Folder;
}

export class SettingsManager {
  folders: Folder[] = [];
  /** Whether the client answers `workspace/configuration`; otherwise pushed settings are used. */
  pull = false;
  private pushed: EditorSettings = readEditorSettings(undefined);
  private readonly perResource = new Map<string, Promise<EditorSettings>>();
  private readonly configs = new Map<string, Promise<KnownGoodConfig>>();

  constructor(
    private readonly connection: Connection,
    private readonly readText: (file: string) => Promise<string | undefined>,
  ) {}

  setFolders(folders: readonly WorkspaceFolder[]): void {
    this.folders = folders.flatMap((f) => {
      const p = uriToPath(f.uri);
      return p === undefined ? [] : [{ uri: f.uri, name: f.name, path: p }];
    });
    this.configs.clear();
  }

  /** The innermost workspace folder holding `file`. */
  folderOf(file: string): Folder | undefined {
    let best: Folder | undefined;
    for (const f of this.folders) if (isInside(f.path, file) && (!best || f.path.length > best.path.length)) best = f;
    return best;
  }

  /** Settings changed in the editor: forget cached values (pushed settings are kept for clients that push). */
  configurationChanged(pushed: unknown): void {
    const section = pushed && typeof pushed === 'object' ? (pushed as Record<string, unknown>)[CONFIG_SECTION] : undefined;
    if (section !== undefined) this.pushed = readEditorSettings(section);
    this.perResource.clear();
  }

  /** `.knowngood.yaml` of a folder changed (on disk or in an editor). */
  configFileChanged(folderPath?: string): void {
    if (folderPath === undefined) this.configs.clear();
    else this.configs.delete(folderPath);
  }

  /** The `knownGood` settings for a resource, pulled once per URI until the configuration changes. */
  editorSettings(uri: string): Promise<EditorSettings> {
    if (!this.pull) return Promise.resolve(this.pushed);
    let p = this.perResource.get(uri);
    if (!p) {
      p = this.connection.workspace
        .getConfiguration({ scopeUri: uri, section: CONFIG_SECTION })
        .then(readEditorSettings, (e: unknown) => {
          this.connection.console.error(`Known Good: could not read settings for ${uri}: ${String(e)}`);
          return readEditorSettings(undefined);
        });
      this.perResource.set(uri, p);
    }
    return p;
  }

  /** The parsed `.knowngood.yaml` (or `.yml`) at a folder's root; invalid parts are skipped. */
  folderConfig(folderPath: string): Promise<KnownGoodConfig> {
    let p = this.configs.get(folderPath);
    if (!p) {
      p = (async () => {
        for (const name of CONFIG_FILE_NAMES) {
          const text = await this.readText(path.posix.join(folderPath, name));
          if (text !== undefined) return parseConfig(text, RULE_IDS).config;
        }
        return EMPTY_CONFIG;
      })();
      this.configs.set(folderPath, p);
    }
    return p;
  }

  /** Everything needed to analyse the document at `uri`/`file`. */
  async resolve(uri: string, file: string): Promise<ResolvedSettings> {
    const folder = this.folderOf(file);
    const [editor, config] = await Promise.all([this.editorSettings(uri), folder ? this.folderConfig(folder.path) : Promise.resolve(EMPTY_CONFIG)]);
    const settings = mergeSettings(config, editor.rules, folder?.path);
    if (editor.maxFileSize !== undefined) settings.maxFileSize = editor.maxFileSize;
    return { settings, included: isIncluded(editor, folder ? path.posix.relative(folder.path, file) : file.replace(/^\/+/, '')), folder };
  }
}

/** include/exclude as documented: exclude wins; an empty include list includes everything. */
export function isIncluded(editor: Pick<EditorSettings, 'include' | 'exclude'>, relPath: string): boolean {
  if (editor.exclude.some((g) => matchPath(g, relPath))) return false;
  return editor.include.length === 0 || editor.include.some((g) => matchPath(g, relPath));
}
