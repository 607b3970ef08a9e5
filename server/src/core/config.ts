// Reads `.knowngood.yaml` (rule levels, ignored paths, per-file/pointer ignores) and merges settings.
import * as path from 'path';
import picomatch from 'picomatch';
import { isMap, isScalar, isSeq, parseDocument, type Node as YamlNode } from 'yaml';
import type { Level, Settings, Span } from './types';

export const CONFIG_FILE_NAMES = ['.knowngood.yaml', '.knowngood.yml'];
const LEVELS: readonly string[] = ['error', 'warning', 'info', 'hint', 'off'];

/** One `ignore:` entry: a path glob, optionally narrowed to a JSON pointer and to some rules. */
export interface IgnoreEntry {
  path: string;
  pointer?: string;
  rules?: string[];
}

/** The parsed `.knowngood.yaml`. */
export interface KnownGoodConfig {
  rules: Record<string, Level>;
  ignore: IgnoreEntry[];
  /**
   * `images:` image repository (`123.dkr.ecr.eu-west-1.amazonaws.com/demo-web`, or `demo-web` for any
   * registry) → the Dockerfile that builds it, relative to the config's folder. Read by the fixes that
   * move a runtime install from a task definition or compose command into that Dockerfile.
   */
  images?: Record<string, string>;
}

export interface ConfigProblem {
  span: Span;
  message: string;
}

export const EMPTY_CONFIG: KnownGoodConfig = { rules: {}, ignore: [] };

function spanOf(node: YamlNode | null | undefined, fallback: Span): Span {
  const r = node?.range;
  return r ? { start: r[0], end: Math.max(r[0] + 1, r[1]) } : fallback;
}

/** Parse and validate `.knowngood.yaml`; invalid parts are reported, valid parts kept. */
export function parseConfig(text: string, knownRules: readonly string[]): { config: KnownGoodConfig; problems: ConfigProblem[] } {
  const { config, problems } = parseAndValidate(text, knownRules);
  // A problem at the very end of the file would otherwise run one character past it.
  const within = (n: number) => Math.max(0, Math.min(n, text.length));
  return { config, problems: problems.map((p) => ({ ...p, span: { start: within(p.span.start), end: Math.max(within(p.span.start), within(p.span.end)) } })) };
}

function parseAndValidate(text: string, knownRules: readonly string[]): { config: KnownGoodConfig; problems: ConfigProblem[] } {
  const config: KnownGoodConfig = { rules: {}, ignore: [] };
  const problems: ConfigProblem[] = [];
  const whole: Span = { start: 0, end: Math.max(1, Math.min(text.length, text.indexOf('\n') < 0 ? text.length : text.indexOf('\n'))) };
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  for (const e of doc.errors) problems.push({ span: { start: e.pos[0], end: Math.max(e.pos[0] + 1, e.pos[1]) }, message: `Invalid YAML: ${e.message.split('\n')[0]}` });
  if (doc.errors.length) return { config, problems };
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) return { config, problems };
  if (!isMap(root)) {
    problems.push({ span: spanOf(root, whole), message: '.knowngood.yaml must be a mapping with `rules`, `ignore` and/or `images`' });
    return { config, problems };
  }
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const value = pair.value as YamlNode | null;
    if (key === 'rules') {
      if (!isMap(value)) {
        problems.push({ span: spanOf(value ?? (pair.key as YamlNode), whole), message: '`rules` must map rule ids to error, warning, info, hint or off' });
        continue;
      }
      for (const r of value.items) {
        const id = isScalar(r.key) ? String(r.key.value) : '';
        const level = isScalar(r.value) ? String(r.value.value) : '';
        if (!knownRules.includes(id)) {
          problems.push({ span: spanOf(r.key as YamlNode, whole), message: `Unknown rule "${id}". Known rules: ${knownRules.join(', ')}` });
        } else if (!LEVELS.includes(level)) {
          problems.push({ span: spanOf((r.value ?? r.key) as YamlNode, whole), message: `Level for "${id}" must be one of ${LEVELS.join(', ')} (got "${level}")` });
        } else {
          config.rules[id] = level as Level;
        }
      }
    } else if (key === 'ignore') {
      if (!isSeq(value)) {
        problems.push({ span: spanOf(value ?? (pair.key as YamlNode), whole), message: '`ignore` must be a list of path globs or {path, pointer, rules} entries' });
        continue;
      }
      for (const item of value.items as YamlNode[]) {
        const entry = readIgnore(item, knownRules, problems, whole);
        if (entry) config.ignore.push(entry);
      }
    } else if (key === 'images') {
      const images = readImages(value, problems, spanOf(value ?? (pair.key as YamlNode), whole));
      if (images) config.images = images;
    } else {
      problems.push({ span: spanOf(pair.key as YamlNode, whole), message: `Unknown key "${key}" (expected rules, ignore, images)` });
    }
  }
  return { config, problems };
}

