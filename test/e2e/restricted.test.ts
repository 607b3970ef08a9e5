// End to end in Restricted Mode (Workspace Trust on, the dialog answered "No, I don't trust the
// authors"): diagnostics, the hover, the quick-fix menu and the audit work, and no request reaches the
// loopback registry (counted at a reverse proxy); trusting the folder afterwards turns the network on.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { skipUnlessTools, startDemoRegistry, type DemoRegistry } from '../protocol/registry-fixture';
import { skipUnlessE2e } from './code-server';
import { makeWorkspace, removeWorkspace } from './fixtures';
import { poll } from './poll';
import { startSession, step, type Session } from './session';
import { hoverText, notificationTexts, openFile, problems, quickFixMenu, runCommand, screenshot } from './workbench';

/** Trust left on (the default); stale-digest on, so a pinned reference would be checked if the network were. */
const SETTINGS = { 'workbench.startupEditor': 'none', 'knownGood.rules.stale-digest': 'info' };

describe('Restricted Mode in a real VS Code', { skip: skipUnlessE2e() || skipUnlessTools() }, () => {
  let session: Session;
  let demo: DemoRegistry;
  let ws: string;
  let page: Page;

  before(async () => {
    [demo, session] = await Promise.all([startDemoRegistry(), startSession(SETTINGS)]);
    // demo/app:2.0 pinned to the 1.0 manifest: stale, which only the registry can tell.
    ws = makeWorkspace({ Dockerfile: `FROM ${demo.proxy.host}/demo/app:1.0 AS build\nFROM ${demo.proxy.host}/demo/app:2.0@${demo.single.manifest.digest}\n` });
    page = await step(session, undefined, 'restricted-open', () => session.open(ws));
  });
  after(async () => {
    await session?.close();
    await demo?.stop();
    removeWorkspace(ws);
  });

  test('diagnostics, hover, quick fixes and the audit work offline; no request reaches the registry', () =>
    step(session, page, 'restricted', async () => {
      const dialog = page.locator('.monaco-dialog-box');
      await dialog.locator('.monaco-button', { hasText: "No, I don't trust the authors" }).click({ timeout: 30_000 });
      await dialog.waitFor({ state: 'hidden' });
      // Off the panel tabs, whose tooltip would stay in the screenshots.
      await page.mouse.move(900, 420);
      await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor();
      await openFile(page, 'Dockerfile');
      const rows = await poll(async () => ((await problems(page)).length ? problems(page) : undefined), { what: 'diagnostics in Restricted Mode' });
      assert.deepEqual(
        rows.map((r) => [r.code, r.position]),
        [['known-good(missing-digest)', '[Ln 1, Col 6]']],
      );
      const hover = await hoverText(page, 1, 8, (t) => t.includes('Image reference'));
      assert.match(hover, /Repository\s*demo\/app/);
      assert.doesNotMatch(hover, /Registry: /, 'no registry answer (nor attempt) in the hover');
      await screenshot(page, 'restricted-hover');
      await page.keyboard.press('Escape');
      // The pin action needs the network: it is not offered as something to apply.
      assert.deepEqual(await quickFixMenu(page, 1, 8), ['Disable missing-digest for this line']);
      await screenshot(page, 'restricted-quickfix');
      await page.keyboard.press('Escape');
      await runCommand(page, 'Known Good: Audit Workspace');
      const summary = await poll(async () => (await notificationTexts(page)).find((t) => /^Known Good: \d+ finding/.test(t)), { what: 'the audit summary' });
      assert.match(summary, /^Known Good: 1 finding\(s\) in 1 of 1 file\(s\)/);
      assert.deepEqual(demo.proxy.seen, [], 'nothing reached the registry');
    }));

  test('trusting the folder turns the network on: the stale digest is found at the registry', () =>
    step(session, page, 'restricted-trust', async () => {
      const before = demo.proxy.seen.length;
      await runCommand(page, 'Workspaces: Manage Workspace Trust');
      await page.locator('.workspace-trust-editor .monaco-button', { hasText: /^Trust$/ }).click();
      await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).waitFor({ state: 'detached' });
      await poll(async () => (await problems(page)).some((r) => r.code === 'known-good(stale-digest)' && r.position.startsWith('[Ln 2,')), {
        what: 'stale-digest once trusted',
      });
      assert.ok(demo.manifestRequests(before).length > 0, 'the registry was asked once trusted');
    }));
});
