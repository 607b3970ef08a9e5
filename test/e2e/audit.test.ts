// End to end in a real VS Code: "Known Good: Audit Workspace" from the command palette reports what the
// CLI reports for the same folder (its JSON is the expected result): the summary, the Problems counts,
// and the Known Good view grouped by rule with a count per group.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { ROOT, skipUnlessE2e, TRUSTING_SETTINGS } from './code-server';
import { AUDIT_FILES, cliAudit, cliReport, countByRule, largeWorkspaceFiles, makeWorkspace, removeWorkspace, type CliFinding } from './fixtures';
import { poll } from './poll';
import { startSession, step, type Session } from './session';
import { docsScreenshot, goTo, notificationTexts, openFile, quickFixMenu, runCommand, screenshot, showViewContainer, statusProblemCounts, viewGroups } from './workbench';

/** Skip reason while the manifest has no Known Good view (issue 5's view is built in parallel). */
function skipUnlessView(): string | false {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { contributes?: { views?: Record<string, { id: string }[]> } };
  const views = pkg.contributes?.views?.knownGood ?? [];
  return views.some((v) => v.id === 'knownGood.findings') ? false : 'package.json contributes no knownGood.findings view yet';
}

describe('"Known Good: Audit Workspace" in a real VS Code', { skip: skipUnlessE2e() }, () => {
  let session: Session;
  let ws: string;
  let big: string | undefined;
  let page: Page;
  let expected: CliFinding[];

  before(async () => {
    session = await startSession(TRUSTING_SETTINGS);
    ws = makeWorkspace(AUDIT_FILES);
    expected = cliAudit(ws);
    page = await step(session, undefined, 'audit-open', () => session.open(ws));
  });
  after(async () => {
    await session?.close();
    for (const dir of [ws, big]) removeWorkspace(dir);
  });

  test('the audit reports the CLI\'s findings: summary and Problems counts', () =>
    step(session, page, 'audit', async () => {
      assert.ok(expected.length >= 10, `the fixture has findings of several rules: ${JSON.stringify(countByRule(expected))}`);
      await runCommand(page, 'Known Good: Audit Workspace');
      const summary = await poll(async () => (await notificationTexts(page)).find((t) => /^Known Good: \d+ finding/.test(t)), { timeoutMs: 60_000, what: 'the audit summary' });
      const files = new Set(expected.map((f) => f.file)).size;
      assert.match(summary, new RegExp(`^Known Good: ${expected.length} finding\\(s\\) in ${files} of `));
      const severities = { error: 0, warning: 0 };
      for (const f of expected) if (f.severity === 'error' || f.severity === 'warning') severities[f.severity]++;
      // Every file's findings are in the Problems panel, opened or not.
      await poll(async () => {
        const shown = await statusProblemCounts(page);
        if (JSON.stringify(shown) !== JSON.stringify(severities)) throw new Error(`shown: ${JSON.stringify(shown)}`);
        return true;
      }, {
        what: `status bar problem counts ${JSON.stringify(severities)}`,
      });
    }));

  test('the Known Good view lists each rule with its count', { skip: skipUnlessView() }, () =>
    step(session, page, 'view', async () => {
      await showViewContainer(page, 'Known Good');
      const want = countByRule(expected).map(([rule, n]) => [rule, String(n)]);
      const groups = await poll(
        async () => {
          const shown = await viewGroups(page, 'Findings');
          if (JSON.stringify([...shown].sort()) !== JSON.stringify(want)) throw new Error(`shown: ${JSON.stringify(shown)}`);
          return shown;
        },
        { what: `the view's groups ${JSON.stringify(want)}` },
      );
      assert.equal(groups.length, want.length);
      // Off the activity bar, whose tooltip would stay in the screenshot; the progress toast closes just after the summary.
      await page.mouse.move(900, 420);
      await poll(async () => !(await notificationTexts(page)).some((t) => t.includes('auditing workspace')), { what: 'the audit progress to close' });
      await docsScreenshot(page, 'view');
    }));

  test('2,000 files: progress counts files, the editor answers during the audit, the summary matches the CLI', (t) =>
    step(session, undefined, 'audit-2000', async () => {
      big = makeWorkspace(largeWorkspaceFiles(2000), 'platform');
      const report = cliReport(big);
      const withFindings = new Set(report.findings.map((f) => f.file)).size;
      const page2 = await session.open(big);
      await openFile(page2, 'svc000/app00/Dockerfile');
      await quickFixMenu(page2, 5, 8);
      await page2.keyboard.press('Escape');
      // Watch the notifications while the test works the editor (playwright runs both at once).
      const progress: string[] = [];
      let summary: string | undefined;
      let watching = true;
      const watcher = (async (): Promise<unknown> => {
        try {
          while (watching && !summary) {
            for (const text of await notificationTexts(page2)) {
              if (/\d+\/2000 files/.test(text) && progress.at(-1) !== text) progress.push(text);
              if (/finding\(s\) in/.test(text)) summary = text;
            }
            await new Promise((r) => setTimeout(r, 50));
          }
          return undefined;
        } catch (e) {
          return e;
        }
      })();
      try {
        const start = performance.now();
        await runCommand(page2, 'Known Good: Audit Workspace');
        await poll(() => progress.length > 0 || summary !== undefined, { timeoutMs: 60_000, intervalMs: 50, what: 'the audit progress' });
        // Mid-audit, the quick-fix menu (extension host → language server → back) still opens.
        await goTo(page2, 5, 8);
        const asked = performance.now();
        const endedBefore = summary !== undefined;
        await page2.keyboard.press('Control+.');
        const rows = page2.locator('.action-widget .monaco-list-row.action');
        await rows.first().waitFor({ timeout: 20_000 });
        const menuMs = Math.round(performance.now() - asked);
        const endedAfter = summary !== undefined;
        const offered = await rows.allTextContents();
        assert.ok(offered.includes('Disable runtime-install for this line'), offered.join(' | '));
        await screenshot(page2, 'audit-2000-progress');
        await page2.keyboard.press('Escape');
        await poll(() => summary, { timeoutMs: 120_000, intervalMs: 50, what: 'the audit summary' });
        const auditMs = Math.round(performance.now() - start);
        const when = endedBefore ? 'after the audit ended' : endedAfter ? 'the audit ended meanwhile' : 'while the audit ran';
        t.diagnostic(`audit of 2,000 files in the editor: ${auditMs} ms; quick-fix menu asked mid-audit opened in ${menuMs} ms (${when})`);
        t.diagnostic(`progress messages: ${progress.length} (${progress[0]} … ${progress.at(-1)})`);
        assert.match(summary!, new RegExp(`^Known Good: ${report.summary.findings} finding\\(s\\) in ${withFindings} of ${report.summary.files} file\\(s\\)`));
        assert.ok(progress.length >= 2, `progress counted files: ${progress.join(' | ')}`);
        assert.ok(menuMs < 5000, `the quick-fix menu opened during the audit in ${menuMs} ms`);
      } finally {
        watching = false;
        const failed = await watcher;
        if (failed) throw failed;
      }
      await page2.context().close();
    }));
});
