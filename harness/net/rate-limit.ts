import { setTimeout as sleep } from 'node:timers/promises';

/** What a connection waits on before it is opened: a rate cap shared by every caller that holds it. */
export interface ConnectionLimiter {
  take(signal?: AbortSignal): Promise<void>;
}

/** Spaces events at least 1/rate seconds apart, across every caller that shares the limiter. */
export class RateLimiter implements ConnectionLimiter {
  #next = 0;
  constructor(readonly perSecond: number) {}

  async take(signal?: AbortSignal): Promise<void> {
    const now = Date.now();
    const at = Math.max(now, this.#next);
    this.#next = at + 1000 / this.perSecond;
    if (at > now) await sleep(at - now, undefined, { signal });
  }
}
