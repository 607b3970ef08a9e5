// The peer's whole-process run: find every Dockerfile under a folder (same name rules as the audit:
// Dockerfile, Containerfile, *.dockerfile, Dockerfile.*), read it and run dockerfile-utils validate().
// Usage: node bench/peer-dockerfile-utils.mjs <folder>   Prints one JSON line: files, diagnostics.
import { promises as fs } from 'fs';
import { createRequire } from 'module';
import { join } from 'path';

const require = createRequire(import.meta.url);
const { validate } = require('dockerfile-utils');

/** Whether a base name is a Dockerfile by name (mirrors the audit's rule, without content sniffing). */
export function isDockerfileName(name) {
  const base = name.toLowerCase();
  return (
    base === 'dockerfile' ||
    base === 'containerfile' ||
    base.endsWith('.dockerfile') ||
    base.endsWith('.containerfile') ||
    ((base.startsWith('dockerfile.') || base.startsWith('containerfile.')) && !/\.(md|txt|json|ya?ml|sh|bak|orig|swp)$/.test(base))
  );
}

/** Walk `root` (skipping node_modules and .git) and collect Dockerfile paths. */
async function dockerfiles(root) {
  const out = [];
  const pending = [root];
  while (pending.length) {
    const dir = pending.pop();
    for (const e of await fs.readdir(dir, { withFileTypes: true })) {
      if (e.isDirectory()) {
        if (e.name !== 'node_modules' && e.name !== '.git') pending.push(join(dir, e.name));
      } else if (e.isFile() && isDockerfileName(e.name)) out.push(join(dir, e.name));
    }
  }
  return out.sort();
}

async function main() {
  const root = process.argv[2];
  if (!root) throw new Error('usage: peer-dockerfile-utils.mjs <folder>');
  const files = await dockerfiles(root);
  let diagnostics = 0;
  // Read with bounded concurrency, validate as texts arrive (validate() is synchronous).
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const text = await fs.readFile(files[next++], 'utf8');
      diagnostics += validate(text).length;
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  process.stdout.write(`${JSON.stringify({ files: files.length, diagnostics })}\n`);
}

main().catch((e) => {
  process.stderr.write(`peer: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 2;
});
