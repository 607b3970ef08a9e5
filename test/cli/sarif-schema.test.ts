// Validates the CLI's SARIF output against the SARIF 2.1.0 JSON schema (the rtm.5 schema that
// Microsoft's SARIF SDK ships in @microsoft/jest-sarif), with ajv.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import { FIXTURES, runCli } from './helpers';

interface Ajv {
  addMetaSchema(s: object): void;
  compile(s: object): ((data: unknown) => boolean) & { errors?: unknown[] | null };
}

function validator(): (data: unknown) => string[] {
  let AjvClass: new (o: object) => Ajv;
  let schema: object;
  try {
    AjvClass = require('ajv') as new (o: object) => Ajv;
    schema = require(path.join(path.dirname(require.resolve('@microsoft/jest-sarif/package.json')), 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json')) as object;
  } catch (e) {
    throw new Error(`SARIF validation needs the devDependencies @microsoft/jest-sarif (the schema) and ajv@6 (run npm install): ${(e as Error).message.split('\n')[0]}`);
  }
  const ajv = new AjvClass({ schemaId: 'auto', allErrors: true, validateSchema: false });
  ajv.addMetaSchema(require('ajv/lib/refs/json-schema-draft-04.json') as object);
  const validate = ajv.compile(schema);
  return (data) => (validate(data) ? [] : (validate.errors ?? []).map((e) => JSON.stringify(e)));
}

describe('SARIF output is valid SARIF 2.1.0', () => {
  let validate: (data: unknown) => string[] = () => ['validator not loaded'];
  before(() => {
    validate = validator();
  });

  test('the validator rejects an invalid log (it is not vacuous)', () => {
    assert.notDeepEqual(validate({ version: '2.1.0', runs: [{ results: [{ message: {} }] }] }), []);
  });

  for (const fixture of ['basic', 'script', 'bad-config', 'clean', 'levels']) {
    test(fixture, () => {
      const r = runCli(['audit', '--format', 'sarif', '--fail-on', 'none'], path.join(FIXTURES, fixture));
      assert.equal(r.code, 0);
      assert.deepEqual(validate(JSON.parse(r.stdout)), []);
    });
  }
});
