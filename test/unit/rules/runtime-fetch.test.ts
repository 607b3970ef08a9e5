// runtime-fetch: code or binaries fetched at container start.
import { ruleTable } from './harness';

ruleTable('runtime-fetch', {
  valid: [
    { name: 'health probe on localhost', file: 'Dockerfile', text: 'FROM python:3.12.1\nHEALTHCHECK CMD curl -f http://localhost:5000/health || exit 1\n' },
    { name: 'build-time download', file: 'Dockerfile', text: 'FROM alpine:3.20.1\nRUN curl -fsSL https://example.com/x.tar.gz -o /x.tgz && tar xzf /x.tgz\nCMD ["/x"]\n' },
    { name: 'ping is not a download', file: 'td.json', text: '{"containerDefinitions":[{"name":"a","image":"alpine:3.20.1","entryPoint":["ping"],"command":["-c","4","amazon.com"]}]}' },
    { name: 'config from S3 is legitimate', file: 'Dockerfile', text: 'FROM amazon/aws-cli:2.15.0\nCMD aws s3 cp s3://bucket/config.json /etc/app/config.json && exec app\n' },
  ],
  invalid: [
    { name: 'curl piped to sh', file: 'Dockerfile', text: 'FROM alpine:3.20.1\nCMD curl -fsSL https://get.example.com | sh && exec app\n', expect: [{ line: 2, text: 'curl -fsSL https://get.example.com | sh', message: 'unverified' }] },
    { name: 'git clone at start', file: 'compose.yaml', text: 'services:\n  a:\n    image: alpine/git:2.45.2\n    entrypoint: ["sh", "-c", "git clone https://github.com/o/r /src && /src/run"]\n', expect: [{ line: 4, text: 'git clone https://github.com/o/r /src' }] },
    {
      name: 'wget of a release in an entrypoint script',
      file: 'Dockerfile',
      text: 'FROM alpine:3.16.2\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\n',
      files: { 'entrypoint.sh': '#!/bin/sh\nset -e\nwget -O - -q "https://example.com/tool" > tool\nchmod +x tool && ./tool\n' },
      expect: [{ file: 'entrypoint.sh', line: 3, text: 'wget -O - -q "https://example.com/tool" > tool' }],
    },
  ],
});
