// The manifest's audit contributions: the Known Good view and its commands, the walkthrough and its
// media, and that every contributed command is registered by the bundled client.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { ROOT } from './lsp-client';

interface Command { command: string; title: string }
interface MenuItem { command: string; when?: string; group?: string }
interface Step { id: string; title: string; description: string; media: { markdown?: string }; completionEvents: string[] }

const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  activationEvents: string[];
  contributes: {
    commands: Command[];
    menus: Record<string, MenuItem[]>;
    viewsContainers: { activitybar: { id: string; title: string; icon: string }[] };
    views: Record<string, { id: string; name: string }[]>;
    viewsWelcome: { view: string; contents: string; when: string }[];
    walkthroughs: { id: string; title: string; steps: Step[] }[];
  };
};
const c = pkg.contributes;

test('an activity bar container "Known Good" holds the Findings view', () => {
  assert.deepEqual(c.viewsContainers.activitybar.map((v) => [v.id, v.title, v.icon]), [['knownGood', 'Known Good', 'media/known-good.svg']]);
  const svg = readFileSync(path.join(ROOT, 'media/known-good.svg'), 'utf8');
  assert.match(svg, /^<svg [^>]*viewBox="0 0 24 24"/);
  assert.deepEqual(c.views.knownGood.map((v) => [v.id, v.name]), [['knownGood.findings', 'Findings']]);
  assert.ok(pkg.activationEvents.includes('onView:knownGood.findings'));
  // Before the first audit the view offers the audit.
  assert.deepEqual(c.viewsWelcome.map((w) => [w.view, w.when]), [['knownGood.findings', '!knownGood.audited']]);
  assert.ok(c.viewsWelcome[0].contents.includes('(command:knownGood.auditWorkspace)'));
});

test('the view title switches grouping, re-audits and exports; findings have Quick Fix… in their context menu', () => {
  const title = c.menus['view/title'].map((m) => [m.command, m.when]);
  assert.deepEqual(title, [
    ['knownGood.auditWorkspace', 'view == knownGood.findings'],
    ['knownGood.groupByFile', 'view == knownGood.findings && knownGood.groupBy != file'],
    ['knownGood.groupByRule', 'view == knownGood.findings && knownGood.groupBy == file'],
    ['knownGood.exportReport', 'view == knownGood.findings && knownGood.audited'],
  ]);
  const context = c.menus['view/item/context'].map((m) => [m.command, m.when]);
  assert.deepEqual(context[0], ['knownGood.findings.quickFix', 'view == knownGood.findings && viewItem == knownGood.finding']);
  for (const m of [...c.menus['view/title'], ...c.menus['view/item/context'], ...c.menus.commandPalette]) {
    assert.ok(c.commands.some((x) => x.command === m.command), `${m.command} is a contributed command`);
  }
});

test('every contributed command is registered by the bundled client', () => {
  const bundle = readFileSync(path.join(ROOT, 'dist/extension.js'), 'utf8');
  for (const { command } of c.commands) assert.ok(bundle.includes(`"${command}"`), `${command} appears in dist/extension.js`);
  // No stub: the vendoring command's request is handled by the bundled server.
  const server = readFileSync(path.join(ROOT, 'dist/cli.js'), 'utf8');
  for (const x of c.commands.filter((x) => /vendor/i.test(x.command))) assert.ok(server.includes('"knownGood/vendorWorkspace"'), `${x.command}: the server handles knownGood/vendorWorkspace`);
});

test('the walkthrough goes from opening a folder to a first audit and a first fix; its media ship', () => {
  const [w] = c.walkthroughs;
  assert.equal(w.id, 'knownGood.gettingStarted');
  assert.deepEqual(w.steps.map((s) => s.id), ['open', 'audit', 'view', 'fix', 'pin', 'share']);
  const events = Object.fromEntries(w.steps.map((s) => [s.id, s.completionEvents]));
  assert.deepEqual(events.audit, ['onCommand:knownGood.auditWorkspace']);
  assert.deepEqual(events.fix, ['onCommand:editor.action.quickFix', 'onCommand:knownGood.findings.quickFix']);
  assert.deepEqual(events.view, ['onView:knownGood.findings']);
  const known = new Set([...c.commands.map((x) => x.command), 'editor.action.quickFix']);
  for (const s of w.steps) {
    assert.ok(s.media.markdown && existsSync(path.join(ROOT, s.media.markdown)), `${s.id}: ${s.media.markdown}`);
    for (const e of s.completionEvents) if (e.startsWith('onCommand:')) assert.ok(known.has(e.slice(10)), e);
    for (const [, cmd] of s.description.matchAll(/\(command:([\w.]+)\)/g)) {
      assert.ok(known.has(cmd) || cmd === 'knownGood.findings.focus' || cmd.startsWith('workbench.'), `${s.id} links ${cmd}`);
    }
  }
  const ignore = readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8').split('\n');
  assert.ok(ignore.includes('!media/**'), 'media/ is packaged');
});
