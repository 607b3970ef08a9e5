// What the shell analysis reports about a start-time command or script.
import type { Span } from '../types';

/** The ecosystem of a download: decides how a later fix vendors it. */
export type Ecosystem =
  | 'apt'
  | 'apk'
  | 'rpm'
  | 'zypper'
  | 'pip'
  | 'conda'
  | 'npm'
  | 'gem'
  | 'go'
  | 'cargo'
  | 'composer'
  | 'dotnet'
  | 'http'
  | 'git'
  | 's3';

export interface Download {
  /** `install`: a package manager installs/upgrades; `fetch`: code or binaries fetched (curl, wget, git, aws s3). */
  kind: 'install' | 'fetch';
  /** The program as written, e.g. `pip3`, `apt-get`, `curl`. */
  tool: string;
  ecosystem: Ecosystem;
  /** Document span of the simple command (or of the whole pipeline when piped into a shell). */
  span: Span;
  /** The command as written in the script (whitespace collapsed), for messages. */
  command: string;
  /** Packages or URLs named, when any (for messages and fixes). */
  packages: string[];
  /** `curl … | sh`: the fetched code is executed without being stored or verified. */
  pipedToShell: boolean;
}

/** A script a start-time command runs, by its path inside the image. */
export interface InvokedScript {
  path: string;
  span: Span;
}
