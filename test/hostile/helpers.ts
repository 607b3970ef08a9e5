// Shared by the hostile-workspace tests: temporary workspaces, a SARIF validator, the tally of cases.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** Create a folder holding `files` (relative path → text) under a fresh temporary directory; returns it. */
export function makeTree(files: Record<string, string>, prefix = 'kg-hostile-'): string {
  const root = mkdtempSync(path.join(tmpdir(), prefix));
  for (const [rel, text] of Object.entries(files)) {
    const file = path.join(root, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return root;
}

interface Ajv {
  addMetaSchema(s: object): void;
  compile(s: object): ((data: unknown) => boolean) & { errors?: unknown[] | null };
}

/** A SARIF 2.1.0 validator (the schema @microsoft/jest-sarif ships, with ajv 6): errors, empty when valid. */
export function sarifValidator(): (data: unknown) => string[] {
  const AjvClass = require('ajv') as new (o: object) => Ajv;
  const schema = require(path.join(path.dirname(require.resolve('@microsoft/jest-sarif/package.json')), 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json')) as object;
  const ajv = new AjvClass({ schemaId: 'auto', allErrors: true, validateSchema: false });
  ajv.addMetaSchema(require('ajv/lib/refs/json-schema-draft-04.json') as object);
  const validate = ajv.compile(schema);
  return (data) => (validate(data) ? [] : (validate.errors ?? []).map((e) => JSON.stringify(e)));
}

/** Counts of the cases a test file tried, printed at its end for the closing note. */
export class CaseCount {
  private readonly cases: string[] = [];
  constructor(readonly kind: string) {}
  /** Record one case (a short name). */
  add(name: string): void {
    this.cases.push(name);
  }
  get size(): number {
    return this.cases.length;
  }
  summary(): string {
    return `${this.kind}: ${this.cases.length} cases (${this.cases.join('; ')})`;
  }
}
