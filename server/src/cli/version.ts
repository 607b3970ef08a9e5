// The tool's version, read from the package.json next to the bundle or above the compiled sources.
import * as fs from 'fs';
import * as path from 'path';

let cached: string | undefined;

/** Version from the nearest package.json named `known-good` above this file ("0.0.0" if none). */
export function toolVersion(): string {
  if (cached) return cached;
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'known-good' && pkg.version) return (cached = pkg.version);
    } catch {
      // not here: look one folder up
    }
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return (cached = '0.0.0');
}
