// Table tests: fetched code or binaries are reported; probes, API calls and local endpoints are not.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { initParsers } from '../../../server/src/core/treesitter';
import type { Ecosystem } from '../../../server/src/core/shell/types';
import { scriptDownloads } from './helpers';

before(() => initParsers());

/** [script, tool, ecosystem, text the span covers, pipedToShell, packages] */
const fetches: [string, string, Ecosystem, string, boolean, string[]][] = [
  // stored by the tool itself
  ['curl -fsSL -o /tmp/app.tgz https://example.com/app.tgz', 'curl', 'http', 'curl -fsSL -o /tmp/app.tgz https://example.com/app.tgz', false, ['https://example.com/app.tgz']],
  ['curl -sSLo /usr/local/bin/jq https://github.com/jq/jq', 'curl', 'http', 'curl -sSLo /usr/local/bin/jq https://github.com/jq/jq', false, ['https://github.com/jq/jq']],
  ['curl -O https://example.com/a.jar', 'curl', 'http', 'curl -O https://example.com/a.jar', false, ['https://example.com/a.jar']],
  ['curl --remote-name https://example.com/a.jar', 'curl', 'http', 'curl --remote-name https://example.com/a.jar', false, ['https://example.com/a.jar']],
  ['curl --output app.zip "$URL"', 'curl', 'http', 'curl --output app.zip "$URL"', false, ['$URL']],
  ['wget https://example.com/a.tar.gz', 'wget', 'http', 'wget https://example.com/a.tar.gz', false, ['https://example.com/a.tar.gz']],
  ['wget -q -O /opt/app.jar https://example.com/app.jar', 'wget', 'http', 'wget -q -O /opt/app.jar https://example.com/app.jar', false, ['https://example.com/app.jar']],
  ['wget -P /tmp https://example.com/x.deb', 'wget', 'http', 'wget -P /tmp https://example.com/x.deb', false, ['https://example.com/x.deb']],
  // stored by a redirect (of the command or of its pipeline)
  ['curl -s https://example.com/a.sh > a.sh', 'curl', 'http', 'curl -s https://example.com/a.sh > a.sh', false, ['https://example.com/a.sh']],
  ['curl -s https://example.com/a.sh >> /tmp/a.sh 2>/dev/null', 'curl', 'http', 'curl -s https://example.com/a.sh >> /tmp/a.sh 2>/dev/null', false, ['https://example.com/a.sh']],
  ['cd /tmp && wget -qO- https://example.com/t > t', 'wget', 'http', 'wget -qO- https://example.com/t > t', false, ['https://example.com/t']],
  ['curl -fsSL https://example.com/k.gz | gunzip > /usr/bin/k', 'curl', 'http', 'curl -fsSL https://example.com/k.gz | gunzip > /usr/bin/k', false, ['https://example.com/k.gz']],
  ['curl -s https://example.com/x | tee /usr/local/bin/x', 'curl', 'http', 'curl -s https://example.com/x | tee /usr/local/bin/x', false, ['https://example.com/x']],
  ['curl -s https://example.com/x | sudo tee /usr/local/bin/x >/dev/null', 'curl', 'http', 'curl -s https://example.com/x | sudo tee /usr/local/bin/x >/dev/null', false, ['https://example.com/x']],
  // extracted
  ['curl -fsSL https://example.com/t.tgz | tar -xz -C /opt', 'curl', 'http', 'curl -fsSL https://example.com/t.tgz | tar -xz -C /opt', false, ['https://example.com/t.tgz']],
  ['wget -qO- https://example.com/t.zip | busybox unzip -', 'wget', 'http', 'wget -qO- https://example.com/t.zip | busybox unzip -', false, ['https://example.com/t.zip']],
  ['curl -sL https://example.com/t.tgz | (cd /opt && tar xz)', 'curl', 'http', 'curl -sL https://example.com/t.tgz | (cd /opt && tar xz)', false, ['https://example.com/t.tgz']],
  // executed
  ['curl -fsSL https://get.docker.com | sh', 'curl', 'http', 'curl -fsSL https://get.docker.com | sh', true, ['https://get.docker.com']],
  ['wget -qO- https://example.com/i.sh | bash', 'wget', 'http', 'wget -qO- https://example.com/i.sh | bash', true, ['https://example.com/i.sh']],
  ['curl -s https://example.com/i.sh | sudo -E bash -s -- --version 1', 'curl', 'http', 'curl -s https://example.com/i.sh | sudo -E bash -s -- --version 1', true, ['https://example.com/i.sh']],
  ['curl -sSL https://install.python-poetry.org | python3 -', 'curl', 'http', 'curl -sSL https://install.python-poetry.org | python3 -', true, ['https://install.python-poetry.org']],
  ['curl -sL https://deb.nodesource.com/setup_20.x | sudo sh', 'curl', 'http', 'curl -sL https://deb.nodesource.com/setup_20.x | sudo sh', true, ['https://deb.nodesource.com/setup_20.x']],
  ['curl -s https://example.com/i.b64 | base64 -d | sh', 'curl', 'http', 'curl -s https://example.com/i.b64 | base64 -d | sh', true, ['https://example.com/i.b64']],
  ['curl -s https://example.com/i.pl | perl', 'curl', 'http', 'curl -s https://example.com/i.pl | perl', true, ['https://example.com/i.pl']],
  ['bash <(curl -s https://example.com/i.sh)', 'curl', 'http', 'bash <(curl -s https://example.com/i.sh)', true, ['https://example.com/i.sh']],
  ['source <(curl -s https://example.com/env.sh)', 'curl', 'http', 'source <(curl -s https://example.com/env.sh)', true, ['https://example.com/env.sh']],
  ['python3 -c "$(curl -s https://example.com/p.py)"', 'curl', 'http', 'python3 -c "$(curl -s https://example.com/p.py)"', true, ['https://example.com/p.py']],
  ['sh -c "$(curl -fsSL https://example.com/install.sh)"', 'curl', 'http', '$(curl -fsSL https://example.com/install.sh)', true, ['https://example.com/install.sh']],
  ['eval "$(curl -s https://example.com/env)"', 'curl', 'http', '$(curl -s https://example.com/env)', true, ['https://example.com/env']],
  // git
  ['git clone https://github.com/a/b /app', 'git', 'git', 'git clone https://github.com/a/b /app', false, ['https://github.com/a/b']],
  ['git clone --depth 1 -b main git@github.com:a/b.git', 'git', 'git', 'git clone --depth 1 -b main git@github.com:a/b.git', false, ['git@github.com:a/b.git']],
  ['git -C /app pull origin main', 'git', 'git', 'git -C /app pull origin main', false, ['origin', 'main']],
  ['git fetch --all', 'git', 'git', 'git fetch --all', false, []],
  ['git submodule update --init --recursive', 'git', 'git', 'git submodule update --init --recursive', false, []],
  // aws s3
  ['aws s3 cp s3://bucket/app.jar /app/app.jar', 'aws', 's3', 'aws s3 cp s3://bucket/app.jar /app/app.jar', false, ['s3://bucket/app.jar']],
  ['aws --region eu-west-1 s3 cp s3://b/tool /usr/local/bin/tool', 'aws', 's3', 'aws --region eu-west-1 s3 cp s3://b/tool /usr/local/bin/tool', false, ['s3://b/tool']],
  ['aws s3 cp s3://b/release/ /opt/app --recursive', 'aws', 's3', 'aws s3 cp s3://b/release/ /opt/app --recursive', false, ['s3://b/release/']],
  ['aws s3 sync s3://b/release /app', 'aws', 's3', 'aws s3 sync s3://b/release /app', false, ['s3://b/release']],
  ['aws s3 cp s3://b/lib.so /tmp/', 'aws', 's3', 'aws s3 cp s3://b/lib.so /tmp/', false, ['s3://b/lib.so']],
  ['aws s3 cp s3://b/boot.sh - | bash', 'aws', 's3', 'aws s3 cp s3://b/boot.sh - | bash', true, ['s3://b/boot.sh']],
];

