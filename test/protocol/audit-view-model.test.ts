// The Known Good view's model (client side, no VS Code): grouping by rule and by file, counts, labels
// in multi-root workspaces, partial updates from findingsChanged, short row labels.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FindingsModel, shortMessage } from '../../client/src/findings-model';
import type { FileFindings, FindingsResult, ViewFinding } from '../../server/src/lsp/audit-protocol';

const f = (ruleId: string, line: number, severity: ViewFinding['severity'] = 'warning', character = 0): ViewFinding => ({
  ruleId,
  severity,
  message: `${ruleId} at ${line}. More words.`,
  range: { start: { line: line - 1, character }, end: { line: line - 1, character: character + 1 } },
  docUrl: `https://example.com/${ruleId}.md`,
});
const file = (folder: string, p: string, findings: ViewFinding[]): FileFindings => ({ uri: `${folder}/${p}`, folderUri: folder, path: p, findings });
const A = 'file:///a';
const B = 'file:///b';

function result(files: FileFindings[], folders = [{ uri: A, name: 'a', files: 9, partial: false }], revision = 1): FindingsResult {
  return { revision, folders, files };
}

describe('FindingsModel', () => {
  const full = result([
    file(A, 'web/Dockerfile', [f('runtime-install', 2, 'error'), f('latest-tag', 1)]),
    file(A, 'Dockerfile', [f('latest-tag', 1), f('latest-tag', 5, 'warning', 4), f('latest-tag', 5, 'warning', 0)]),
    file(A, 'deploy/task.json', [f('missing-digest', 6, 'info')]),
  ]);

  test('by rule: rules sorted by id with counts and worst severity, files sorted, findings by position', () => {
    const m = new FindingsModel();
    m.apply(full, true);
    const groups = m.byRule();
    assert.deepEqual(groups.map((g) => [g.ruleId, g.count, g.severity]), [['latest-tag', 4, 'warning'], ['missing-digest', 1, 'info'], ['runtime-install', 1, 'error']]);
    assert.deepEqual(groups[0].files.map((g) => [g.label, g.findings.map((x) => `${x.range.start.line + 1}:${x.range.start.character}`)]), [
      ['Dockerfile', ['1:0', '5:0', '5:4']],
      ['web/Dockerfile', ['1:0']],
    ]);
    assert.equal(m.total, 6);
    assert.ok(m.audited);
  });

  test('by file: files sorted by path with all their findings', () => {
    const m = new FindingsModel();
    m.apply(full, true);
    assert.deepEqual(m.byFile().map((g) => [g.label, g.findings.length, g.findings.map((x) => x.ruleId).join()]), [
      ['Dockerfile', 3, 'latest-tag,latest-tag,latest-tag'],
      ['deploy/task.json', 1, 'missing-digest'],
      ['web/Dockerfile', 2, 'latest-tag,runtime-install'],
    ]);
  });

  test('an update for some files replaces just those; an empty list removes the file', () => {
    const m = new FindingsModel();
    m.apply(full, true);
    m.apply(result([file(A, 'Dockerfile', []), file(A, 'new/Dockerfile', [f('latest-tag', 1)])], undefined, 2), false);
    assert.deepEqual(m.byFile().map((g) => g.label), ['deploy/task.json', 'new/Dockerfile', 'web/Dockerfile']);
    assert.equal(m.total, 4);
    assert.equal(m.revision, 2);
    // A full answer replaces everything.
    m.apply(result([], undefined, 3), true);
    assert.deepEqual([m.total, m.byRule().length, m.audited], [0, 0, true]);
  });

  test('before an audit nothing is audited; in a multi-root workspace labels name the folder', () => {
    const m = new FindingsModel();
    m.apply(result([], []), true);
    assert.equal(m.audited, false);
    const folders = [{ uri: A, name: 'api', files: 1, partial: false }, { uri: B, name: 'web', files: 1, partial: false }];
    m.apply(result([file(B, 'Dockerfile', [f('latest-tag', 1)]), file(A, 'Dockerfile', [f('latest-tag', 1)])], folders), true);
    assert.deepEqual(m.byRule()[0].files.map((g) => g.label), ['api/Dockerfile', 'web/Dockerfile']);
  });

  test('short labels: the first sentence, at most 100 characters', () => {
    const cases: [string, string][] = [
      ['Base image `node:latest` uses the `latest` tag: whatever was pushed last is what runs.', 'Base image `node:latest` uses the `latest` tag'],
      ['`npm install` in `CMD` installs with npm every time. Install it at build time.', '`npm install` in `CMD` installs with npm every time'],
      ['Version 1.2.3 is fine', 'Version 1.2.3 is fine'],
      ['x'.repeat(150), `${'x'.repeat(99)}…`],
    ];
    for (const [message, label] of cases) assert.equal(shortMessage(message), label);
  });
});
