// The workspaces the end-to-end tests open in the editor, written to temporary folders.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './code-server';

/** The Dockerfile of issue 5: a `latest` base and an install when the container starts. */
export const DOCKERFILE = 'FROM node:latest\nCMD npm install && node server.js\n';

/** A workspace with files of every kind, for the audit: the CLI's JSON report is the expected result. */
export const AUDIT_FILES: Record<string, string> = {
  Dockerfile: DOCKERFILE,
  'api/Dockerfile': 'FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD ["python", "app.py"]\n',
  'worker/Dockerfile': 'FROM alpine:3.19\nCMD curl -fsSL https://example.com/install.sh | sh && ./worker\n',
  'docker-compose.yml': 'services:\n  cache:\n    image: redis:latest\n  web:\n    image: nginx\n    command: sh -c "apk add curl && nginx -g \'daemon off;\'"\n',
  'deploy/task-definition.json': `${JSON.stringify(
    { family: 'web', containerDefinitions: [{ name: 'web', image: 'nginx:latest', essential: true, command: ['sh', '-c', 'pip install gunicorn && gunicorn app:app'] }] },
    null,
    2,
  )}\n`,
  'infra/main.tf': 'resource "aws_ecr_repository" "app" {\n  name = "app"\n}\n',
  'notes.txt': 'FROM node:latest is not a Dockerfile here\n',
};

/** `count` files in folders of 20, a Dockerfile, a compose file, a task definition and Terraform in turn. */
export function largeWorkspaceFiles(count: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < count; i++) {
    const dir = `svc${String(Math.floor(i / 20)).padStart(3, '0')}/app${String(i % 20).padStart(2, '0')}`;
    switch (i % 4) {
      case 0:
        files[`${dir}/Dockerfile`] = `FROM node:${18 + (i % 5)}\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD npm install && node server${i}.js\n`;
        break;
      case 1:
        files[`${dir}/docker-compose.yml`] = `services:\n  web${i}:\n    image: nginx:latest\n    command: sh -c 'apk add curl && nginx'\n`;
        break;
      case 2:
        files[`${dir}/task-definition.json`] = `${JSON.stringify({ family: `f${i}`, containerDefinitions: [{ name: 'a', image: 'redis:7' }] })}\n`;
        break;
      default:
        files[`${dir}/main.tf`] = `resource "aws_ecr_repository" "r${i}" {\n  name = "r${i}"\n}\n`;
    }
  }
  return files;
}

/**
 * Create a workspace folder `name` (what the explorer and the screenshots show) in a new temporary
 * directory, holding `files` (relative path → text); returns its absolute path.
 */
export function makeWorkspace(files: Record<string, string>, name = 'demo-app'): string {
  const root = path.join(mkdtempSync(path.join(os.tmpdir(), 'kg-e2e-ws-')), name);
  for (const [rel, text] of Object.entries(files)) {
    const file = path.join(root, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  mkdirSync(root, { recursive: true });
  return root;
}

/** Remove a folder made by makeWorkspace, with its temporary parent. */
export function removeWorkspace(folder: string | undefined): void {
  if (folder) rmSync(path.dirname(folder), { recursive: true, force: true });
}

export interface CliFinding {
  file: string;
  ruleId: string;
  severity: string;
}

export interface CliReport {
  summary: { files: number; findings: number; error: number; warning: number; info: number; hint: number };
  findings: CliFinding[];
}

/** `known-good audit . --format json` run by the CLI in `folder`. */
export function cliReport(folder: string): CliReport {
  const json = execFileSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'audit', '.', '--format', 'json', '--fail-on', 'none'], {
    cwd: folder,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return JSON.parse(json) as CliReport;
}

/** The CLI's findings for `folder`. */
export function cliAudit(folder: string): CliFinding[] {
  return cliReport(folder).findings;
}

/** Findings counted by rule id, sorted by rule id. */
export function countByRule(findings: readonly CliFinding[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(f.ruleId, (counts.get(f.ruleId) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => a.localeCompare(b));
}
