// Build: bundles the VS Code client (dist/extension.js) and the CLI + language server (dist/cli.js)
// with esbuild, copies the tree-sitter wasm files next to them, and checks that package.json and
// schemas/knowngood.schema.json declare every registered rule (`--sync-manifest` rewrites them).
// Run after `tsc -p .` (the rule list is read from out/).
import { build } from 'esbuild';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import { createRequire } from 'module';
import { dirname, join, resolve } from 'path';
import { fileURLToPath } from 'url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = new Set(process.argv.slice(2));
const production = args.has('--production');

const LEVELS = ['default', 'error', 'warning', 'info', 'hint', 'off'];
const LEVEL_DESCRIPTIONS = [
  'Use the level from .knowngood.yaml, else the rule\'s default severity.',
  'Report as an error.',
  'Report as a warning.',
  'Report as information.',
  'Report as a hint.',
  'Do not run this rule.',
];

/** The `knownGood.rules.<id>` settings for the registered rules. */
export function ruleSettings(rules) {
  const out = {};
  for (const { meta } of rules) {
    out[`knownGood.rules.${meta.id}`] = {
      type: 'string',
      enum: LEVELS,
      enumDescriptions: LEVEL_DESCRIPTIONS,
      default: 'default',
      scope: 'resource',
      markdownDescription: `\`${meta.id}\` (default severity: ${meta.defaultSeverity}). ${meta.description} [Documentation](${meta.docUrl})`,
    };
  }
  return out;
}

/** The `rules` property of the .knowngood.yaml schema for the registered rules. */
export function schemaRules(rules) {
  const properties = {};
  for (const { meta } of rules) {
    properties[meta.id] = { description: `${meta.description} Default: ${meta.defaultSeverity}.`, $ref: '#/definitions/level' };
  }
  return { type: 'object', description: 'Rule levels: rule id → error, warning, info, hint or off.', properties, additionalProperties: false };
}

function loadRules() {
  const compiled = join(root, 'out/server/src/core/rules/index.js');
  if (!existsSync(compiled)) throw new Error('out/ is missing: run `npx tsc -p .` before scripts/build.mjs');
  return require(compiled).RULES;
}

/** Compare (or with `--sync-manifest`, rewrite) the rule entries in package.json and the schema. */
function checkManifest() {
  const rules = loadRules();
  const pkgPath = join(root, 'package.json');
  const schemaPath = join(root, 'schemas/knowngood.schema.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
  const props = pkg.contributes.configuration.properties;
  const others = Object.fromEntries(Object.entries(props).filter(([k]) => !k.startsWith('knownGood.rules.')));
  const wantedProps = { ...ruleSettings(rules), ...others };
  const wantedRules = schemaRules(rules);
  const same = JSON.stringify(props) === JSON.stringify(wantedProps) && JSON.stringify(schema.properties.rules) === JSON.stringify(wantedRules);
  if (same) return;
  if (!args.has('--sync-manifest')) {
    throw new Error('package.json settings or schemas/knowngood.schema.json do not match the registered rules: run `node scripts/build.mjs --sync-manifest`');
  }
  pkg.contributes.configuration.properties = wantedProps;
  schema.properties.rules = wantedRules;
  writeFileSync(pkgPath, `${JSON.stringify(pkg, null, 2)}\n`);
  writeFileSync(schemaPath, `${JSON.stringify(schema, null, 2)}\n`);
  console.log('updated package.json and schemas/knowngood.schema.json from the registered rules');
}

/**
 * The yaml package's parser checks `process.env.LOG_TOKENS` (its debug switch) once per token, and
 * each read of process.env is a getenv call: a sixth of the parse of a large template. The bundles
 * fix the switch to off.
 */
const quietYaml = {
  name: 'quiet-yaml',
  setup(b) {
    b.onLoad({ filter: /[\\/]yaml[\\/]dist[\\/]parse[\\/]parser\.js$/ }, (load) => {
      const source = readFileSync(load.path, 'utf8');
      const contents = source.replace('if (node_process.env.LOG_TOKENS)', 'if (false)');
      if (contents === source) console.warn(`build: ${load.path} no longer checks LOG_TOKENS as expected; left as it is`);
      return { contents, loader: 'js' };
    });
  },
};

async function bundle() {
  const common = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // ESM entry points first: jsonc-parser's UMD build hides its requires from the bundler.
    mainFields: ['module', 'main'],
    sourcemap: true,
    minify: production,
    logLevel: 'warning',
    absWorkingDir: root,
    // ESM dependencies (web-tree-sitter) read import.meta.url, which a CJS bundle lacks.
    define: { 'import.meta.url': '__importMetaUrl' },
    banner: { js: "const __importMetaUrl = require('url').pathToFileURL(__filename).href;" },
    plugins: [quietYaml],
  };
  await Promise.all([
    build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
    build({ ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: `#!/usr/bin/env node\n${common.banner.js}` } }),
    // The audit's worker threads load this smaller bundle (core + reading), not the whole CLI and server.
    build({ ...common, entryPoints: ['server/src/audit-worker.ts'], outfile: 'dist/audit-worker.js' }),
  ]);
  chmodSync(join(root, 'dist/cli.js'), 0o755);
  mkdirSync(join(root, 'dist'), { recursive: true });
  for (const wasm of ['web-tree-sitter/tree-sitter.wasm', 'tree-sitter-bash/tree-sitter-bash.wasm', '@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm']) {
    const from = require.resolve(wasm, { paths: [root] });
    copyFileSync(from, join(root, 'dist', wasm.split('/').pop()));
  }
}

try {
  checkManifest();
  if (!args.has('--sync-manifest')) await bundle();
} catch (e) {
  console.error(`build: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
