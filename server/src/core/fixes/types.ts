// The shapes of a quick fix: text edits per file, what the caller must fetch first, and why none is offered.
import type { FileModel } from '../model';
import type { Span } from '../types';

/**
 * Replace `span` with `newText`. Offsets are into the file's text without a byte-order mark (the
 * same convention as findings).
 */
export interface TextEditSpan {
  span: Span;
  newText: string;
  /**
   * Where in `newText` a placeholder the user should overwrite sits (the reason of an ignore
   * comment), so an editor can turn the edit into a snippet. Offsets into `newText`.
   */
  placeholder?: Span;
}

/** The edits of one file. Edits never overlap. */
export interface FileEdits {
  /** Path of the file, in the same style as `FixInput.file` and finding locations. */
  file: string;
  edits: TextEditSpan[];
  /** The file does not exist yet: create it with the (single, empty-span) edit's text. */
  create?: boolean;
}

/** Something the caller must obtain (with the user's consent, it needs the network) before the fix can be built. */
export type FixNeed =
  /** The SHA-256 of what `url` serves: pass it back in `FixInput.checksums` (`sha256:<hex>`, keyed by the URL). */
  | { kind: 'download-sha256'; url: string }
  /** The current digest of an image reference: pass it back in `FixInput.digests` (`sha256:<hex>`, keyed by `reference`). */
  | { kind: 'image-digest'; reference: string };

export interface Fix {
  /** Stable id of the transform, e.g. `vendor-build-stage`, `add-checksum`, `ecr-immutable`, `ignore-inline`. */
  id: string;
  /** Shown in the editor's quick-fix menu. */
  title: string;
  ruleId: string;
  /** Empty while `needs` is non-empty. */
  edits: FileEdits[];
  /** Multi-line or multi-file rewrite: the editor must show a preview before applying. */
  needsConfirmation: boolean;
  /** What the caller must fetch before the fix can be built; call `fixesFor` again with the results. */
  needs?: FixNeed[];
  /** The fix another fix offered for the same finding is preferred over this one. */
  preferred?: boolean;
}

/** What a fix reads besides the finding. */
export interface FixInput {
  /** The analysed file (the finding's file, or the Dockerfile that runs the script the finding is in). */
  file: string;
  /** Its text (a byte-order mark, if any, is ignored). */
  text: string;
  /** Its model, as `analyze` returned it. */
  model: FileModel;
  /**
   * Other workspace files by path: entrypoint scripts, Dockerfiles, requirement and lock files, and
   * `.knowngood.yaml` when it exists (without it, the ignore-config fix creates the file).
   */
  files: ReadonlyMap<string, string>;
  /** SHA-256 checksums (`sha256:<hex>`) of URLs, fetched by the caller after a `download-sha256` need. */
  checksums?: ReadonlyMap<string, string>;
  /** Digests (`sha256:<hex>`) of image references, fetched by the caller after an `image-digest` need. */
  digests?: ReadonlyMap<string, string>;
  /** Folder `.knowngood.yaml` lives in (ignore entries are relative to it). Default: the workspace root (`''`). */
  root?: string;
}

/** The fixes for one finding, or why there are none. */
export interface FixResult {
  fixes: Fix[];
  /** When no fix (other than ignoring) is offered: a short reason, for a hint next to the finding. */
  reason?: string;
}

/** A fix could not be built: why, for the hint. */
export class NotFixable extends Error {}

/** Throw NotFixable: used inside transforms so each check reads as one line. */
export function notFixable(reason: string): never {
  throw new NotFixable(reason);
}
