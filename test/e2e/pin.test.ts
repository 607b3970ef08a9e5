// End to end in a real VS Code: "Pin to digest" from the quick-fix menu against a real registry on
// loopback (docker-registry behind a counting proxy) writes the tag's digest into the saved file.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { skipUnlessTools, startDemoRegistry, type DemoRegistry } from '../protocol/registry-fixture';
import { skipUnlessE2e, TRUSTING_SETTINGS } from './code-server';
import { makeWorkspace, removeWorkspace } from './fixtures';
import { poll } from './poll';
import { startSession, step, type Session } from './session';
import { chooseAction, editorLines, openFile, problems, quickFixMenu, screenshot } from './workbench';

describe('pinning to a digest in a real VS Code', { skip: skipUnlessE2e() || skipUnlessTools() }, () => {
  let session: Session;
  let demo: DemoRegistry;
  let ws: string;
  let page: Page;

  before(async () => {
    [demo, session] = await Promise.all([startDemoRegistry(), startSession(TRUSTING_SETTINGS)]);
    ws = makeWorkspace({ Dockerfile: `FROM ${demo.proxy.host}/demo/app:1.0\nCMD ["node", "server.js"]\n` });
    page = await step(session, undefined, 'pin-open', () => session.open(ws));
  });
  after(async () => {
    await session?.close();
    await demo?.stop();
    removeWorkspace(ws);
  });

  test('"Pin to digest" writes the digest the registry has for the tag', () =>
    step(session, page, 'pin', async () => {
      const editor = await openFile(page, 'Dockerfile');
      const ref = `${demo.proxy.host}/demo/app:1.0`;
      await poll(async () => (await problems(page)).some((r) => r.code === 'known-good(missing-digest)' && r.position === '[Ln 1, Col 6]'), {
        what: 'missing-digest in the Problems panel',
      });
      const offeredAt = demo.manifestRequests().length;
      const menu = await quickFixMenu(page, 1, 8);
      assert.ok(menu.includes('Pin to digest'), menu.join(' | '));
      await screenshot(page, 'pin-menu');
      await chooseAction(page, 'Pin to digest');
      const expected = `FROM ${ref}@${demo.single.manifest.digest}\nCMD ["node", "server.js"]\n`;
      await poll(async () => (await editorLines(editor)).join('\n') === expected, { what: `the digest in the editor (${demo.single.manifest.digest})` });
      assert.ok(demo.manifestRequests(offeredAt).some((r) => r.endsWith('/v2/demo/app/manifests/1.0')), `the registry was asked: ${demo.manifestRequests().join(', ')}`);
      await page.keyboard.press('Control+S');
      const file = path.join(ws, 'Dockerfile');
      await poll(() => readFileSync(file, 'utf8') === expected, { what: 'the pinned Dockerfile on disk' });
      await poll(async () => (await problems(page)).length === 0, { what: 'an empty Problems panel once pinned' });
      await screenshot(page, 'pin-done');
    }));
});
