// What a workspace can configure: every contributed setting is classified; the ones that reach the
// network or a registry are machine/application scoped and restricted in untrusted workspaces; no
// setting or `.knowngood.yaml` key names a program; helper-like keys are refused or ignored.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { parseConfig } from '../../server/src/core/config';
import { RULE_IDS } from '../../server/src/core/rules';
import { readEditorSettings } from '../../server/src/lsp/settings';
import { CaseCount } from './helpers';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, { scope?: string }> } };
  capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
};
const props = pkg.contributes.configuration.properties;

/**
 * Every setting and what it can reach. `network`: makes Known Good talk to a registry (or changes
 * how); `local`: only changes the analysis or the editor. A new setting must be added here, so
 * someone decides which it is.
 */
const CLASS: Record<string, 'network' | 'local'> = {
  'knownGood.network.enabled': 'network',
  'knownGood.registry.insecureRegistries': 'network',
  'knownGood.registry.timeoutSeconds': 'network',
  'knownGood.pin.ecsStyle': 'local',
  'knownGood.include': 'local',
  'knownGood.exclude': 'local',
  'knownGood.maxFileSizeKB': 'local',
  'knownGood.trace.server': 'local',
  ...Object.fromEntries(RULE_IDS.map((id) => [`knownGood.rules.${id}`, 'local' as const])),
};
const cases = new CaseCount('hostile settings and configuration cases');

void describe('settings a workspace could use against the user', () => {
  after(() => console.log(cases.summary()));

  void test('every contributed setting is classified, and only those exist', () => {
    assert.deepEqual(Object.keys(props).sort(), Object.keys(CLASS).sort());
    cases.add(`${Object.keys(props).length} settings classified`);
  });

  void test('network and registry settings are machine or application scoped, and restricted in untrusted workspaces', () => {
    const restricted = pkg.capabilities.untrustedWorkspaces.restrictedConfigurations;
    for (const [key, cls] of Object.entries(CLASS)) {
      const scope = props[key].scope;
      if (cls === 'network') {
        assert.ok(scope === 'machine' || scope === 'application', `${key} has scope ${scope}: a workspace could set it`);
        assert.ok(restricted.includes(key), `${key} is not in restrictedConfigurations`);
      } else {
        // Anything that looks like it could reach out must be classified network.
        assert.doesNotMatch(key, /network|registry|proxy|credential|helper|auth|token|insecure|url|host/i, key);
      }
      cases.add(`${key}: ${scope}`);
    }
  });

  void test('no setting names a program, a command, a path to run or a credential store', () => {
    for (const key of Object.keys(props)) assert.doesNotMatch(key, /command|program|exec|binary|path|helper|credsStore|credHelpers|docker\.config|shell/i, key);
    cases.add('no program-naming setting');
  });

  void test('helper-like keys in the settings a client sends are ignored', () => {
    const hostile = {
      credHelpers: { 'ghcr.io': 'evil' },
      credsStore: 'evil',
      docker: { config: '/workspace/.docker' },
      registry: { credentialHelper: 'evil', insecureRegistries: ['ghcr.io'], timeoutSeconds: 5, auths: { x: { auth: 'c2VjcmV0' } } },
      network: { enabled: true, proxy: 'http://evil' },
      pin: { ecsStyle: 'digest-only', command: 'rm -rf /' },
      rules: { 'latest-tag': 'off', evil: 'error' },
    };
    const s = readEditorSettings(hostile);
    assert.deepEqual(Object.keys(s).sort(), ['exclude', 'include', 'pin', 'rules']);
    assert.deepEqual(s.pin, { network: true, insecureRegistries: ['ghcr.io'], timeoutSeconds: 5, ecsStyle: 'digest-only' });
    assert.deepEqual(s.rules, { 'latest-tag': 'off' });
    cases.add('settings object with credHelpers, credsStore, docker.config, registry.credentialHelper, network.proxy, pin.command');
  });

  void test('.knowngood.yaml: helper, registry, network and limit keys are refused with a config error; only rules and ignore come out', () => {
    for (const key of ['credHelpers', 'credsStore', 'auths', 'registry', 'network', 'dockerConfig', 'env', 'maxFileSizeKB']) {
      const text = `rules:\n  latest-tag: info\n${key}:\n  ghcr.io: evil\n`;
      const { config, problems } = parseConfig(text, RULE_IDS);
      assert.deepEqual(config, { rules: { 'latest-tag': 'info' }, ignore: [] }, key);
      assert.equal(problems.length, 1, key);
      assert.match(problems[0].message, new RegExp(`^Unknown key "${key}" \\(expected rules, ignore`), key);
      assert.equal(text.slice(problems[0].span.start, problems[0].span.end), key);
      cases.add(`.knowngood.yaml ${key}`);
    }
  });

  void test('.knowngood.yaml images: a Dockerfile outside the folder (for vendoring fixes) is refused', () => {
    for (const target of ['../../etc/Dockerfile', 'a/../../Dockerfile', '..', '/etc/Dockerfile', 'C:\\Dockerfile']) {
      const { config, problems } = parseConfig(`images:\n  web: ${JSON.stringify(target)}\n`, RULE_IDS);
      assert.deepEqual(config.images ?? {}, {}, target);
      assert.match(problems[0]?.message ?? '', /must be a path relative to this file's folder/, target);
      cases.add(`images: ${target}`);
    }
    assert.deepEqual(parseConfig('images:\n  web: a/../web/Dockerfile\n', RULE_IDS).config.images, { web: 'a/../web/Dockerfile' });
  });
});
