// Polling with a deadline for the end-to-end tests: the editor announces nothing to the test, so
// every wait is "check the state again until it holds or the time is up" (never a fixed sleep).

export interface PollOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** What is awaited, for the time-out message. */
  what: string;
}

/**
 * Call `check` until it returns a value other than `false`/`undefined`/`null`, and return that value.
 * Throws after `timeoutMs` (default 20 s) with `what` and the last error `check` threw, if any.
 */
export async function poll<T>(check: () => Promise<T | false | undefined | null> | T | false | undefined | null, options: PollOptions): Promise<T> {
  const { timeoutMs = 20_000, intervalMs = 100, what } = options;
  const end = performance.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== false && value !== undefined && value !== null) return value;
    } catch (e) {
      // Errors that say the wait can never succeed are rethrown by `check` callers wrapping them.
      if (e instanceof FatalPollError) throw e;
      last = e;
    }
    if (performance.now() > end) {
      const detail = last instanceof Error ? `: ${last.message}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Thrown from a poll check to stop polling at once. */
export class FatalPollError extends Error {}
