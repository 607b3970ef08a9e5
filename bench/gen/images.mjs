// Image references for the generated workspace: public bases, ECR repositories, digests and variables,
// mixed in the proportions a real monorepo shows (mostly tagged, some :latest, some pinned).

export const BASES = {
  node: ['16-alpine', '18', '18-alpine', '20-bookworm-slim', '20.11.1-alpine3.19', '22-slim'],
  python: ['3.9-slim', '3.11', '3.11-slim-bookworm', '3.12-alpine', '3.13.0-slim'],
  golang: ['1.21', '1.22-alpine', '1.23-bookworm'],
  alpine: ['3.16.2', '3.18', '3.19', '3.20', '3.22'],
  ubuntu: ['20.04', '22.04', 'jammy', '24.04'],
  debian: ['bookworm-slim', 'bullseye', '12'],
  'eclipse-temurin': ['17-jre', '21-jdk', '21-jre-alpine'],
  'mcr.microsoft.com/dotnet/aspnet': ['6.0', '8.0'],
  nginx: ['1.25', '1.27-alpine', 'stable'],
  ruby: ['2.7.4', '3.2', '3.3-slim'],
  'php': ['8.2-fpm', '8.3-apache'],
  redis: ['7', '7.2-alpine'],
  postgres: ['15', '16-alpine'],
};

export const RUNTIME_BASES = ['gcr.io/distroless/static', 'gcr.io/distroless/base-debian12', 'scratch', 'alpine', 'debian'];

const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-northeast-1'];

/** A 12-digit AWS account id. */
export function account(rng) {
  return String(rng.int(100000000000, 999999999999));
}

/** An ECR repository host. */
export function ecrHost(rng) {
  return `${account(rng)}.dkr.ecr.${rng.pick(REGIONS)}.amazonaws.com`;
}

/** A base image name and one of its tags. */
export function base(rng) {
  const name = rng.pick(Object.keys(BASES));
  return { name, tag: rng.pick(BASES[name]) };
}

/** A fake but well-formed sha256 digest. */
export function digest(rng) {
  return `sha256:${rng.hex(64)}`;
}

/**
 * An image reference in one of the forms seen in the wild: tag (most), `:latest`, no tag,
 * `tag@sha256:` or `@sha256:` only.
 */
export function imageRef(rng, name = base(rng).name, tag = rng.pick(BASES[name] ?? ['1.0.0'])) {
  const r = rng.next();
  if (r < 0.55) return `${name}:${tag}`;
  if (r < 0.7) return `${name}:latest`;
  if (r < 0.78) return name;
  if (r < 0.93) return `${name}:${tag}@${digest(rng)}`;
  return `${name}@${digest(rng)}`;
}

/** An ECR image: `<account>.dkr.ecr.<region>.amazonaws.com/<team>/<service>:<tag>`. */
export function ecrImage(rng, service) {
  const tag = rng.pick(['latest', 'latest', 'prod', 'v1.4.2', `git-${rng.hex(7)}`, `${rng.int(1, 3)}.${rng.int(0, 20)}.${rng.int(0, 9)}`]);
  const ref = `${ecrHost(rng)}/${service}:${tag}`;
  return rng.chance(0.15) ? `${ref}@${digest(rng)}` : ref;
}

/** Service names, deterministic per index. */
const WORDS = ['billing', 'auth', 'search', 'catalog', 'orders', 'payments', 'ledger', 'notify', 'reports', 'gateway', 'media', 'users', 'inventory', 'pricing', 'shipping', 'audit', 'events', 'profile', 'quotes', 'risk'];
const SUFFIXES = ['api', 'worker', 'web', 'cron', 'consumer', 'sync', 'admin', 'proxy'];

export function serviceName(i) {
  return `${WORDS[i % WORDS.length]}-${SUFFIXES[Math.floor(i / WORDS.length) % SUFFIXES.length]}-${String(i).padStart(5, '0')}`;
}
