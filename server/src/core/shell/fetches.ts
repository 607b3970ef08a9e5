// Decides whether curl/wget/git/aws s3 fetch code or binaries (stored, extracted or executed).
import type { Fate } from './flow';
import { parseOptions, values, has, type OptionSpec } from './options';
import { awsS3 } from './s3';
import { isLocalUrl } from './urls';
import type { Ecosystem } from './types';
import { basename, type Word } from './words';

/** A recognised fetch; `tool` is the program's basename. */
export interface FetchMatch {
  tool: string;
  ecosystem: Ecosystem;
  packages: string[];
  pipedToShell: boolean;
  /** Source-text range of the pipeline or command that decides it, when larger than the command. */
  range?: [number, number];
}

const CURL: OptionSpec = {
  short: 'AbcCdDeEFHKmoPQrTuUwxXyYzt',
  long: [
    '--abstract-unix-socket', '--alt-svc', '--aws-sigv4', '--cacert', '--capath', '--cert', '--cert-type', '--ciphers', '--config',
    '--connect-timeout', '--connect-to', '--continue-at', '--cookie', '--cookie-jar', '--create-file-mode', '--data', '--data-ascii',
    '--data-binary', '--data-raw', '--data-urlencode', '--dns-servers', '--doh-url', '--dump-header', '--etag-compare', '--etag-save',
    '--expect100-timeout', '--form', '--form-string', '--header', '--hsts', '--interface', '--json', '--keepalive-time', '--key',
    '--key-type', '--limit-rate', '--local-port', '--max-filesize', '--max-redirs', '--max-time', '--netrc-file', '--noproxy',
    '--oauth2-bearer', '--output', '--output-dir', '--pass', '--pinnedpubkey', '--preproxy', '--proto', '--proto-default',
    '--proto-redir', '--proxy', '--proxy-header', '--proxy-user', '--pubkey', '--quote', '--range', '--rate', '--referer', '--request',
    '--request-target', '--resolve', '--retry', '--retry-delay', '--retry-max-time', '--speed-limit', '--speed-time', '--stderr',
    '--time-cond', '--trace', '--trace-ascii', '--unix-socket', '--upload-file', '--url', '--user', '--user-agent', '--write-out',
    '--variable', '--proxy-cacert', '--proxy-cert', '--proxy-key', '--socks5', '--socks5-hostname', '--socks4', '--socks4a',
  ],
};
const CURL_SENDS = ['-d', '--data', '--data-binary', '--data-raw', '--data-urlencode', '--data-ascii', '-F', '--form', '--json', '-T', '--upload-file'];

const WGET: OptionSpec = {
  short: 'OoaPeUTtwQiBlARDIX',
  long: [
    '--output-document', '--output-file', '--append-output', '--directory-prefix', '--execute', '--user-agent', '--timeout', '--tries',
    '--wait', '--quota', '--input-file', '--base', '--level', '--accept', '--reject', '--domains', '--include-directories',
    '--exclude-directories', '--header', '--user', '--password', '--http-user', '--http-password', '--post-data', '--post-file',
    '--method', '--body-data', '--body-file', '--referer', '--load-cookies', '--save-cookies', '--ca-certificate', '--certificate',
    '--private-key', '--bind-address', '--limit-rate', '--read-timeout', '--connect-timeout', '--dns-timeout', '--waitretry',
    '--proxy-user', '--proxy-password', '--ca-directory', '--certificate-type', '--secure-protocol',
  ],
};

const NOWHERE = /^(-|\/dev\/(null|stdout|stderr|fd\/[12]))$/;

/** The URLs are all local (health probes, metadata endpoints): decided only by URLs whose host is literal. */
function allLocal(urls: Word[]): boolean {
  const decided = urls.map(isLocalUrl).filter((x): x is boolean => x !== undefined);
  return decided.length > 0 && decided.every((x) => x);
}

/** When standard output is what matters: stored, extracted or executed make it a fetch. */
function byFate(tool: string, urls: string[], fate: () => Fate, sends: boolean): FetchMatch | undefined {
  const f = fate();
  if (f.kind === 'shown' || (sends && f.kind !== 'executed')) return undefined;
  return { tool, ecosystem: 'http', packages: urls, pipedToShell: f.kind === 'executed', range: f.range };
}

