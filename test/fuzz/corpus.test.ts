// Real files from ../shared/corpus, mutated (truncated, random bytes, lines deleted or duplicated,
// quotes unbalanced, line endings mixed): the analysis invariants hold for the file and for the files that read it.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { initParsers } from '../../server/src/core/treesitter';
import { assertAnalysis } from './harness';
import { applyMutations, mutations } from './mutate';

const REPO = path.resolve(__dirname, '..', '..', '..');
const CORPUS = path.resolve(REPO, '..', 'shared', 'corpus');

interface CorpusFile {
  /** The repository checkout it belongs to (`files/<id>`), audited as its own root. */
  root: string;
  /** Path relative to that root, posix. */
  file: string;
  text: string;
}

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name)) : e.isFile() ? [path.join(dir, e.name)] : []));
}

/** Every corpus file; undefined when the corpus is absent (CI must have it: see the first test). */
function loadCorpus(): CorpusFile[] | undefined {
  const files = path.join(CORPUS, 'files');
  if (!fs.existsSync(files)) return undefined;
  return listFiles(files).map((abs) => {
    const [id, ...rest] = path.relative(files, abs).split(path.sep);
    return { root: id, file: rest.join('/'), text: fs.readFileSync(abs, 'utf8') };
  });
}

const corpus = loadCorpus();
const missing = corpus === undefined && process.env.CI !== 'true' ? `corpus not found at ${CORPUS} (shared/ beside the repository); run with CI=true to make this a failure` : false;

void describe('mutated corpus files', { skip: missing }, () => {
  before(() => initParsers());

  void test('the corpus is there (CI fails here rather than skipping)', () => {
    assert.ok(corpus, `corpus not found at ${CORPUS}: the fuzz tier needs ../shared/corpus beside the repository`);
    assert.ok(corpus.length >= 30, `only ${corpus.length} corpus files found in ${CORPUS}`);
  });

  const all = corpus ?? [];
  const siblings = (f: CorpusFile) => all.filter((o) => o.root === f.root && o !== f);

  void test('a mutated corpus file, analysed with the files beside it', (t) => {
    assert.ok(all.length, 'no corpus');
    const arb = fc.tuple(fc.nat(all.length - 1), mutations);
    assertAnalysis(t, 'mutated corpus files', arb, ([i, ops]) => {
      const f = all[i];
      return { file: f.file, text: applyMutations(f.text, ops), files: new Map(siblings(f).map((o) => [o.file, o.text])) };
    });
  });

  void test('a mutated dependency (entrypoint script, .env, template) under the intact files that read it', (t) => {
    const withSiblings = all.filter((f) => siblings(f).length > 0);
    assert.ok(withSiblings.length, 'no corpus root holds two files');
    const arb = fc.tuple(fc.nat(withSiblings.length - 1), mutations);
    assertAnalysis(t, 'corpus files reading a mutated dependency', arb, ([i, ops]) => {
      const dep = withSiblings[i];
      const files = new Map([...siblings(dep).map((o): [string, string] => [o.file, o.text]), [dep.file, applyMutations(dep.text, ops)]]);
      return siblings(dep).map((reader) => ({ file: reader.file, text: reader.text, files }));
    });
  });
});
