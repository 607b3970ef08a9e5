// The YAML parse reused between versions (yaml-source's segments) against the whole parse, on
// generated CloudFormation and compose files and their mutations: whenever a version is cut into
// segments, its trees are those of the whole parse (which has no problem).
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, test } from 'node:test';
import { parseYaml, parseYamlSegments } from '../../server/src/core/extract/yaml-source';
import { cloudformation, compose } from './gen-infra';
import { RUNS, SEED } from './harness';
import { mutated } from './mutate';
import { plain } from '../unit/extract/plain-tree';


let key = 0;

void describe(`yaml segments against the whole parse (${RUNS} runs each, seed ${SEED})`, () => {
  const yamlTexts = fc.oneof(
    cloudformation.filter((c) => !c.json).map((c) => c.text),
    compose.map((c) => c.text),
  );

  void test('a version after another: cut only when equal to the whole parse', () => {
    let cut = 0;
    fc.assert(
      fc.property(yamlTexts.chain((base) => fc.tuple(fc.constant(base), mutated(fc.constant(base)), mutated(fc.constant(base)))), ([base, v1, v2]) => {
        const k = `f${++key}.yaml`;
        const viaKey = `p${key}.yaml`;
        // Through parseYaml: whole, whole with its segments taken (the text changed), then cut.
        parseYaml(base, viaKey);
        for (const text of [base, v1, v2, base]) {
          const whole = parseYaml(text);
          assert.equal(JSON.stringify(plain(parseYaml(text, viaKey))), JSON.stringify(plain(whole)));
          const parts = parseYamlSegments(text, k);
          if (!parts) continue;
          cut++;
          assert.deepEqual(whole.problems, [], 'cut a file with problems');
          assert.equal(JSON.stringify(plain(parts.docs)), JSON.stringify(plain(whole.docs)));
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true, includeErrorInReport: true },
    );
    assert.ok(cut > RUNS / 2, `only ${cut} versions were cut`);
  });
});
