// The extension manifest, schema, grammar and bundle agree with the registered rules and with each other.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { RULES } from '../../server/src/core/rules';
import { ROOT } from './lsp-client';

const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const props: Record<string, { type?: string; enum?: string[]; default?: unknown; scope?: string; markdownDescription?: string; description?: string }> = pkg.contributes.configuration.properties;
const schema = JSON.parse(readFileSync(path.join(ROOT, 'schemas/knowngood.schema.json'), 'utf8'));

test('every registered rule has its knownGood.rules.<id> setting, and no setting names an unknown rule', () => {
  for (const { meta } of RULES) {
    const setting = props[`knownGood.rules.${meta.id}`];
    assert.ok(setting, `package.json lacks knownGood.rules.${meta.id} (run npm run sync-manifest)`);
    assert.deepEqual(setting.enum, ['default', 'error', 'warning', 'info', 'hint', 'off']);
    assert.equal(setting.default, 'default');
    assert.ok(setting.markdownDescription?.includes(meta.description), `${meta.id}: description`);
    assert.ok(setting.markdownDescription?.includes(meta.docUrl), `${meta.id}: doc link`);
  }
  const ids = new Set(RULES.map((r) => r.meta.id));
  const extra = Object.keys(props).filter((k) => k.startsWith('knownGood.rules.') && !ids.has(k.slice('knownGood.rules.'.length)));
  assert.deepEqual(extra, []);
});

test('the other settings are declared with descriptions', () => {
  for (const key of ['knownGood.include', 'knownGood.exclude', 'knownGood.trace.server']) {
    assert.ok(props[key], key);
    assert.ok((props[key].markdownDescription ?? props[key].description ?? '').length > 20, `${key} has a description`);
  }
  assert.deepEqual(props['knownGood.trace.server'].enum, ['off', 'messages', 'verbose']);
});

test('registry settings: a workspace cannot turn the network on, and Restricted Mode ignores them', () => {
  const expected: [string, string, unknown, string][] = [
    ['knownGood.network.enabled', 'boolean', true, 'machine'],
    ['knownGood.registry.insecureRegistries', 'array', [], 'machine'],
    ['knownGood.registry.timeoutSeconds', 'number', 8, 'machine'],
    ['knownGood.pin.ecsStyle', 'string', 'tag-and-digest', 'resource'],
  ];
  for (const [key, type, def, scope] of expected) {
    const p = props[key];
    assert.ok(p, key);
    assert.equal(p.type, type, key);
    assert.deepEqual(p.default, def, key);
    assert.equal(p.scope, scope, key);
    assert.ok((p.markdownDescription ?? '').length > 80, `${key} is documented`);
  }
  assert.deepEqual(props['knownGood.pin.ecsStyle'].enum, ['tag-and-digest', 'digest-only']);
  for (const text of ['repository-url/image:tag', 'repository-url/image@digest', '1.83.0', 'name:tag@sha256:']) assert.ok(props['knownGood.pin.ecsStyle'].markdownDescription!.includes(text), text);
  const trust = pkg.capabilities.untrustedWorkspaces;
  assert.equal(trust.supported, 'limited');
  assert.ok(trust.description.length > 40);
  assert.deepEqual(trust.restrictedConfigurations, ['knownGood.network.enabled', 'knownGood.registry.insecureRegistries', 'knownGood.registry.timeoutSeconds']);
  const documented = readFileSync(path.join(ROOT, 'docs/configuration.md'), 'utf8');
  for (const [key] of expected) assert.ok(documented.includes(`\`${key}\``), `docs/configuration.md documents ${key}`);
});

test('the .knowngood.yaml schema lists exactly the registered rules', () => {
  assert.deepEqual(Object.keys(schema.properties.rules.properties).sort(), RULES.map((r) => r.meta.id).sort());
  assert.equal(schema.properties.rules.additionalProperties, false);
  assert.deepEqual(schema.definitions.level.enum, ['error', 'warning', 'info', 'hint', 'off']);
  assert.deepEqual(pkg.contributes.yamlValidation, [{ fileMatch: ['.knowngood.yaml', '.knowngood.yml'], url: './schemas/knowngood.schema.json' }]);
});

