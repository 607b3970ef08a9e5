// End to end in a real VS Code (code-server in Chromium, the packaged .vsix installed): the Dockerfile
// of issue 5 shows squiggles and Problems rows with rule ids, the hover explains the image, and the
// quick-fix menu offers the fixes; applying one changes the file on disk.
import assert from 'node:assert/strict';
import { cpSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { ROOT, skipUnlessE2e, TRUSTING_SETTINGS } from './code-server';
import { DOCKERFILE, makeWorkspace, removeWorkspace } from './fixtures';
import { poll } from './poll';
import { startSession, step, type Session } from './session';
import { applyRefactorPreview, chooseAction, docsScreenshot, editorLines, hoverText, openFile, problems, quickFixMenu, runCommand, screenshot, squiggles } from './workbench';

/** Golden cases of the fix tests (test/fixtures/fixes/<name>: case.json, the input files, expected/) applied here through the editor. */
const GOLDEN_CASES = ['npm-ci-lock'];

interface GoldenCase {
  file: string;
  rule: string;
  /** 1-based. */
  line: number;
  fix: string;
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
    removeWorkspace(ws);
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
      await screenshot(page, 'quickfix-from');
      const onCmd = await quickFixMenu(page, 2, 8);
      assert.ok(onCmd.includes('Disable runtime-install for this line'), onCmd.join(' | '));
      await screenshot(page, 'quickfix-cmd');
      const file = path.join(ws, 'Dockerfile');
      await chooseAction(page, 'Disable runtime-install for this line');
      const expected = 'FROM node:latest\n# known-good-ignore runtime-install -- \nCMD npm install && node server.js\n';
      await poll(async () => (await editorLines(editor)).join('\n') === expected, { what: 'the ignore comment in the editor' });
      await page.keyboard.press('Control+S');
      await poll(() => readFileSync(file, 'utf8') === expected, { what: 'the saved Dockerfile' });
      // The suppressed finding leaves the Problems panel; the other stays.
      await poll(async () => (await problems(page)).map((r) => r.code).join() === 'known-good(latest-tag)', { what: 'only latest-tag in Problems' });
    }));

  for (const name of GOLDEN_CASES) {
    let golden: Page | undefined;
    test(`"…in a build stage" applied from the quick-fix menu gives the golden result (${name})`, () =>
      step(session, () => golden, `golden-${name}`, async () => {
        const caseDir = path.join(ROOT, 'test/fixtures/fixes', name);
        const spec = JSON.parse(readFileSync(path.join(caseDir, 'case.json'), 'utf8')) as GoldenCase;
        const folder = makeWorkspace({}, 'web');
        cpSync(caseDir, folder, { recursive: true, filter: (src) => !/[\\/](expected|case\.json)$/.test(src) });
        try {
          const p = await session.open(folder);
          golden = p;
          await openFile(p, spec.file);
          const row = await poll(async () => (await problems(p)).find((r) => r.code === `known-good(${spec.rule})` && r.position.startsWith(`[Ln ${spec.line},`)), {
            what: `${spec.rule} on line ${spec.line}`,
          });
          const column = Number(/Col (\d+)/.exec(row.position)![1]);
          const menu = await quickFixMenu(p, spec.line, column);
          const stage = menu.find((t) => /in a build stage/.test(t));
          assert.ok(stage, `a build-stage fix is offered: ${menu.join(' | ')}`);
          await docsScreenshot(p, 'quickfix');
          await chooseAction(p, stage);
          // The fix asks for confirmation: VS Code shows it in the Refactor Preview.
          await p.locator('.monaco-list-row input.edit-checkbox').first().waitFor({ timeout: 10_000 });
          await screenshot(p, 'refactor-preview');
          const changes = await applyRefactorPreview(p);
          assert.ok(changes.length >= 2, `the preview lists the file and its changes: ${changes.join(' | ')}`);
          await runCommand(p, 'File: Save All');
          const target = path.join(folder, spec.file);
          const expected = readFileSync(path.join(caseDir, 'expected', spec.file), 'utf8');
          await poll(() => readFileSync(target, 'utf8') === expected, { what: `${spec.file} on disk to equal test/fixtures/fixes/${name}/expected/${spec.file}` });
          await poll(async () => !(await problems(p)).some((r) => r.code === `known-good(${spec.rule})`), { what: `no ${spec.rule} once fixed` });
          await p.context().close();
        } finally {
          removeWorkspace(folder);
        }
      }));
  }
});