function curl(tool: string, args: Word[], fate: () => Fate): FetchMatch | undefined {
  const p = parseOptions(args, CURL);
  if (has(p, '-I', '--head', '-h', '--help', '-V', '--version')) return undefined;
  const urls = [...p.positionals, ...p.options.filter((o) => o.name === '--url' && o.valueWord).map((o) => o.valueWord as Word)];
  if (urls.length === 0 || allLocal(urls)) return undefined;
  const method = values(p, '-X', '--request')[0]?.toUpperCase();
  const sends = has(p, ...CURL_SENDS) || (method !== undefined && method !== 'GET');
  const packages = urls.map((u) => u.value);
  const outputs = values(p, '-o', '--output');
  const named = has(p, '-O', '--remote-name', '--remote-name-all', '-J', '--remote-header-name');
  if (!sends && (named || outputs.some((o) => !NOWHERE.test(o)))) return { tool, ecosystem: 'http', packages, pipedToShell: false };
  if (outputs.length && !outputs.includes('-')) return undefined; // written to /dev/null
  return byFate(tool, packages, fate, sends);
}

function wget(tool: string, args: Word[], fate: () => Fate): FetchMatch | undefined {
  const p = parseOptions(args, WGET);
  if (has(p, '--spider', '-h', '--help', '-V', '--version')) return undefined;
  const urls = p.positionals;
  if ((urls.length === 0 && !has(p, '-i', '--input-file')) || allLocal(urls)) return undefined;
  const sends = has(p, '--post-data', '--post-file', '--body-data', '--body-file') || /^(POST|PUT|PATCH|DELETE)$/i.test(values(p, '--method')[0] ?? '');
  const packages = urls.map((u) => u.value);
  const outputs = values(p, '-O', '--output-document');
  if (outputs.length === 0 || outputs.some((o) => !NOWHERE.test(o))) return sends ? undefined : { tool, ecosystem: 'http', packages, pipedToShell: false };
  if (!outputs.includes('-') && !outputs.includes('/dev/stdout')) return undefined; // `-O /dev/null`
  return byFate(tool, packages, fate, sends);
}

const GIT: OptionSpec = { short: 'Cc', long: ['--git-dir', '--work-tree', '--namespace', '--exec-path', '--config-env'] };
const GIT_AFTER: OptionSpec = { short: 'boju', long: ['--branch', '--origin', '--depth', '--jobs', '--upload-pack', '--reference', '--separate-git-dir', '--shallow-since', '--shallow-exclude', '--filter', '--template', '--config', '--server-option', '--recurse-submodules', '--reference-if-able', '--bundle-uri'] };
function git(tool: string, args: Word[]): FetchMatch | undefined {
  const g = parseOptions(args, { ...GIT, stopAtPositional: true });
  const [sub, ...rest] = g.rest;
  const p = parseOptions(rest, GIT_AFTER);
  const pos = p.positionals.map((w) => w.value);
  if (has(p, '-h', '--help')) return undefined;
  const match = (packages: string[]): FetchMatch => ({ tool, ecosystem: 'git', packages, pipedToShell: false });
  switch (sub?.value) {
    case 'clone':
      // A clone of a directory inside the container copies nothing from the network.
      return pos[0] && /^(\/|\.\.?\/|file:\/\/)/.test(pos[0]) ? undefined : match(pos.slice(0, 1));
    case 'pull':
    case 'fetch':
      return match(pos);
    case 'submodule':
      return pos[0] === 'update' ? match(pos.slice(1)) : undefined;
    case 'lfs':
      return pos[0] === 'pull' || pos[0] === 'fetch' ? match(pos.slice(1)) : undefined;
  }
  return undefined;
}

/** The fetch `argv` performs (program first, wrappers already removed), or undefined. */
export function classifyFetch(argv: readonly Word[], fate: () => Fate): FetchMatch | undefined {
  if (argv.length === 0 || argv[0].dynamic) return undefined;
  const tool = basename(argv[0].value);
  const args = argv.slice(1);
  if (tool === 'curl') return curl(tool, args, fate);
  if (tool === 'wget') return wget(tool, args, fate);
  if (tool === 'git') return git(tool, args);
  if (tool === 'aws') return awsS3(tool, args, fate);
  return undefined;
}
