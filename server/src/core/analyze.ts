// The core's entry point: text + settings in, findings out. Pure: no editor APIs, no I/O.
import * as path from 'path';
import { isIgnored, isPathIgnored, parseConfig } from './config';
import { detectKind } from './detect';
import { extractCloudFormation } from './extract/cloudformation';
import { extractCompose } from './extract/compose';
import { extractDockerfile } from './extract/dockerfile';
import { extractEcsJson } from './extract/ecs-json';
import { extractTerraform } from './extract/terraform';
import { LineIndex } from './line-index';
import { DEFAULT_MAX_FILE_SIZE, isStackOverflow, SKIPPED_FILE, skippedFinding, skipReason } from './limits';
import { emptyModel, exactSource, type ExtractContext, type FileModel } from './model';
import { EMPTY_WORKSPACE, type CommandDownloads, type Rule, type RuleContext, type ScriptDownloads, type WorkspaceFacts } from './rule';
import { RULES } from './rules';
import { analyzeArgv, analyzeScript } from './shell/analyze';
import { findSuppressions, isSuppressed } from './suppress';
import { DEFAULT_SETTINGS, docUrl, type FileKind, type Finding, type RawFinding, type Settings, type Severity } from './types';

/** Codes of diagnostics that are not rules: a broken config file, an analysis that failed. */
export const CONFIG_ERROR = 'config-error';
export const INTERNAL_ERROR = 'internal-error';

export interface AnalyzeInput {
  /** The file's path (posix separators; absolute, or relative to the workspace root). */
  file: string;
  text: string;
  /** Editor language id, when known (`dockerfile` identifies a Dockerfile whatever its name). */
  languageId?: string;
  settings?: Settings;
  /** Texts of other workspace files this file depends on (see `AnalyzeResult.dependencies`). */
  files?: ReadonlyMap<string, string>;
  workspace?: WorkspaceFacts;
  /** Rules to run (tests use this to inject a failing rule); defaults to all registered rules. */
  rules?: readonly Rule[];
  /**
   * Digests the registry reports now for `name:tag` references (keys as `pinCandidate().query`),
   * fetched by the caller when the network is allowed. Rules that compare pins read it.
   */
  digests?: ReadonlyMap<string, string>;
}

export interface AnalyzeResult {
  kind?: FileKind;
  model?: FileModel;
  /** Findings in this file and in files it runs (entrypoint scripts), sorted by file and position. */
  findings: Finding[];
  /** Workspace files whose text the analysis used or would use; re-analyse when they change. */
  dependencies: string[];
  /** Dependencies that were not given in `files` (the caller loads those that exist and calls again). */
  missing: string[];
}

const EXTRACTORS: Partial<Record<FileKind, (file: string, text: string, ctx: ExtractContext) => FileModel>> = {
  dockerfile: extractDockerfile,
  'ecs-json': extractEcsJson,
  cloudformation: extractCloudFormation,
  terraform: extractTerraform,
  compose: extractCompose,
};

