// `pin` and `audit --check-stale` flags without a registry: usage errors (exit 2), --no-network,
// the help text, and a workspace with nothing to pin (no request, exit 0).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FIXTURES, runCli } from './helpers';

const clean = path.join(FIXTURES, 'clean');

describe('pin and --check-stale usage errors exit 2 with a one-line message', () => {
  const cases: [args: string[], message: RegExp][] = [
    [['pin', '--no-network'], /^known-good: pin asks the registries which digest each tag points at and cannot run with --no-network \(audit works offline\)$/],
    [['pin', '--style', 'short'], /^known-good: unknown --style "short" \(expected tag-and-digest, digest-only\)$/],
    [['pin', '--timeout', '0'], /^known-good: --timeout takes a number of seconds between 0 and 600, not "0"$/],
    [['pin', '--timeout', 'soon'], /^known-good: --timeout takes a number of seconds between 0 and 600, not "soon"$/],
    [['pin', '--timeout', '601'], /^known-good: --timeout takes a number of seconds between 0 and 600, not "601"$/],
    [['pin', '--insecure-registry', 'http://registry.local'], /^known-good: --insecure-registry takes HOST or HOST:PORT, not "http:\/\/registry\.local"$/],
    [['pin', '--cache-dir', ''], /^known-good: --cache-dir needs a folder$/],
    [['pin', '--cache-dir', 'x', '--no-cache'], /^known-good: choose one of --cache-dir and --no-cache$/],
    [['pin', '--format', 'json'], /^known-good: unknown option --format$/],
    [['pin', 'no/such/file'], /^known-good: no such file or folder: no\/such\/file$/],
    [['pin', '..'], /^known-good: \.\. is outside the root .* \(use --root\)$/],
    [['pin', '--root', 'no/such/dir'], /^known-good: root no\/such\/dir is not a folder$/],
    [['audit', '--check-stale', '--no-network'], /^known-good: --check-stale asks the registries for current digests; it cannot run with --no-network$/],
    [['audit', '--timeout', '5'], /^known-good: --timeout only applies to pin and audit --check-stale$/],
    [['audit', '--insecure-registry', 'r.local:5000'], /^known-good: --insecure-registry only applies to pin and audit --check-stale$/],
    [['audit', '--no-cache'], /^known-good: --no-cache only applies to pin and audit --check-stale$/],
    [['audit', '--update'], /^known-good: unknown option --update$/],
  ];
  for (const [args, message] of cases) {
    test(args.map((a) => a || "''").join(' '), () => {
      const r = runCli(args, clean);
      assert.equal(r.code, 2, r.stderr);
      const lines = r.stderr.trimEnd().split('\n');
      assert.match(lines[0], message);
      assert.ok(lines.length <= 2, r.stderr);
      assert.equal(r.stdout, '');
    });
  }
});

describe('pin and --check-stale without a registry', () => {
  test('pin --help documents the pin and network options', () => {
    const r = runCli(['pin', '--help'], clean);
    assert.equal(r.code, 0);
    for (const flag of ['--dry-run', '--update', '--style tag-and-digest|digest-only', '--timeout SECONDS', '--insecure-registry HOST', '--cache-dir DIR', '--no-cache', '--no-network', '--check-stale']) {
      assert.ok(r.stdout.includes(flag), flag);
    }
  });

  test('audit --no-network alone is accepted: the audit never asks a registry', () => {
    const r = runCli(['audit', '--no-network'], clean);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
  });

  test('nothing to pin: exit 0, no request, files untouched, no cache file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-pin-none-'));
    const digest = `sha256:${'a'.repeat(64)}`;
    const text = `FROM scratch AS base\nFROM registry.invalid/app:1.0@${digest}\nFROM registry.invalid/app@${digest}\nFROM \${IMAGE}\n`;
    fs.writeFileSync(path.join(dir, 'Dockerfile'), text);
    const r = runCli(['pin'], dir, { XDG_CACHE_HOME: path.join(dir, 'cache') });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^Pinned 0 references in 0 files; 0 references failed; 1 already pinned; 1 reference with variables left alone; 0 tags looked up with 0 registry requests \(0 from the cache\) in \d+\.\d s\.\n$/);
    assert.equal(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8'), text);
    assert.equal(fs.existsSync(path.join(dir, 'cache')), false);
    fs.rmSync(dir, { recursive: true });
  });

  test('audit --check-stale with nothing pinned makes no request and reports as usual', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-stale-none-'));
    fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM registry.invalid/app:1.0\nFROM ${IMAGE}\n');
    const r = runCli(['audit', '--check-stale', '--format', 'json', '--fail-on', 'none'], dir);
    assert.equal(r.code, 0);
    assert.equal(r.stderr, 'known-good: --check-stale: 0 pinned tags checked with 0 registry requests\n');
    const plain = runCli(['audit', '--format', 'json', '--fail-on', 'none'], dir);
    assert.equal(r.stdout, plain.stdout);
    fs.rmSync(dir, { recursive: true });
  });
});
