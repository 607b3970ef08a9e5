// Small helpers of the checksum fixes: checksum normalisation, git commits in URLs, file names of URLs.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { gitCommit } from '../../../server/src/core/fixes/checksum';
import { normaliseChecksum, urlName } from '../../../server/src/core/fixes/vendor-fetch';

const HEX = 'ab'.repeat(32);

void describe('checksum helpers', () => {
  const sums: [string | undefined, string | undefined][] = [
    [`sha256:${HEX}`, `sha256:${HEX}`],
    [HEX.toUpperCase(), `sha256:${HEX}`],
    [` sha256:${HEX}\n`, `sha256:${HEX}`],
    [`sha256:${HEX.slice(2)}`, undefined],
    [`sha512:${HEX}`, undefined],
    [undefined, undefined],
  ];
  for (const [input, expected] of sums) void test(`normaliseChecksum(${JSON.stringify(input)})`, () => assert.equal(normaliseChecksum(input), expected));

  const commits: [string, string | undefined][] = [
    ['https://github.com/a/b.git#0123456789abcdef0123456789ABCDEF01234567', '0123456789abcdef0123456789abcdef01234567'],
    ['https://github.com/a/b.git#0123456789abcdef0123456789abcdef01234567:docs', '0123456789abcdef0123456789abcdef01234567'],
    ['https://github.com/a/b.git#v1.2.3', undefined],
    ['https://github.com/a/b.git#0123456', undefined],
    ['https://github.com/a/b.git', undefined],
  ];
  for (const [url, expected] of commits) void test(`gitCommit(${url})`, () => assert.equal(gitCommit(url), expected));

  const names: [string, string][] = [
    ['https://example.com/dl/tool-1.0.tgz', 'tool-1.0.tgz'],
    ['https://example.com/dl/tool?x=1#f', 'tool'],
    ['https://example.com/', 'download'],
    ['https://example.com/a%20b', 'download'],
  ];
  for (const [url, expected] of names) void test(`urlName(${url})`, () => assert.equal(urlName(url), expected));
});