/** Strip a byte-order mark as editors do, so offsets agree between the CLI and the editor. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function analyze(input: AnalyzeInput): AnalyzeResult {
  const text = stripBom(input.text);
  const settings = input.settings ?? DEFAULT_SETTINGS;
  const files = input.files ?? new Map<string, string>();
  const rules = input.rules ?? RULES;
  // Too large, binary, not UTF-8, nested too deep: classified without parsing, then reported, not analysed.
  const skip = skipReason(text, settings.maxFileSize ?? DEFAULT_MAX_FILE_SIZE);
  const kind = detectKind(input.file, text, input.languageId, skip ? 0 : undefined);
  const out: AnalyzeResult = { kind, findings: [], dependencies: [], missing: [] };
  if (!kind) return out;
  if (settings.root !== undefined && isPathIgnored(settings, relative(settings.root, input.file))) return out;
  if (skip) {
    out.findings = [skippedFinding(input.file, skip)];
    return out;
  }
  if (kind === 'knowngood-config') {
    const { problems } = parseConfig(text, rules.map((r) => r.meta.id));
    const index = new LineIndex(text);
    out.findings = problems.map((p) => ({
      ruleId: CONFIG_ERROR,
      message: p.message,
      severity: 'error' as Severity,
      location: { file: input.file, span: p.span },
      range: index.range(p.span),
    }));
    return out;
  }

  let model: FileModel;
  const raw: RawFinding[] = [];
  try {
    const extractor = EXTRACTORS[kind];
    model = extractor ? extractor(input.file, text, { files }) : emptyModel(kind, input.file, text);
  } catch (e) {
    // A parser that recursed out of stack on nesting the bracket count did not see is a limit, not a bug.
    if (isStackOverflow(e)) {
      out.findings = [skippedFinding(input.file, { kind: 'too-deep', message: 'Known Good did not analyse this file: it is nested too deeply to parse; it is probably generated or damaged.' })];
      return out;
    }
    model = emptyModel(kind, input.file, text);
    raw.push(internalError(input.file, 'parsing', e));
  }
  model.suppressions = findSuppressions(text);
  out.model = model;
  const workspace = input.workspace ?? EMPTY_WORKSPACE;
  const scriptPaths = model.scripts.map((s) => s.path);
  out.dependencies = [...new Set([...model.dependencies, ...scriptPaths])];
  out.missing = out.dependencies.filter((d) => !files.has(d));

  const ctx = makeContext(model, workspace, files, raw, input.digests ?? new Map());
  for (const rule of rules) {
    const level = settings.rules[rule.meta.id];
    if (level === 'off' || (level === undefined && rule.meta.enabledByDefault === false)) continue;
    try {
      ctx.currentRule = rule.meta.id;
      rule.check(ctx);
    } catch (e) {
      raw.push(internalError(input.file, `rule ${rule.meta.id}`, e));
    }
  }

  const texts = new Map<string, { text: string; index?: LineIndex; suppressions?: Map<number, Set<string>> }>([
    [input.file, { text, suppressions: model.suppressions }],
  ]);
  for (const f of raw) {
    const entry = texts.get(f.location.file) ?? { text: stripBom(files.get(f.location.file) ?? '') };
    texts.set(f.location.file, entry);
    entry.index ??= new LineIndex(entry.text);
    entry.suppressions ??= findSuppressions(entry.text);
    const range = entry.index.range(f.location.span);
    const ruleLevel = settings.rules[f.ruleId];
    const meta = rules.find((r) => r.meta.id === f.ruleId)?.meta;
    const severity: Severity = ruleLevel && ruleLevel !== 'off' ? ruleLevel : (meta?.defaultSeverity ?? 'error');
    if (f.ruleId !== INTERNAL_ERROR) {
      if (isSuppressed(entry.suppressions, f.ruleId, range.start.line, range.end.line)) continue;
      if (settings.root !== undefined && isIgnored(settings, relative(settings.root, f.location.file), f.ruleId, f.pointer)) continue;
    }
    // Object.assign, not spread: the same keys in the same order, and V8 spreads these objects with
    // extra properties several times slower (about 2 us a finding).
    const finding: Finding = Object.assign({}, f, {
      severity,
      range,
      related: f.related?.map((r) => {
        const t = r.location.file === input.file ? text : files.get(r.location.file);
        return t === undefined ? r : { ...r, range: (texts.get(r.location.file)?.index ?? new LineIndex(stripBom(t))).range(r.location.span) };
      }),
    });
    out.findings.push(finding);
  }
  out.findings.sort(
    (a, b) =>
      (a.location.file === b.location.file ? 0 : a.location.file < b.location.file ? -1 : 1) ||
      a.location.span.start - b.location.span.start ||
      (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0),
  );
  return out;
}

function relative(root: string, file: string): string {
  if (!path.posix.isAbsolute(file) && !path.posix.isAbsolute(root)) return path.posix.normalize(file);
  return path.posix.relative(root, file);
}

function internalError(file: string, where: string, e: unknown): RawFinding {
  const message = e instanceof Error ? e.message : String(e);
  return {
    ruleId: INTERNAL_ERROR,
    message: `Known Good could not finish ${where} for this file: ${message}. Other rules and files are unaffected; please report this.`,
    location: { file, span: { start: 0, end: 0 } },
  };
}

type MutableContext = RuleContext & { currentRule: string };

function makeContext(
  model: FileModel,
  workspace: WorkspaceFacts,
  files: ReadonlyMap<string, string>,
  raw: RawFinding[],
  digests: ReadonlyMap<string, string>,
): MutableContext {
  let commands: CommandDownloads[] | undefined;
  let scripts: ScriptDownloads[] | undefined;
  const ctx: MutableContext = {
    model,
    workspace,
    digests,
    currentRule: '',
    commandDownloads() {
      commands ??= model.commands.map((command) => ({
        command,
        downloads: command.script ? analyzeScript(command.script) : command.argv ? analyzeArgv(command.argv) : [],
      }));
      return commands;
    },
    scriptDownloads() {
      if (scripts) return scripts;
      scripts = [];
      for (const s of model.scripts) {
        const scriptText = files.get(s.path);
        if (scriptText === undefined) continue;
        const runner = { runBy: s.runBy, copiedBy: s.copiedBy };
        const known = scripts.find((x) => x.file === s.path);
        if (known) known.runners.push(runner);
        else scripts.push({ file: s.path, downloads: analyzeScript(exactSource(stripBom(scriptText), 0)), runners: [runner] });
      }
      // A script opened on its own is analysed when some Dockerfile in the workspace runs it.
      const runners = model.kind === 'shell' ? workspace.scriptRunners.get(model.file) : undefined;
      if (runners?.length) scripts.push({ file: model.file, downloads: analyzeScript(exactSource(model.text, 0)), runners: [...runners] });
      return scripts;
    },
    report(finding) {
      raw.push(Object.assign({}, finding, { ruleId: ctx.currentRule }));
    },
  };
  return ctx;
}

/** The doc link of a rule id (or of the config/internal/skipped-file codes). */
export function codeHref(code: string): string {
  if (code === CONFIG_ERROR || code === INTERNAL_ERROR || code === SKIPPED_FILE) return docUrl('../configuration').replace('/rules/../', '/');
  return docUrl(code);
}
