// Classifies single words: URL hosts (local or not) and paths that look like code or data.
import type { Word } from './words';

const LOCAL_HOSTS = new Set(['localhost', '0.0.0.0', '::1', '[::1]', '169.254.169.254', '169.254.170.2', 'ip6-localhost', 'host.localhost']);

/** The host of a URL (`https://user@host:8080/x`, `localhost:8000/health`), lower case; undefined when not literal. */
export function urlHost(url: string): string | undefined {
  const rest = url.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/^[^/@]*@/, '');
  let host = rest.startsWith('[') ? rest.slice(0, rest.indexOf(']') + 1) : rest.split(/[/:?#]/)[0];
  // `http://169.254.170.2$RELATIVE_URI`: a complete address followed by a variable path still decides.
  const cut = host.search(/[$`]/);
  if (cut >= 0) host = /^(\d+\.){3}\d+$|^localhost$/i.test(host.slice(0, cut)) ? host.slice(0, cut) : '';
  if (!host || /[{}*]/.test(host)) return undefined;
  return host.toLowerCase();
}

/**
 * Whether a URL word points at the container itself or a metadata endpoint (`localhost`, `127.0.0.1`,
 * `169.254.169.254`, `$ECS_CONTAINER_METADATA_URI_V4`). Undefined when its host is not written out.
 */
export function isLocalUrl(w: Word): boolean | undefined {
  if (/^\$\{?ECS_CONTAINER_METADATA_URI/.test(w.value)) return true;
  const host = urlHost(w.value);
  if (host === undefined) return undefined;
  return LOCAL_HOSTS.has(host) || /^127(\.\d+){3}$/.test(host) || host.endsWith('.localhost');
}

const CODE_EXT = /\.(jar|war|ear|zip|tar|tgz|tar\.gz|tar\.bz2|tbz2|tar\.xz|txz|tar\.zst|whl|egg|py|sh|bash|js|mjs|cjs|so|bin|rb|pl|php|deb|rpm|apk|gem|run|exe|dll|appimage)$/i;
const DATA_EXT = /\.(json|ya?ml|env|conf|cfg|ini|csv|tsv|txt|properties|toml|xml|pem|crt|cer|key|md|parquet|sql|html?)$/i;
const DATA_DIR = /(^|\/)(config|configs|conf|settings|data|datasets?|assets|static|media|uploads|secrets?|certs?|env|fixtures)(\/|$)/i;
const APP_DIR = /^(\.|\.\/.*|\/app(\/.*)?|\/opt\/.+|\/srv(\/.*)?|\/usr\/.+|\/var\/www(\/.*)?|\/var\/task(\/.*)?|\/code(\/.*)?|\/src(\/.*)?|\/workspace(\/.*)?|\/home\/[^/]+\/app(\/.*)?)\/?$/;

/** A path or S3 key that names code or binaries by its extension. */
export function looksLikeCode(path: string): boolean {
  return CODE_EXT.test(path.replace(/\/+$/, ''));
}

/** A path or S3 key that names configuration or data. */
export function looksLikeData(path: string): boolean {
  return DATA_EXT.test(path.replace(/\/+$/, '')) || DATA_DIR.test(path.replace(/^s3:\/\/[^/]+/, ''));
}

/** A `bin/` or `lib/` directory, where programs live. */
export function isProgramDir(path: string): boolean {
  return /(^|\/)(s?bin|lib|lib64|libexec)(\/|$)/.test(path);
}

/** A directory an application's code is usually deployed to. */
export function isAppDir(path: string): boolean {
  return APP_DIR.test(path);
}
