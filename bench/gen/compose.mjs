// Compose file templates: services with tagged, :latest, digest-pinned and ${VAR:-default} images,
// build-only services, start-time installs in `command`, health checks; sometimes a .env beside them.
import { imageRef } from './images.mjs';

/** A compose file and, sometimes, the `.env` that gives its variables defaults. */
export function compose(rng, service) {
  const out = [];
  if (rng.chance(0.3)) out.push(`version: "${rng.pick(['3', '3.8', '3.9'])}"`, '');
  out.push('services:');
  const env = [];
  const n = rng.int(1, 5);
  for (let i = 0; i < n; i++) {
    const name = i === 0 ? service.split('-')[0] : rng.pick(['db', 'cache', 'queue', 'proxy', 'worker', 'mail']) + i;
    out.push(`  ${name}:`);
    const r = rng.next();
    if (r < 0.2) out.push('    build:', '      context: .', '      dockerfile: Dockerfile');
    else if (r < 0.35) {
      const v = `${name.toUpperCase()}_TAG`;
      out.push(`    image: "registry.example.com/${service}:\${${v}:-latest}"`);
      env.push(`${v}=${rng.pick(['1.4.2', 'latest', 'main'])}`);
    } else out.push(`    image: ${imageRef(rng)}`);
    const c = rng.next();
    if (c < 0.08) out.push('    command: sh -c "yarn install && yarn run dev"');
    else if (c < 0.12) out.push('    command: ["sh", "-c", "pip install -r requirements.txt && flask run"]');
    else if (c < 0.3) out.push('    command: ["npm", "start"]');
    if (rng.chance(0.3)) out.push('    healthcheck:', '      test: ["CMD", "curl", "-f", "http://localhost:8080/health"]', '      interval: 10s');
    out.push('    environment:', `      APP_ENV: ${rng.pick(['development', 'production'])}`, `      PORT: "${rng.pick([3000, 8080])}"`);
    if (rng.chance(0.4)) out.push('    ports:', `      - "127.0.0.1:${rng.int(3000, 9000)}:8080"`);
  }
  if (rng.chance(0.3)) out.push('', 'volumes:', '  data: {}');
  return { text: out.join('\n') + '\n', env: env.length && rng.chance(0.7) ? env.join('\n') + '\n' : undefined };
}
