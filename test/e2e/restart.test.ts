// The language server killed mid-session (SIGKILL, found by its command line under this test's own
// code-server): VS Code's client restarts it, and after an edit the diagnostics come back, updated.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { skipUnlessE2e, TRUSTING_SETTINGS } from './code-server';
import { DOCKERFILE, makeWorkspace, removeWorkspace } from './fixtures';
import { poll } from './poll';
import { startSession, step, type Session } from './session';
import { goTo, openFile, problems } from './workbench';

/** Pids of Known Good servers (`…/dist/cli.js lsp …`) started from the extensions folder below `dir`. */
function serverPids(dir: string): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let cmdline: string[];
    try {
      cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    const script = cmdline.find((a) => a.endsWith(`${path.sep}dist${path.sep}cli.js`));
    if (script && script.startsWith(dir) && cmdline.includes('lsp')) out.push(Number(entry));
  }
  return out;
}

describe('the server is killed during a session', { skip: skipUnlessE2e() }, () => {
  let session: Session;
  let ws: string;
  let page: Page;
  let editor: Locator;

  before(async () => {
    session = await startSession(TRUSTING_SETTINGS);
    ws = makeWorkspace({ Dockerfile: DOCKERFILE });
    page = await step(session, undefined, 'restart-open', () => session.open(ws));
    editor = await step(session, page, 'restart-open', () => openFile(page, 'Dockerfile'));
  });
  after(async () => {
    await session?.close();
    removeWorkspace(ws);
  });

  test('SIGKILL to the server: the client restarts it, and an edit brings fresh diagnostics', () =>
    step(session, page, 'restart', async () => {
      await poll(async () => ((await problems(page)).length === 2 ? true : undefined), { what: 'two problems before the kill' });
      const [pid] = await poll(() => (serverPids(session.server.dir).length === 1 ? serverPids(session.server.dir) : undefined), { what: 'one Known Good server process' });
      process.kill(pid, 'SIGKILL');
      // The client notices, restarts the server (up to 4 times in 3 minutes by default) and re-sends the open document.
      const [next] = await poll(() => {
        const now = serverPids(session.server.dir);
        return now.length === 1 && now[0] !== pid ? now : undefined;
      }, { what: 'a new server process', timeoutMs: 30_000 });
      assert.notEqual(next, pid);
      await editor.click();
      await goTo(page, 3, 1);
      await page.keyboard.type('FROM redis:latest');
      // A new final stage: its `:latest` is reported, and the CMD of the first stage no longer runs.
      const rows = await poll(async () => {
        const r = await problems(page);
        return r.some((x) => x.position === '[Ln 3, Col 6]') ? r : undefined;
      }, { what: 'the new FROM line analysed by the restarted server', timeoutMs: 30_000 });
      assert.deepEqual(rows.map((r) => [r.code, r.position]).sort(), [
        ['known-good(latest-tag)', '[Ln 1, Col 6]'],
        ['known-good(latest-tag)', '[Ln 3, Col 6]'],
      ]);
      await page.keyboard.press('Control+Z');
    }));
});
