import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Errors no probe handled (an 'error' event without a listener, a rejection nobody awaited) reach the process,
 * not the check. Each check runs in an async context of its own, so such an error is given to the check that
 * raised it, and never to another check or another device of a fleet running in the same process.
 */
type StrayErrorSink = (error: unknown) => void;

const scope = new AsyncLocalStorage<StrayErrorSink>();
let runs = 0;

function onStray(error: unknown): void {
  const sink = scope.getStore();
  if (sink) sink(error);
  else process.stderr.write(`jcstar: an error outside any check was ignored: ${describeError(error)}\n`);
}

/** An error on one line: its message and first stack frames, or what was thrown. */
export function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack?.split('\n').slice(0, 3).join(' | ') ?? error.message) : String(error);
}

/** Runs `body` so that the errors it leaves unhandled, now or later, go to `sink`. */
export function withStraySink<T>(sink: StrayErrorSink, body: () => T): T {
  return scope.run(sink, body);
}

/** Takes over the process's unhandled errors while at least one run is going; the returned function gives them back. */
export function catchStrayErrors(): () => void {
  if (runs++ === 0) {
    process.on('uncaughtException', onStray);
    process.on('unhandledRejection', onStray);
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--runs === 0) {
      process.off('uncaughtException', onStray);
      process.off('unhandledRejection', onStray);
    }
  };
}

type ProcessListener = (...args: unknown[]) => void;

/** Mocha only sequences the checks: its own process listeners would end whichever test is current. */
export function detachFromProcess(runner: { uncaught: ProcessListener; unhandled?: ProcessListener }): void {
  process.off('uncaughtException', runner.uncaught);
  if (runner.unhandled) process.off('unhandledRejection', runner.unhandled);
}