test('activation is limited to relevant files and the command', () => {
  const events: string[] = pkg.activationEvents;
  assert.ok(!events.includes('*'));
  for (const e of ['onLanguage:dockerfile', 'workspaceContains:**/Dockerfile', 'workspaceContains:**/*.tf', 'workspaceContains:**/.knowngood.{yaml,yml}', 'onCommand:knownGood.auditWorkspace', 'onCommand:knownGood.pinWorkspace', 'onCommand:knownGood.vendorWorkspace']) {
    assert.ok(events.includes(e), e);
  }
  assert.deepEqual(pkg.contributes.commands, [
    { command: 'knownGood.auditWorkspace', title: 'Audit Workspace', category: 'Known Good', icon: '$(refresh)' },
    { command: 'knownGood.pinWorkspace', title: 'Pin All Images in Workspace', category: 'Known Good' },
    { command: 'knownGood.vendorWorkspace', title: 'Vendor All Runtime Installs', category: 'Known Good' },
    { command: 'knownGood.exportReport', title: 'Export Audit Report', category: 'Known Good', icon: '$(export)' },
    { command: 'knownGood.groupByRule', title: 'Group by Rule', category: 'Known Good', icon: '$(list-tree)' },
    { command: 'knownGood.groupByFile', title: 'Group by File', category: 'Known Good', icon: '$(files)' },
    { command: 'knownGood.findings.quickFix', title: 'Quick Fix…', category: 'Known Good' },
    { command: 'knownGood.findings.openDocs', title: 'Open Rule Documentation', category: 'Known Good' },
  ]);
  // The view's own commands stay out of the palette (they need a tree item or the view).
  assert.deepEqual(pkg.contributes.menus.commandPalette, [
    { command: 'knownGood.pinWorkspace', when: 'isWorkspaceTrusted && workspaceFolderCount > 0' },
    { command: 'knownGood.exportReport', when: 'workspaceFolderCount > 0' },
    { command: 'knownGood.vendorWorkspace', when: 'workspaceFolderCount > 0' },
    { command: 'knownGood.groupByRule', when: 'false' },
    { command: 'knownGood.groupByFile', when: 'false' },
    { command: 'knownGood.findings.quickFix', when: 'false' },
    { command: 'knownGood.findings.openDocs', when: 'false' },
  ]);
});

test('the grammar contributions point at the injection grammars', () => {
  const [general, docker] = pkg.contributes.grammars;
  for (const grammar of [general, docker]) {
    const file = JSON.parse(readFileSync(path.join(ROOT, grammar.path), 'utf8'));
    assert.equal(file.scopeName, grammar.scopeName);
  }
  for (const scope of ['source.dockerfile', 'source.yaml', 'source.hcl', 'source.terraform', 'source.json']) assert.ok(general.injectTo.includes(scope), scope);
  assert.deepEqual(docker.injectTo, ['source.dockerfile']);
});

test('the build put the bundle, the CLI (with its shebang) and the wasm files in dist/', () => {
  assert.equal(pkg.main, './dist/extension.js');
  assert.deepEqual(pkg.bin, { 'known-good': 'dist/cli.js' });
  assert.ok(readFileSync(path.join(ROOT, 'dist/cli.js'), 'utf8').startsWith('#!/usr/bin/env node\n'));
  for (const f of ['extension.js', 'tree-sitter.wasm', 'tree-sitter-bash.wasm', 'tree-sitter-terraform.wasm']) assert.ok(existsSync(path.join(ROOT, 'dist', f)), f);
  assert.ok(!readFileSync(path.join(ROOT, 'dist/extension.js'), 'utf8').includes('require("vscode-languageserver/node")'), 'the client bundle does not load the server');
});