/** `images:`: repository (no tag or digest) → Dockerfile path relative to the config's folder. */
function readImages(value: YamlNode | null, problems: ConfigProblem[], at: Span): Record<string, string> | undefined {
  if (!isMap(value)) {
    problems.push({ span: at, message: '`images` must map image repositories to the Dockerfiles that build them' });
    return undefined;
  }
  const out: Record<string, string> = {};
  for (const p of value.items) {
    const repo = isScalar(p.key) && typeof p.key.value === 'string' ? p.key.value.trim() : '';
    const file = isScalar(p.value) && typeof p.value.value === 'string' ? p.value.value.trim() : '';
    const keySpan = spanOf(p.key as YamlNode, at);
    const last = repo.split('/').pop() ?? '';
    if (!repo || /[@\s]/.test(repo) || last.includes(':')) {
      problems.push({ span: keySpan, message: `"${repo}" is not an image repository: write it without tag or digest (e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com/web or web)` });
    } else if (!file || file.startsWith('/') || /^[A-Za-z]:[\\/]/.test(file) || /^\.\.(\/|$)/.test(path.posix.normalize(file.replace(/\\/g, '/')))) {
      // Absolute, or leaving the folder (`../../elsewhere/Dockerfile`): a fix never edits outside the workspace.
      problems.push({ span: spanOf((p.value ?? p.key) as YamlNode, at), message: `The Dockerfile for "${repo}" must be a path relative to this file's folder (e.g. web/Dockerfile)` });
    } else {
      out[repo] = file;
    }
  }
  return out;
}

function readIgnore(item: YamlNode, knownRules: readonly string[], problems: ConfigProblem[], whole: Span): IgnoreEntry | undefined {
  if (isScalar(item) && typeof item.value === 'string' && item.value) return { path: item.value };
  if (!isMap(item)) {
    problems.push({ span: spanOf(item, whole), message: 'An ignore entry is a path glob or a mapping with `path` (and optional `pointer`, `rules`)' });
    return undefined;
  }
  const get = (k: string) => item.items.find((p) => isScalar(p.key) && p.key.value === k)?.value as YamlNode | undefined;
  const p = get('path');
  if (!isScalar(p) || typeof p.value !== 'string' || !p.value) {
    problems.push({ span: spanOf(item, whole), message: 'An ignore entry needs a `path` glob' });
    return undefined;
  }
  const entry: IgnoreEntry = { path: p.value };
  const pointer = get('pointer');
  if (pointer !== undefined) {
    if (!isScalar(pointer) || typeof pointer.value !== 'string' || !(pointer.value === '' || pointer.value.startsWith('/'))) {
      problems.push({ span: spanOf(pointer, whole), message: '`pointer` must be a JSON pointer such as /containerDefinitions/0/image' });
      return undefined;
    }
    entry.pointer = pointer.value;
  }
  const rules = get('rules');
  if (rules !== undefined) {
    const ids = isSeq(rules) ? (rules.items as YamlNode[]).map((n) => (isScalar(n) ? String(n.value) : '')) : isScalar(rules) ? [String(rules.value)] : [];
    const unknown = ids.filter((id) => !knownRules.includes(id));
    if (!ids.length || unknown.length) {
      problems.push({ span: spanOf(rules, whole), message: unknown.length ? `Unknown rule ${unknown.map((u) => `"${u}"`).join(', ')}` : '`rules` must list rule ids' });
      return undefined;
    }
    entry.rules = ids;
  }
  return entry;
}

/** Whether a finding of `ruleId` at `pointer` in `relPath` (relative to the config's folder) is ignored. */
export function isIgnored(config: { ignore: IgnoreEntry[] }, relPath: string, ruleId: string, pointer?: string): boolean {
  return config.ignore.some((e) => {
    if (!matchPath(e.path, relPath)) return false;
    if (e.rules && !e.rules.includes(ruleId)) return false;
    if (e.pointer !== undefined && !(pointer !== undefined && (pointer === e.pointer || pointer.startsWith(`${e.pointer}/`)))) return false;
    return true;
  });
}

/** Whether a whole file is ignored (an entry with only a path). */
export function isPathIgnored(config: { ignore: IgnoreEntry[] }, relPath: string): boolean {
  return config.ignore.some((e) => !e.pointer && !e.rules && matchPath(e.path, relPath));
}

const matchers = new Map<string, picomatch.Matcher>();
/** Glob match as gitignore users expect: a pattern without `/` matches at any depth; `dir/` matches below it. */
export function matchPath(glob: string, relPath: string): boolean {
  let m = matchers.get(glob);
  if (!m) {
    let g = glob.replace(/^\.\//, '');
    if (g.endsWith('/')) g += '**';
    if (!g.includes('/')) g = `**/${g}`;
    const base = picomatch(g, { dot: true });
    const below = picomatch(`${g}/**`, { dot: true });
    m = ((p: string) => base(p) || below(p)) as picomatch.Matcher;
    matchers.set(glob, m);
  }
  return m(relPath);
}

/**
 * Merge levels: an explicit editor setting wins over `.knowngood.yaml`, which wins over the rule's
 * default. `editorRules` holds only explicit levels (the editor's "default" choice is left out).
 */
export function mergeSettings(config: KnownGoodConfig, editorRules: Record<string, Level> = {}, root?: string): Settings {
  return { rules: { ...config.rules, ...editorRules }, ignore: config.ignore, root };
}
