// Wraps handlers so an exception is logged to the client's console and the server keeps serving.
import { ResponseError } from 'vscode-languageserver';

/** Something that can log errors (the connection's console). */
export interface ErrorLog {
  error(message: string): void;
}

function describe(e: unknown): string {
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}

/**
 * A handler that never throws: a synchronous exception or a rejected promise is logged and
 * `fallback` returned instead. Request handlers keep their ResponseErrors (cancellation) intact.
 */
export function guard<A extends unknown[], R>(log: ErrorLog, name: string, handler: (...args: A) => R | Promise<R>, fallback: R): (...args: A) => Promise<R> {
  return async (...args: A) => {
    try {
      return await handler(...args);
    } catch (e) {
      if (e instanceof ResponseError) throw e;
      log.error(`Known Good: ${name} failed: ${describe(e)}`);
      return fallback;
    }
  };
}
