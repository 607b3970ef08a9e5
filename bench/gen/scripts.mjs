// Entrypoint script templates: environment checks, migrations, waiting for dependencies, and in a
// share of them the runtime installs and fetches the benchmark's rules look for.

const INSTALLS = [
  'pip install -r /app/requirements.txt',
  'apt-get update && apt-get install -y --no-install-recommends postgresql-client',
  'apk add --no-cache curl jq',
  'npm install -g pm2',
  'curl -fsSL https://get.example.com/agent.sh | sh',
  'wget -q -O /usr/local/bin/yq https://github.com/mikefarah/yq/releases/download/v4.44.1/yq_linux_amd64',
  'gem install bundler -v 2.5.6',
  'aws s3 cp s3://config-bucket/app.env /app/.env',
];

/** An entrypoint script (`#!/bin/sh` or bash); about half install or fetch something at start. */
export function entrypoint(rng) {
  const bash = rng.chance(0.6);
  const out = [bash ? '#!/usr/bin/env bash' : '#!/bin/sh', bash ? 'set -euo pipefail' : 'set -e', ''];
  if (rng.chance(0.6)) {
    out.push(': "${APP_ENV:=production}"', ': "${PORT:=8080}"', '');
  }
  const blocks = rng.int(1, 6);
  for (let b = 0; b < blocks; b++) {
    switch (rng.int(0, 4)) {
      case 0:
        out.push('if [ -n "${DATABASE_URL:-}" ]; then', '  echo "waiting for the database"', '  for i in $(seq 1 30); do', '    nc -z "${DB_HOST:-db}" 5432 && break', '    sleep 1', '  done', 'fi', '');
        break;
      case 1:
        out.push('if [ "${RUN_MIGRATIONS:-false}" = "true" ]; then', `  ${rng.pick(['python manage.py migrate --noinput', 'npx prisma migrate deploy', 'bundle exec rails db:migrate'])}`, 'fi', '');
        break;
      case 2:
        out.push('cat > /app/config.json <<EOF', '{', '  "env": "${APP_ENV}",', '  "port": ${PORT}', '}', 'EOF', '');
        break;
      case 3:
        out.push('trap \'echo "stopping"; kill -TERM "$child" 2>/dev/null\' TERM INT', `log() { printf '%s %s\\n' "$(date -u +%FT%TZ)" "$*"; }`, 'log "starting"', '');
        break;
      default:
        out.push(`# health endpoint probe (localhost only)`, 'curl -fsS http://localhost:${PORT}/health >/dev/null 2>&1 || true', '');
    }
  }
  if (rng.chance(0.5)) out.push(rng.pick(INSTALLS), '');
  if (rng.chance(0.2)) out.push(rng.pick(INSTALLS), '');
  out.push('exec "$@"');
  return out.join('\n') + '\n';
}