void describe('shell: fetches are reported', () => {
  for (const [script, tool, ecosystem, at, piped, packages] of fetches) {
    void test(script, () => {
      const found = scriptDownloads(script);
      assert.equal(found.length, 1, JSON.stringify(found));
      assert.deepEqual(
        { kind: found[0].kind, tool: found[0].tool, ecosystem: found[0].ecosystem, at: found[0].at, piped: found[0].pipedToShell, packages: found[0].packages },
        { kind: 'fetch', tool, ecosystem, at, piped, packages },
      );
    });
  }
});

const notFetches = [
  'curl -f http://localhost:8000/health || exit 1',
  'curl -fsS http://127.0.0.1:8080/ready -o /dev/null',
  'curl -sf -o /dev/null -w "%{http_code}" https://example.com',
  'curl http://0.0.0.0:3000 > /tmp/probe',
  'curl -s http://[::1]:9000/ | sh',
  'curl localhost:8080/health > /tmp/h',
  'curl -s http://169.254.169.254/latest/meta-data/local-ipv4 > /tmp/ip',
  'curl -s http://169.254.170.2$AWS_CONTAINER_CREDENTIALS_RELATIVE_URI > /tmp/creds',
  'curl -s "$ECS_CONTAINER_METADATA_URI_V4/task" -o /tmp/task.json',
  'curl -s ${ECS_CONTAINER_METADATA_URI}/stats > /tmp/stats',
  'TOKEN=$(curl -s -X PUT http://169.254.169.254/latest/api/token -H "X-aws-ec2-metadata-token-ttl-seconds: 60")',
  'curl -X POST https://api.example.com/hooks -d "{}"',
  'curl -X POST https://api.example.com/hooks -d @payload.json -o response.json',
  'curl -s https://api.example.com/v1/status',
  'curl -s https://api.example.com/v1 | jq -r .id',
  'curl -s https://example.com/i.sh | grep version > version.txt',
  'curl https://example.com/a 2> err.log',
  'curl -I https://example.com/a -o headers',
  'echo "$(curl -s https://example.com/ip)"',
  'IP=$(curl -s https://ifconfig.me)',
  'curl -s https://example.com/x | python3 app.py',
  'wget --spider https://example.com',
  'wget -q -O /dev/null https://example.com',
  'wget -qO- https://api.example.com/v1 | jq .',
  'wget --post-data "a=b" https://api.example.com/submit',
  'git status',
  'git log -1',
  'git clone /src /app',
  'git submodule status',
  'aws s3 cp s3://b/config.json /app/config.json',
  'aws s3 cp s3://b/.env /app/.env',
  'aws s3 cp s3://b/settings.yaml /etc/app/settings.yaml',
  'aws s3 cp /tmp/app.jar s3://b/app.jar',
  'aws s3 sync /var/log s3://b/logs',
  'aws s3 sync s3://b/config /etc/app',
  'aws s3 sync s3://b/assets /app/static',
  'aws s3 cp s3://b/data.csv /tmp/',
  'aws s3 ls s3://b',
  'echo curl -o x https://example.com',
  '# curl https://example.com | sh',
];

