// Extracts service images, commands, entrypoints and health checks from compose files.
import * as path from 'path';
import { emptyModel, exactSource, type BuildSite, type CommandContext, type ExtractContext, type FileModel, type ShellSource } from '../model';
import { entryOf, pointerJoin, type DNode } from './doc-tree';
import { composeParts, parseDotEnv, type DotEnv } from './compose-vars';
import { makeImageSite } from './image-site';
import { dropChars } from './sources';
import { parseYaml } from './yaml-source';

/** Build the model of a compose file. Reads `.env` next to it from `ctx.files` for variable defaults. */
export function extractCompose(file: string, text: string, ctx: ExtractContext): FileModel {
  const model = emptyModel('compose', file, text);
  const envPath = dotEnvPath(file);
  model.dependencies.push(envPath);
  const envText = ctx.files.get(envPath);
  const env: DotEnv | undefined = envText === undefined ? undefined : { path: '.env', values: parseDotEnv(envText) };
  const parsed = parseYaml(text, file);
  model.problems.push(...parsed.problems);
  const seen = new Set<string>();
  for (const root of parsed.docs) {
    const services = entryOf(root, 'services');
    if (services?.value?.kind !== 'map') continue;
    const base = pointerJoin('', services.key);
    for (const svc of services.value.entries) {
      if (svc.value?.kind !== 'map') continue;
      addService(model, svc.value, pointerJoin(base, svc.key), env, seen);
      const build = buildSite(file, svc.key, svc.value, pointerJoin(base, svc.key));
      if (build) (model.builds ??= []).push(build);
    }
  }
  return model;
}

/** `.env` in the compose file's folder (posix). */
export function dotEnvPath(file: string): string {
  return path.posix.join(path.posix.dirname(file.replace(/\\/g, '/')), '.env');
}

/** A service's `build:` (a context path, or `{context, dockerfile, target}`), its Dockerfile resolved. */
function buildSite(file: string, service: string, svc: DNode, pointer: string): BuildSite | undefined {
  const build = entryOf(svc, 'build');
  const v = build?.value;
  if (!build || !v) return undefined;
  const str = (n: DNode | undefined) => (n?.kind === 'string' && !n.tag ? n.value.trim() : undefined);
  const context = (v.kind === 'map' ? str(entryOf(v, 'context')?.value) : str(v)) ?? (v.kind === 'map' ? '.' : undefined);
  if (context === undefined) return undefined;
  const site: BuildSite = { service, span: { ...v.span }, pointer: pointerJoin(pointer, build.key), context };
  const target = v.kind === 'map' ? str(entryOf(v, 'target')?.value) : undefined;
  if (target) site.target = target;
  const inline = v.kind === 'map' && entryOf(v, 'dockerfile_inline') !== undefined;
  const dockerfile = (v.kind === 'map' ? str(entryOf(v, 'dockerfile')?.value) : undefined) || 'Dockerfile';
  const remote = /^[a-z][a-z0-9+.-]*:\/\/|^git@|\.git(#.*)?$/i.test(context);
  if (!inline && !remote && !/\$/.test(context + dockerfile)) {
    const dir = path.posix.dirname(file.replace(/\\/g, '/'));
    const ctx = path.posix.isAbsolute(context) ? context : path.posix.join(dir, context);
    site.dockerfile = path.posix.normalize(path.posix.isAbsolute(dockerfile) ? dockerfile : path.posix.join(ctx, dockerfile));
  }
  return site;
}

function addService(model: FileModel, svc: DNode, pointer: string, env: DotEnv | undefined, seen: Set<string>): void {
  // Services that merge one anchor (`<<: *base`) share its nodes: report each written value once.
  const once = (n: DNode) => {
    const k = `${n.span.start}:${n.span.end}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  };
  const image = entryOf(svc, 'image');
  const v = image?.value;
  if (image && v?.kind === 'string' && v.value.trim() && once(v)) {
    const text = model.text.slice(v.inner.start, v.inner.end);
    model.images.push(makeImageSite(composeParts(v.value, env), v.inner, text, 'compose-image', pointerJoin(pointer, image.key)));
  }
  for (const [key, context] of [
    ['entrypoint', 'compose-entrypoint'],
    ['command', 'compose-command'],
  ] as const) {
    const e = entryOf(svc, key);
    if (!e?.value || !once(e.value)) continue;
    addCommand(model, e.value, context, pointerJoin(pointer, e.key));
  }
  const health = entryOf(svc, 'healthcheck');
  const test = entryOf(health?.value, 'test');
  if (health && test?.value && once(test.value)) addCommand(model, test.value, 'compose-healthcheck', pointerJoin(pointerJoin(pointer, health.key), test.key));
}

/** A string is shell text; a list is an argv (`["CMD", …]` / `["CMD-SHELL", script]` in health checks). */
function addCommand(model: FileModel, node: DNode, context: CommandContext, pointer: string): void {
  if (node.kind === 'string') {
    const script = unescapeDollars(node.source());
    if (script.text.trim()) model.commands.push({ context, span: { ...node.span }, script, pointer });
    return;
  }
  if (node.kind !== 'seq') return;
  let argv = node.items.map(text).filter((s): s is ShellSource => s !== undefined && s.text !== '');
  if (context === 'compose-healthcheck') {
    const first = argv[0]?.text.trim().toUpperCase();
    if (first === 'NONE') return;
    if (first === 'CMD-SHELL') {
      if (argv[1]) model.commands.push({ context, span: { ...node.span }, script: argv[1], pointer });
      return;
    }
    if (first === 'CMD') argv = argv.slice(1);
  }
  if (argv.length) model.commands.push({ context, span: { ...node.span }, argv, pointer });
}

function text(node: DNode): ShellSource | undefined {
  if (node.kind === 'string') return unescapeDollars(node.source());
  if (node.kind === 'scalar' && node.value !== null) return exactSource(node.raw, node.span.start);
  return undefined;
}

/** Compose turns `$$` into a literal `$` before the command runs. */
function unescapeDollars(source: ShellSource): ShellSource {
  if (!source.text.includes('$$')) return source;
  const drop = new Set<number>();
  for (let i = 0; i < source.text.length - 1; i++) {
    if (source.text[i] === '$' && source.text[i + 1] === '$') {
      drop.add(i + 1);
      i++;
    }
  }
  return dropChars(source, (_t, i) => drop.has(i));
}
