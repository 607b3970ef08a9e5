// Every registered rule has its doc page, its test file, its source file named by id, and sane metadata.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { RULES } from '../../server/src/core/rules';

const repo = path.resolve(__dirname, '../../..');

test('rules are registered in one sorted list with unique ids', () => {
  const ids = RULES.map((r) => r.meta.id);
  assert.deepEqual(ids, [...ids].sort());
  assert.equal(new Set(ids).size, ids.length);
});

for (const rule of RULES) {
  const { id } = rule.meta;
  test(`${id}: source, test, doc and metadata`, () => {
    assert.match(id, /^[a-z]+(-[a-z]+)*$/);
    assert.ok(fs.existsSync(path.join(repo, 'server/src/core/rules', `${id}.ts`)), `server/src/core/rules/${id}.ts`);
    assert.ok(fs.existsSync(path.join(repo, 'test/unit/rules', `${id}.test.ts`)), `test/unit/rules/${id}.test.ts`);
    const doc = path.join(repo, 'docs/rules', `${id}.md`);
    assert.ok(fs.existsSync(doc), `docs/rules/${id}.md`);
    const text = fs.readFileSync(doc, 'utf8');
    assert.ok(text.startsWith(`# ${id}`), 'doc starts with the rule id as its title');
    for (const section of ['## What it finds', '## Why it matters', '## How to fix', '## Examples']) assert.ok(text.includes(section), `${id}.md has "${section}"`);
    assert.ok(rule.meta.docUrl.endsWith(`docs/rules/${id}.md`));
    assert.ok(rule.meta.description.length > 20);
    assert.ok(['error', 'warning', 'info', 'hint'].includes(rule.meta.defaultSeverity));
  });
}

test('docs/rules has no page for an unregistered rule', () => {
  const pages = fs.readdirSync(path.join(repo, 'docs/rules')).filter((f) => f.endsWith('.md')).map((f) => f.slice(0, -3));
  assert.deepEqual(pages.sort(), RULES.map((r) => r.meta.id).sort());
});
