// Writes the temporary workspaces the protocol tests open (Dockerfiles, entrypoint scripts, a task definition).
import { mkdirSync, mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';

export const DIGEST = `sha256:${'ab12'.repeat(16)}`;

/** The Dockerfile the brief names: a `latest` base and an install at start. */
export const DOCKERFILE = 'FROM node:latest\nCMD npm install && node server.js\n';

export const FILES: Record<string, string> = {
  Dockerfile: DOCKERFILE,
  // Runs an entrypoint script that installs at start.
  'app/Dockerfile': `FROM node:20.11.1@${DIGEST}\nCOPY docker/entrypoint.sh /usr/local/bin/entrypoint.sh\nENTRYPOINT ["/usr/local/bin/entrypoint.sh"]\n`,
  'app/docker/entrypoint.sh': '#!/bin/sh\nnpm install\nexec node server.js\n',
  // A script that no open document runs: only the workspace index knows the Dockerfile runs it.
  'worker/Dockerfile': `FROM python:3.12.1@${DIGEST}\nCOPY start.sh /start.sh\nCMD ["/start.sh"]\n`,
  'worker/start.sh': '#!/bin/sh\npip install flask\nexec python app.py\n',
  'deploy/task-definition.json': JSON.stringify({ family: 'web', containerDefinitions: [{ name: 'web', image: 'nginx:latest', essential: true }] }, null, 2) + '\n',
  'notes.txt': 'FROM node:latest is not a Dockerfile here\n',
};

/** Create a workspace folder holding `files` (path → text); returns its absolute path. */
export function makeWorkspace(files: Record<string, string> = FILES): string {
  const root = mkdtempSync(path.join(tmpdir(), 'known-good-protocol-'));
  for (const [rel, text] of Object.entries(files)) write(root, rel, text);
  return root;
}

export function write(root: string, rel: string, text: string): string {
  const file = path.join(root, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

/** A Dockerfile of exactly `lines` lines: stages, RUN steps (some continued), and a start-time install at the end. */
export function bigDockerfile(lines: number): string {
  const out: string[] = [];
  const room = () => lines - 2 - out.length;
  for (let stage = 0; room() > 0; stage++) {
    out.push(`FROM node:20 AS stage${stage}`);
    for (let i = 0; i < 40 && room() > 0; i++) {
      if (i % 10 === 0 && room() >= 2) out.push('RUN apt-get update && \\', `    apt-get install -y curl-${i}`);
      else if (i === 39 && stage > 0) out.push(`COPY --from=stage${stage - 1} /app /app`);
      else out.push(`RUN echo step ${stage}-${i} > /tmp/f${i}`);
    }
  }
  out.push('FROM node:latest', 'CMD npm install && node server.js');
  return out.join('\n') + '\n';
}
