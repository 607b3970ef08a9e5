// Shared by the CLI tests: where the repo and fixtures are, and how to run the built CLI.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';

/** The repository root (tests run compiled from out/test/cli). */
export const REPO = path.resolve(__dirname, '..', '..', '..');
export const FIXTURES = path.join(REPO, 'test', 'fixtures', 'cli');
export const EXPECTED = path.join(FIXTURES, 'expected');

/** The CLI under test: $KNOWN_GOOD_CLI, else the bundle dist/cli.js if built, else the tsc output. */
export const CLI =
  process.env.KNOWN_GOOD_CLI ?? [path.join(REPO, 'dist', 'cli.js'), path.join(REPO, 'out', 'server', 'src', 'cli', 'main.js')].find((p) => fs.existsSync(p))!;

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run the CLI as a child process (no TTY) with `cwd`; NO_COLOR and FORCE_COLOR are cleared. */
export function runCli(args: string[], cwd: string, env: Record<string, string> = {}): CliRun {
  const baseEnv = { ...process.env };
  delete baseEnv.NO_COLOR;
  delete baseEnv.FORCE_COLOR;
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, env: { ...baseEnv, ...env }, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Replace the machine-specific root (path and file URI) by `<ROOT>` so documents compare across clones. */
export function normaliseRoot(text: string, root: string): string {
  const uri = pathToFileURL(root).href;
  return text.split(`${uri}/`).join('<ROOT>/').split(JSON.stringify(root).slice(1, -1)).join('<ROOT>');
}

/** The expected document `name` from test/fixtures/cli/expected (written by hand, reviewed). */
export function expected(name: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(EXPECTED, name), 'utf8'));
}
