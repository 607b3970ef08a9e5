// Drives the VS Code workbench in Chromium (playwright-core): open a folder and a file, run a command,
// read squiggles, the Problems panel, hovers and the quick-fix menu, and take screenshots.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { CHROMIUM, ROOT } from './code-server';
import { poll } from './poll';

/** Chromium flags from MACHINE.md: no sandbox (root in a container), no GPU, no background traffic. */
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Screenshots of every step go here (gitignored); `KG_E2E_DOCS_IMAGES=1` also writes the README's into docs/images/. */
export const ARTIFACTS = path.join(ROOT, 'out/e2e-artifacts');

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

/** A new page (1280x800) on the workbench opening `url`; resolves once the workbench is drawn. */
export async function openWorkbench(browser: Browser, url: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(url);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  // The explorer shows the folder once the workbench has restored it.
  await page.locator('.explorer-folders-view, .explorer-viewlet').first().waitFor({ timeout: 60_000 });
  return page;
}

/** Open `name` with Quick Open (Ctrl+P) and wait until its tab is active and the editor shows text. */
export async function openFile(page: Page, name: string): Promise<Locator> {
  await poll(
    async () => {
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+P');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ timeout: 2000 });
      await input.fill(name);
      // Quick Open lists the file once the file search answers.
      const row = page.locator('.quick-input-list .monaco-list-row', { hasText: path.basename(name) }).first();
      await row.waitFor({ timeout: 3000 });
      await page.keyboard.press('Enter');
      await page.locator('.tab.active', { hasText: path.basename(name) }).waitFor({ timeout: 5000 });
      return true;
    },
    { timeoutMs: 30_000, what: `Quick Open of ${name}` },
  );
  const editor = page.locator('.editor-instance .monaco-editor').first();
  await editor.locator('.view-line').first().waitFor();
  return editor;
}

/** Run a command-palette command by its title (F1, type, Enter on the exact row). */
export async function runCommand(page: Page, title: string): Promise<void> {
  await poll(
    async () => {
      // A palette left open keeps the command list it was opened with: close it, open it anew.
      await page.keyboard.press('Escape');
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ timeout: 2000 });
      await input.fill(`>${title}`);
      const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
      await row.waitFor({ timeout: 3000 });
      await row.click();
      await input.waitFor({ state: 'hidden', timeout: 2000 });
      return true;
    },
    { timeoutMs: 30_000, what: `command ${title}` },
  );
}

/** Put the cursor at `line` (1-based), `column` with Go to Line (Ctrl+G `line:column`). */
export async function goTo(page: Page, line: number, column = 1): Promise<void> {
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden' });
}

/** The text of the editor's visible lines, top to bottom (non-breaking spaces as spaces). */
export async function editorLines(editor: Locator): Promise<string[]> {
  const lines = editor.locator('.view-lines .view-line');
  const tops = await lines.evaluateAll((els) =>
    els.map((el) => ({ top: parseFloat((el as unknown as { style: { top: string } }).style.top), text: (el as unknown as { textContent: string }).textContent })),
  );
  return tops.sort((a, b) => a.top - b.top).map((l) => l.text.replace(/\u00a0/g, ' '));
}

/** One marker row of the Problems panel. */
export interface ProblemRow {
  message: string;
  /** As shown: `known-good(latest-tag)`. */
  code: string;
  /** As shown: `[Ln 1, Col 6]`. */
  position: string;
}

/** The marker rows of the Problems panel (opened with Ctrl+Shift+M if it is not showing). */
export async function problems(page: Page): Promise<ProblemRow[]> {
  const panel = page.locator('.markers-panel');
  if (!(await panel.isVisible())) await page.keyboard.press('Control+Shift+M');
  await panel.waitFor({ timeout: 5000 });
  return panel.locator('.monaco-list-row .marker-message-details-container').evaluateAll((els) =>
    els.map((el) => {
      const text = (selector: string): string => (el as unknown as { querySelector: (s: string) => { textContent: string } | null }).querySelector(selector)?.textContent ?? '';
      return { message: text('.marker-message'), code: `${text('.marker-source')}(${text('.marker-code')})`, position: text('.marker-line') };
    }),
  );
}

/** The squiggles drawn in `editor`: severity (from the class) and the line number shown beside them. */
export async function squiggles(editor: Locator): Promise<{ severity: string; line: number }[]> {
  return editor.evaluate((root) => {
    interface El {
      className: string;
      textContent: string;
      getBoundingClientRect: () => { top: number; bottom: number };
      querySelectorAll: (s: string) => ArrayLike<El>;
    }
    const r = root as unknown as El;
    const numbers = Array.from(r.querySelectorAll('.margin-view-overlays .line-numbers'));
    return Array.from(r.querySelectorAll('.view-overlays [class*="squiggly-"]')).map((el) => {
      const box = el.getBoundingClientRect();
      const middle = (box.top + box.bottom) / 2;
      const number = numbers.find((n) => n.getBoundingClientRect().top <= middle && middle <= n.getBoundingClientRect().bottom);
      return { severity: /squiggly-(\w+)/.exec(el.className)?.[1] ?? '', line: Number(number?.textContent ?? NaN) };
    });
  });
}

/** The texts of the quick-fix menu (Ctrl+. at `line`:`column`), once it shows actions; the menu stays open. */
export async function quickFixMenu(page: Page, line: number, column: number): Promise<string[]> {
  return poll(
    async () => {
      await page.keyboard.press('Escape');
      await goTo(page, line, column);
      await page.keyboard.press('Control+.');
      const rows = page.locator('.action-widget .monaco-list-row.action');
      await rows.first().waitFor({ timeout: 3000 });
      return rows.allTextContents();
    },
    { timeoutMs: 20_000, what: `the quick-fix menu at ${line}:${column}` },
  );
}

