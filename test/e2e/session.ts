// One end-to-end session: the packaged extension installed into a fresh code-server, and Chromium
// pointed at it; pages open workspace folders; failures leave a screenshot and the server log.
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { packagedVsix, startCodeServer, type CodeServer } from './code-server';
import { ARTIFACTS, launchBrowser, openWorkbench, screenshot } from './workbench';

export interface Session {
  server: CodeServer;
  browser: Browser;
  /** Milliseconds from nothing to a server that answers and a browser that runs. */
  startMs: number;
  /** A new page on the workbench with `folder` open. */
  open: (folder: string) => Promise<Page>;
  close: () => Promise<void>;
}

/** Package (or reuse) the .vsix, install it into a new code-server with `settings`, launch Chromium. */
export async function startSession(settings: Record<string, unknown>): Promise<Session> {
  const start = performance.now();
  const vsix = await packagedVsix();
  const server = await startCodeServer({ vsix, settings });
  let browser: Browser;
  try {
    browser = await launchBrowser();
  } catch (e) {
    await server.stop();
    throw e;
  }
  return {
    server,
    browser,
    startMs: Math.round(performance.now() - start),
    open: (folder) => openWorkbench(browser, server.folderUrl(folder)),
    close: async () => {
      await browser.close().catch(() => undefined);
      await server.stop();
    },
  };
}

/**
 * Run one test step; when it throws, keep (of `page`, or the page it returns at that moment) `<name>-failed.png` and the code-server log in the
 * artefacts folder (out/e2e-artifacts), with the workbench's log folder, before passing the error on.
 */
export async function step<T>(session: Session, page: Page | undefined | (() => Page | undefined), name: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    mkdirSync(ARTIFACTS, { recursive: true });
    const shown = typeof page === 'function' ? page() : page;
    if (shown) await screenshot(shown, `${name}-failed`).catch(() => undefined);
    writeFileSync(path.join(ARTIFACTS, `${name}-failed.code-server.log`), session.server.logs.join('\n'));
    // The workbench's logs: extension host, the Known Good output channel, window.
    const logs = path.join(session.server.userDataDir, 'logs');
    const to = path.join(ARTIFACTS, `${name}-failed-logs`);
    rmSync(to, { recursive: true, force: true });
    if (existsSync(logs)) cpSync(logs, to, { recursive: true });
    throw e;
  }
}
