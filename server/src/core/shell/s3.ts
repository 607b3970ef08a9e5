// Recognises `aws s3 cp|sync|mv` downloading code or binaries (not data, config, or uploads).
import type { FetchMatch } from './fetches';
import type { Fate } from './flow';
import { has, parseOptions, type OptionSpec } from './options';
import { isAppDir, isProgramDir, looksLikeCode, looksLikeData } from './urls';
import type { Word } from './words';

const AWS_GLOBAL: OptionSpec = {
  long: ['--region', '--profile', '--endpoint-url', '--output', '--query', '--cli-read-timeout', '--cli-connect-timeout', '--ca-bundle', '--color', '--cli-binary-format'],
};
const S3_COPY: OptionSpec = {
  long: [
    ...(AWS_GLOBAL.long ?? []), '--exclude', '--include', '--acl', '--sse', '--sse-c', '--sse-c-key', '--sse-kms-key-id', '--storage-class',
    '--grants', '--website-redirect', '--content-type', '--cache-control', '--content-disposition', '--content-encoding',
    '--content-language', '--expires', '--source-region', '--metadata', '--metadata-directive', '--expected-size', '--request-payer',
    '--page-size', '--copy-props', '--checksum-algorithm', '--sse-c-copy-source', '--sse-c-copy-source-key',
  ],
};

/** `aws s3 cp s3://bucket/app.jar /app/` and the like; uploads and data files are not reported. */
export function awsS3(tool: string, args: Word[], fate: () => Fate): FetchMatch | undefined {
  const g = parseOptions(args, { ...AWS_GLOBAL, stopAtPositional: true });
  const [service, op, ...rest] = g.rest;
  if (service?.value !== 's3' || !op || !['cp', 'sync', 'mv'].includes(op.value)) return undefined;
  const p = parseOptions(rest, S3_COPY);
  const [src, dst] = p.positionals.map((w) => w.value);
  if (!src || !dst || !src.startsWith('s3://') || dst.startsWith('s3://')) return undefined;
  if (looksLikeData(src) || looksLikeData(dst)) return undefined;
  const match: FetchMatch = { tool, ecosystem: 's3', packages: [src], pipedToShell: false };
  if (dst === '-') {
    const f = fate();
    if (f.kind === 'executed') return { ...match, pipedToShell: true, range: f.range };
    return f.kind !== 'shown' && looksLikeCode(src) ? { ...match, range: f.range } : undefined;
  }
  const tree = op.value === 'sync' || has(p, '--recursive', '-r');
  if (looksLikeCode(src) || looksLikeCode(dst) || isProgramDir(dst) || (tree && isAppDir(dst))) return match;
  return undefined;
}
