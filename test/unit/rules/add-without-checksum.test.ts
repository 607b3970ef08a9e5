// add-without-checksum: remote ADD without --checksum.
import { ruleTable } from './harness';

ruleTable('add-without-checksum', {
  valid: [
    { name: 'local file', file: 'Dockerfile', text: 'FROM nginx:1.27.0\nADD index.html /usr/share/nginx/html/\n' },
    { name: 'with checksum', file: 'Dockerfile', text: 'FROM alpine:3.20.1\nADD --checksum=sha256:' + 'd'.repeat(64) + ' https://example.com/tini /tini\n' },
    { name: 'COPY is not ADD', file: 'Dockerfile', text: 'FROM alpine:3.20.1\nCOPY https-notes.txt /x\n' },
  ],
  invalid: [
    {
      name: 'ADD of a release URL',
      file: 'Dockerfile',
      text: 'FROM alpine:3.20.1\nENV TINI_VERSION v0.19.0\nADD https://github.com/krallin/tini/releases/download/${TINI_VERSION}/tini /tini\n',
      expect: [{ line: 3, text: 'ADD https://github.com/krallin/tini/releases/download/${TINI_VERSION}/tini /tini', message: '--checksum' }],
    },
    { name: 'ADD of a git repository', file: 'Dockerfile', text: 'FROM alpine:3.20.1\nADD https://github.com/moby/buildkit.git#v0.14.0 /src\n', expect: [{ line: 2, text: 'ADD https://github.com/moby/buildkit.git#v0.14.0 /src', message: 'git' }] },
  ],
});
