// The file-kind-neutral model that extractors build from a parsed file and rules read.
// Each extractor (Dockerfile, ECS JSON, CloudFormation, Terraform, compose) fills one of these.
import type { FileKind, Location, Span } from './types';

/** Where in its file an image reference is written. */
export type ImageContext =
  | 'from'
  | 'copy-from'
  | 'mount-from'
  | 'syntax-directive'
  | 'ecs-image'
  | 'cfn-image'
  | 'tf-image'
  | 'compose-image';

/** How an image reference depends on something unresolved in the file. */
export interface ImageVariable {
  /** How the variable is written, e.g. `$BASE`, `${IMAGE}`, `!Ref ImageParam`, `var.image`. */
  expression: string;
  /** Whether the variable covers the repository part only (the tag is literal), or the tag / the whole reference. */
  covers: 'registry' | 'tag-or-whole';
  /** The default value, when the file gives one (ARG default, Parameters Default, variable default, `${VAR:-x}`, `.env`). */
  defaultValue?: string;
  /** Where the default comes from (for the message), e.g. `ARG BASE`, `.env`. */
  defaultSource?: string;
}

export interface ImageSite {
  /** Span of the reference as written (without quotes). */
  span: Span;
  /** The reference as written. */
  text: string;
  context: ImageContext;
  /**
   * The reference to analyse: `text` with variables replaced by their defaults where known. For a
   * reference whose registry part is a variable but whose tag is literal (`${repo}:latest`), the
   * registry part is replaced by a placeholder (`example.invalid/variable`) so the tag still decides.
   * Undefined when nothing can be resolved (a bare `!Ref`, `var.image` with no default).
   */
  resolved?: string;
  variable?: ImageVariable;
  /** JSON pointer in JSON/YAML documents. */
  pointer?: string;
}

/** Where a command that runs when the container starts is written. */
export type CommandContext =
  | 'cmd'
  | 'entrypoint'
  | 'healthcheck'
  | 'ecs-command'
  | 'ecs-entrypoint'
  | 'ecs-healthcheck'
  | 'compose-command'
  | 'compose-entrypoint'
  | 'compose-healthcheck'
  | 'script';

/**
 * A piece of shell text plus the way back to document offsets. `map[i]` is the document offset of
 * `text[i]`; `map.length === text.length + 1` (the last entry is the end offset). When the document
 * does not hold the text character for character (a YAML folded scalar), `coarse` is the span every
 * sub-range maps to.
 */
export interface ShellSource {
  text: string;
  map: number[];
  coarse?: Span;
}

/** The document holds `text` verbatim at offset `base`. */
export function exactSource(text: string, base: number): ShellSource {
  const map = new Array<number>(text.length + 1);
  for (let i = 0; i <= text.length; i++) map[i] = base + i;
  return { text, map };
}

/** The characters of `text` cannot be mapped one by one: every sub-range maps to `span`. */
export function coarseSource(text: string, span: Span): ShellSource {
  return { text, map: [], coarse: { ...span } };
}

/** Map a span of `source.text` to a document span. */
export function mapSpan(source: ShellSource, s: number, e: number): Span {
  if (source.coarse) return { ...source.coarse };
  const clamp = (i: number) => Math.max(0, Math.min(i, source.text.length));
  const start = source.map[clamp(s)];
  // map[e] is where the character after the range starts, so an escape sequence is covered whole.
  const end = source.map[clamp(e)];
  return { start, end: Math.max(start, end) };
}

/**
 * A start-time command. Exec form is an argv; shell form (and `sh -c` / CMD-SHELL payloads once the
 * shell analysis unwraps them) is a script.
 */
export interface CommandSite {
  context: CommandContext;
  /** Span of the whole command value (for related information). */
  span: Span;
  /** Exec form: each argument with its source. */
  argv?: ShellSource[];
  /** Shell form: the script text. */
  script?: ShellSource;
  pointer?: string;
}

/** A Dockerfile `ADD <url>`. */
export interface RemoteAddSite {
  span: Span; // the whole instruction
  urlSpan: Span;
  url: string;
  hasChecksum: boolean;
  kind: 'http' | 'git';
}

/** An ECR repository definition. */
export interface EcrRepositorySite {
  /** Name as written or the logical id / resource name. */
  name: string;
  /** The mutability line, or the resource header line when omitted. */
  span: Span;
  /** `MUTABLE`, `IMMUTABLE`, `..._WITH_EXCLUSION`; undefined when omitted; `variable` when not decidable. */
  mutability?: string;
  explicit: boolean;
  exclusionFilters: string[];
  pointer?: string;
}

/** A container definition with `versionConsistency: disabled`. */
export interface VersionConsistencySite {
  span: Span;
  value: string;
  pointer?: string;
}

/** A script the image runs at start, which the file copies from the build context. */
export interface ScriptReference {
  /** Path of the script in the workspace, relative to the analysed file's folder resolution root, normalised with `/`. */
  path: string;
  /** The CMD/ENTRYPOINT that runs it. */
  runBy: Location;
  /** The COPY/ADD that puts it into the image. */
  copiedBy?: Location;
}

/** A compose service's `build:`: which Dockerfile builds the service's image. */
export interface BuildSite {
  /** The service's name. */
  service: string;
  /** Span of the `build:` value. */
  span: Span;
  pointer: string;
  /** The build context as written (`.` when only `dockerfile` is given). */
  context: string;
  /**
   * Workspace path of the Dockerfile (the compose file's folder, then the context, applied; posix);
   * undefined when the context is a URL, the Dockerfile is inline, or a path uses a variable.
   */
  dockerfile?: string;
  /** `build.target`: the stage the service runs. */
  target?: string;
}

/** Everything rules read about one file. */
export interface FileModel {
  kind: FileKind;
  /** The analysed file as the caller named it. */
  file: string;
  text: string;
  images: ImageSite[];
  commands: CommandSite[];
  remoteAdds: RemoteAddSite[];
  ecrRepositories: EcrRepositorySite[];
  versionConsistency: VersionConsistencySite[];
  scripts: ScriptReference[];
  /** Files in the workspace this file's analysis depends on (scripts, `file()` targets, `.env`). */
  dependencies: string[];
  /** Parse problems worth telling the user (the core never throws on bad input). */
  problems: { span: Span; message: string }[];
  /** Inline suppression comments found in the file: line (0-based) → rule ids (`*` = all). */
  suppressions: Map<number, Set<string>>;
  /** Compose services built from a Dockerfile (`build:`); only compose files set it. */
  builds?: BuildSite[];
}

export function emptyModel(kind: FileKind, file: string, text: string): FileModel {
  return {
    kind,
    file,
    text,
    images: [],
    commands: [],
    remoteAdds: [],
    ecrRepositories: [],
    versionConsistency: [],
    scripts: [],
    dependencies: [],
    problems: [],
    suppressions: new Map(),
  };
}

export type { Location };

/**
 * Stand-in for a registry/repository part that is a variable while the tag is literal
 * (`${repo_url}:latest` resolves to `variable.invalid/variable:latest`), so the tag still decides.
 */
export const VARIABLE_REPOSITORY = 'variable.invalid/variable';

/** What an extractor may read besides the file itself: dependency texts already loaded by the caller. */
export interface ExtractContext {
  /** Workspace files by path (same path style as `file`), for `.env`, `file()` targets and scripts. */
  files: ReadonlyMap<string, string>;
}