/** Choose `title` in the open quick-fix menu with the keyboard (the menu blocks pointer events to the page). */
export async function chooseAction(page: Page, title: string): Promise<void> {
  const rows = page.locator('.action-widget .monaco-list-row.action');
  const count = await rows.count();
  for (let i = 0; i <= count; i++) {
    const focused = await page.locator('.action-widget .monaco-list-row.action.focused').textContent({ timeout: 2000 });
    if (focused === title) {
      await page.keyboard.press('Enter');
      await page.locator('.action-widget').waitFor({ state: 'hidden', timeout: 5000 });
      return;
    }
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`"${title}" is not in the quick-fix menu: ${(await rows.allTextContents()).join(' | ')}`);
}

/**
 * Apply the workspace edit shown in the Refactor Preview as a user would: tick every change (edits a
 * fix marks as needing confirmation start unticked), then Apply. Returns the change rows' texts.
 */
export async function applyRefactorPreview(page: Page): Promise<string[]> {
  const boxes = page.locator('.monaco-list-row input.edit-checkbox');
  await boxes.first().waitFor({ timeout: 10_000 });
  // The first row is the file: ticking it ticks every change in it.
  await boxes.first().check();
  const states = await boxes.evaluateAll((els) => els.map((el) => (el as unknown as { checked: boolean }).checked));
  if (!states.every(Boolean)) throw new Error(`not every change is ticked: ${JSON.stringify(states)}`);
  const rows = await page.locator('.monaco-list-row:has(input.edit-checkbox)').allTextContents();
  const container = page.locator('.content', { has: page.locator('input.edit-checkbox') });
  await container.locator('.buttons .monaco-button', { hasText: /^Apply$/ }).click();
  await boxes.first().waitFor({ state: 'hidden', timeout: 10_000 });
  return rows;
}

/** Show the hover at `line`:`column` (Ctrl+K Ctrl+I) and return its text once `ready` accepts it. */
export async function hoverText(page: Page, line: number, column: number, ready: (text: string) => boolean): Promise<string> {
  await goTo(page, line, column);
  return poll(
    async () => {
      // The editor's content hover, not a workbench tooltip the mouse pointer may have left open.
      const hover = page.locator('.monaco-editor .overflowingContentWidgets .monaco-hover:visible');
      if (!(await hover.count())) {
        await page.keyboard.press('Control+K');
        await page.keyboard.press('Control+I');
        await hover.first().waitFor({ timeout: 3000 });
      }
      const text = (await hover.allTextContents()).join('\n');
      return ready(text) ? text : undefined;
    },
    { timeoutMs: 20_000, what: `the hover at ${line}:${column}` },
  );
}

/** The messages of the notification toasts on screen. */
export async function notificationTexts(page: Page): Promise<string[]> {
  return page.locator('.notifications-toasts .notification-list-item-message').allTextContents();
}

/** Errors and warnings counted in the status bar (every file's diagnostics, open or not). */
export async function statusProblemCounts(page: Page): Promise<{ error: number; warning: number }> {
  const label = (await page.locator('[id="status.problems"]').getAttribute('aria-label')) ?? '';
  const m = /Errors: (\d+), Warnings: (\d+)/.exec(label);
  if (!m) throw new Error(`status bar problems item says "${label}"`);
  return { error: Number(m[1]), warning: Number(m[2]) };
}

/** Show the activity-bar view container `title` in the side bar (clicking its icon until the side bar shows it). */
export async function showViewContainer(page: Page, title: string): Promise<void> {
  const heading = page.locator('.part.sidebar .composite.title .title-label');
  await poll(
    async () => {
      const shown = ((await heading.textContent({ timeout: 1000 }).catch(() => '')) ?? '').toLowerCase();
      if (shown.startsWith(title.toLowerCase())) return true;
      // The item, not its icon: the badge (a count) lies over the icon and takes the click.
      await page.locator(`.activitybar .action-item:has(> .action-label[aria-label^="${title}"])`).click({ timeout: 5000 });
      return false;
    },
    { timeoutMs: 30_000, what: `the ${title} view container in the side bar` },
  );
}

/**
 * The top-level rows of the side-bar view `name` as [label, description] (a tree grouped by rule:
 * [rule id, count]). Looks in the pane titled `name`, or the whole side bar when its only view has no header.
 */
export async function viewGroups(page: Page, name: string): Promise<[string, string][]> {
  const sidebar = page.locator('.part.sidebar');
  const pane = sidebar.locator('.pane').filter({ has: page.locator('.pane-header', { hasText: name }) });
  const scope = (await pane.count()) === 1 ? pane : sidebar;
  return scope.locator('.monaco-list-row[aria-level="1"]').evaluateAll((els) =>
    els.map((el) => {
      const q = (s: string): string => (el as unknown as { querySelector: (s: string) => { textContent: string } | null }).querySelector(s)?.textContent ?? '';
      return [q('.label-name'), q('.label-description')] as [string, string];
    }),
  );
}

/** Save a screenshot of the page (or of `clip`) as a step artefact, and under docs/images/ when asked. */
export async function screenshot(page: Page, name: string, target?: Locator): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  if (target) await target.screenshot({ path: file });
  else await page.screenshot({ path: file });
  return file;
}

/** Save one of the README's screenshots: always as an artefact, and into docs/images/ with `KG_E2E_DOCS_IMAGES=1`. */
export async function docsScreenshot(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  if (process.env.KG_E2E_DOCS_IMAGES !== '1') return;
  const dir = path.join(ROOT, 'docs/images');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`) });
}
