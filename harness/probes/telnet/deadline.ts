import { NetError } from '../../net/errors.js';

/**
 * One signal for a whole exchange: it aborts with NetError 'timeout' once `timeoutMs` have passed, or
 * 'aborted' when the caller's signal does. dispose() when done.
 */
export function exchangeDeadline(signal: AbortSignal, timeoutMs: number): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onAbort = () => controller.abort(new NetError('aborted', 'aborted'));
  const timer = setTimeout(() => controller.abort(new NetError('timeout', `no answer within ${timeoutMs} ms`)), timeoutMs);
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    dispose: () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    },
  };
}