void describe('shell: not fetches', () => {
  for (const script of notFetches) {
    void test(script, () => assert.deepEqual(scriptDownloads(script), []));
  }
});

void describe('shell: the df-002 pattern (a fetch whose URL comes from another fetch)', () => {
  // files/df-002/entrypoint.sh lines 19-20 of the corpus (aquasecurity/tfsec-sarif-action)
  const doc =
    '# Pull releases\n' +
    'wget -O - -q "$(wget -q https://api.github.com/repos/aquasecurity/tfsec/releases/${TFSEC_VERSION} -O - | grep -m 1 -o -E "https://.+?tfsec-linux-amd64" | head -n1)" > tfsec-linux-amd64\n' +
    'wget -O - -q "$(wget -q https://api.github.com/repos/aquasecurity/tfsec/releases/${TFSEC_VERSION} -O - | grep -m 1 -o -E "https://.+?tfsec_checksums.txt" | head -n1)" > tfsec.checksums\n' +
    'sha256sum -c tfsec-linux-amd64.checksum\n';
  void test('exactly one fetch per line, covering the whole line', () => {
    const found = scriptDownloads(doc);
    const lines = doc.split('\n');
    assert.deepEqual(
      found.map((f) => [f.kind, f.tool, f.at, f.pipedToShell]),
      [
        ['fetch', 'wget', lines[1], false],
        ['fetch', 'wget', lines[2], false],
      ],
    );
  });
});
