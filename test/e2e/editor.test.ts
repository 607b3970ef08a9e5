// End to end in a real VS Code (code-server in Chromium, the packaged .vsix installed): the Dockerfile
// of issue 5 shows squiggles and Problems rows with rule ids, the hover explains the image, and the
// quick-fix menu offers the fixes; applying one changes the file on disk.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { ROOT, skipUnlessE2e, TRUSTING_SETTINGS } from './code-server';
import { DOCKERFILE, makeWorkspace } from './fixtures';
import { poll } from './poll';
import { startSession, step, type Session } from './session';
import { chooseAction, docsScreenshot, editorLines, hoverText, openFile, problems, quickFixMenu, screenshot, squiggles } from './workbench';

/** A golden result for the "build stage" fix of DOCKERFILE, if the fix tests keep one. */
function buildStageGolden(): string | undefined {
  const dir = path.join(ROOT, 'test/fixtures/fixes');
  if (!existsSync(dir)) return undefined;
  const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));
  const files = walk(dir);
  // A pair `<name>` (input equal to DOCKERFILE) and `<name>.expected` (or `expected/<name>`).
  for (const input of files.filter((f) => readFileSync(f, 'utf8') === DOCKERFILE)) {
    const expected = files.find((f) => f === `${input}.expected` || f === path.join(path.dirname(input), 'expected', path.basename(input)));
    if (expected) return readFileSync(expected, 'utf8');
  }
  return undefined;
}

describe('the Dockerfile of issue 5 in a real VS Code', { skip: skipUnlessE2e() }, () => {
  let session: Session;
  let ws: string;
  let page: Page;
  let editor: Locator;

  before(async () => {
    session = await startSession(TRUSTING_SETTINGS);
    ws = makeWorkspace({ Dockerfile: DOCKERFILE });
    page = await step(session, undefined, 'editor-open', () => session.open(ws));
    editor = await step(session, page, 'editor-open', () => openFile(page, 'Dockerfile'));
  });
  after(async () => {
    await session?.close();
    if (ws) rmSync(ws, { recursive: true, force: true });
  });

  test('squiggles appear and the Problems panel lists both findings with their rule ids', () =>
    step(session, page, 'problems', async () => {
      const drawn = await poll(async () => ((await squiggles(editor)).length >= 2 ? squiggles(editor) : undefined), { what: 'two squiggles' });
      assert.deepEqual(
        drawn.sort((a, b) => a.line - b.line),
        [
          { severity: 'warning', line: 1 },
          { severity: 'error', line: 2 },
        ],
      );
      const rows = await poll(async () => ((await problems(page)).length === 2 ? problems(page) : undefined), { what: 'two rows in the Problems panel' });
      assert.deepEqual(rows.map((r) => [r.code, r.position]).sort(), [
        ['known-good(latest-tag)', '[Ln 1, Col 6]'],
        ['known-good(runtime-install)', '[Ln 2, Col 5]'],
      ]);
      assert.match(rows.find((r) => r.code.includes('latest-tag'))!.message, /`node:latest` uses the `latest` tag/);
      assert.match(rows.find((r) => r.code.includes('runtime-install'))!.message, /`npm install` in `CMD`/);
      await docsScreenshot(page, 'problems');
    }));

  test('the hover on the image explains the reference', () =>
    step(session, page, 'hover', async () => {
      const text = await hoverText(page, 1, 8, (t) => t.includes('Image reference') && t.includes('Registry'));
      assert.match(text, /docker\.io \(default\)/);
      assert.match(text, /library\/node/);
      assert.match(text, /Tag: latest — moves every time the publisher pushes/);
      await docsScreenshot(page, 'hover');
      await page.keyboard.press('Escape');
    }));

  test('the quick-fix menu offers the fixes, and applying one changes the file', () =>
    step(session, page, 'quickfix', async () => {
      const onFrom = await quickFixMenu(page, 1, 8);
      assert.ok(onFrom.includes('Pin to digest'), `Pin to digest offered on FROM: ${onFrom.join(' | ')}`);
      assert.ok(onFrom.includes('Disable latest-tag for this line'), onFrom.join(' | '));
      await docsScreenshot(page, 'quickfix');
      const onCmd = await quickFixMenu(page, 2, 8);
      assert.ok(onCmd.includes('Disable runtime-install for this line'), onCmd.join(' | '));
      await screenshot(page, 'quickfix-cmd');
      const stage = onCmd.find((t) => /build stage/i.test(t));
      const golden = stage ? buildStageGolden() : undefined;
      const file = path.join(ws, 'Dockerfile');
      if (stage && golden !== undefined) {
        await chooseAction(page, stage);
        await page.keyboard.press('Control+S');
        await poll(() => readFileSync(file, 'utf8') === golden, { what: `the Dockerfile on disk to equal the golden result of "${stage}"` });
        return;
      }
      await chooseAction(page, 'Disable runtime-install for this line');
      const expected = 'FROM node:latest\n# known-good-ignore runtime-install -- \nCMD npm install && node server.js\n';
      await poll(async () => (await editorLines(editor)).join('\n') === expected, { what: 'the ignore comment in the editor' });
      await page.keyboard.press('Control+S');
      await poll(() => readFileSync(file, 'utf8') === expected, { what: 'the saved Dockerfile' });
      // The suppressed finding leaves the Problems panel; the other stays.
      await poll(async () => (await problems(page)).map((r) => r.code).join() === 'known-good(latest-tag)', { what: 'only latest-tag in Problems' });
    }));
});
