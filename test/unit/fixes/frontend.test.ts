// The `# syntax=` directive a checksum fix needs: which frontends are new enough, how old ones are raised.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseLayout } from '../../../server/src/core/fixes/dockerfile-layout';
import { frontendEdits } from '../../../server/src/core/fixes/frontend';
import { applyEdits } from '../../../server/src/core/fixes/pin';
import { NotFixable } from '../../../server/src/core/fixes/types';

const D = `sha256:${'5a'.repeat(32)}`;
const digests = new Map([
  ['docker/dockerfile:1', D],
  ['docker/dockerfile:1.6', D],
  ['docker/dockerfile:1.16', D],
  ['docker.io/docker/dockerfile:1.6-labs', D],
]);

interface Row {
  name: string;
  text: string;
  kind: 'http' | 'git';
  /** The file afterwards; undefined when nothing changes. */
  expect?: string;
  needs?: string[];
  reason?: string;
}

const rows: Row[] = [
  { name: 'none: adds docker/dockerfile:1 pinned', text: 'FROM a\n', kind: 'http', expect: `# syntax=docker/dockerfile:1@${D}\nFROM a\n` },
  { name: 'none, CRLF', text: 'FROM a\r\n', kind: 'git', expect: `# syntax=docker/dockerfile:1@${D}\r\nFROM a\r\n` },
  { name: 'none, before escape', text: '# escape=`\nFROM a\n', kind: 'http', expect: `# syntax=docker/dockerfile:1@${D}\n# escape=\`\nFROM a\n` },
  { name: '1 is new enough for git', text: '# syntax=docker/dockerfile:1\nFROM a\n', kind: 'git' },
  { name: '1-labs is new enough', text: '# syntax=docker/dockerfile:1-labs\nFROM a\n', kind: 'git' },
  { name: 'latest', text: '# syntax=docker/dockerfile:latest\nFROM a\n', kind: 'git' },
  { name: 'no tag', text: '# syntax=docker/dockerfile\nFROM a\n', kind: 'git' },
  { name: 'upstream master', text: '# syntax=docker/dockerfile-upstream:master\nFROM a\n', kind: 'git' },
  { name: '1.6 for http', text: '# syntax=docker/dockerfile:1.6\nFROM a\n', kind: 'http' },
  { name: '1.16.0 for git', text: '# syntax=docker/dockerfile:1.16.0\nFROM a\n', kind: 'git' },
  { name: '1.5 raised to 1.6', text: '# syntax=docker/dockerfile:1.5\nFROM a\n', kind: 'http', expect: `# syntax=docker/dockerfile:1.6@${D}\nFROM a\n` },
  { name: '1.6 raised to 1.16 for git', text: '# syntax=docker/dockerfile:1.6\nFROM a\n', kind: 'git', expect: `# syntax=docker/dockerfile:1.16@${D}\nFROM a\n` },
  {
    name: 'registry prefix and -labs kept, old digest replaced',
    text: `# syntax=docker.io/docker/dockerfile:1.4-labs@sha256:${'00'.repeat(32)}\nFROM a\n`,
    kind: 'http',
    expect: `# syntax=docker.io/docker/dockerfile:1.6-labs@${D}\nFROM a\n`,
  },
  { name: '0.x raised', text: '# syntax=docker/dockerfile:0.9\nFROM a\n', kind: 'http', expect: `# syntax=docker/dockerfile:1.6@${D}\nFROM a\n` },
  { name: 'without a digest: needs it', text: 'FROM a\n', kind: 'http', needs: ['docker/dockerfile:1'] },
  { name: 'other frontend', text: '# syntax=example.com/frontend:1\nFROM a\n', kind: 'http', reason: 'frontend' },
  { name: 'unknown tag', text: '# syntax=docker/dockerfile:stable\nFROM a\n', kind: 'http', reason: 'not a version' },
];

void describe('frontendEdits', () => {
  for (const r of rows) {
    void test(r.name, () => {
      const layout = parseLayout(r.text);
      if (r.reason) {
        assert.throws(() => frontendEdits(layout, r.kind, digests), (e: unknown) => e instanceof NotFixable && e.message.includes(r.reason!));
        return;
      }
      const out = frontendEdits(layout, r.kind, r.needs ? new Map() : digests);
      if (r.needs) {
        assert.deepEqual(out.needs, r.needs.map((reference) => ({ kind: 'image-digest', reference })));
        return;
      }
      assert.deepEqual(out.needs, []);
      assert.equal(applyEdits(r.text, out.edits), r.expect ?? r.text);
      if (!r.expect) assert.deepEqual(out.edits, []);
    });
  }
});
