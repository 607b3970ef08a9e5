// Loads the tree-sitter grammars (bash, terraform) once; analysis then uses them synchronously.
import * as fs from 'fs';
import * as path from 'path';
import { Language, Parser } from 'web-tree-sitter';

export type { Node as SyntaxNode, Tree } from 'web-tree-sitter';

interface Loaded {
  bash: Parser;
  terraform: Parser;
}

let loaded: Loaded | undefined;
let loading: Promise<Loaded> | undefined;

/**
 * Where the wasm files are: next to the bundle in `dist/` (the packaged extension and CLI), or in
 * `node_modules` when running from source.
 */
function locate(file: 'tree-sitter.wasm' | 'tree-sitter-bash.wasm' | 'tree-sitter-terraform.wasm'): string {
  const candidates = [
    path.join(__dirname, file),
    path.join(__dirname, 'wasm', file),
    path.join(__dirname, '..', 'dist', file),
  ];
  const fromModules: Record<string, string> = {
    'tree-sitter.wasm': 'web-tree-sitter/tree-sitter.wasm',
    'tree-sitter-bash.wasm': 'tree-sitter-bash/tree-sitter-bash.wasm',
    'tree-sitter-terraform.wasm': '@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm',
  };
  for (const c of candidates) if (fs.existsSync(c)) return c;
  return require.resolve(fromModules[file]);
}

/** Initialise the grammars. Safe to call many times; concurrent calls share one load. */
export function initParsers(): Promise<void> {
  if (loaded) return Promise.resolve();
  loading ??= (async () => {
    await Parser.init({ locateFile: () => locate('tree-sitter.wasm') });
    const [bashLang, tfLang] = await Promise.all([
      Language.load(fs.readFileSync(locate('tree-sitter-bash.wasm'))),
      Language.load(fs.readFileSync(locate('tree-sitter-terraform.wasm'))),
    ]);
    const bash = new Parser();
    bash.setLanguage(bashLang);
    const terraform = new Parser();
    terraform.setLanguage(tfLang);
    loaded = { bash, terraform };
    return loaded;
  })();
  return loading.then(() => undefined);
}

function get(): Loaded {
  if (!loaded) throw new Error('Known Good: initParsers() must complete before analysis');
  return loaded;
}

export function bashParser(): Parser {
  return get().bash;
}

export function terraformParser(): Parser {
  return get().terraform;
}
