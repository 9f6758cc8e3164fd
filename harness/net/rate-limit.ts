import { setTimeout as sleep } from 'node:timers/promises';

/** Spaces events at least 1/rate seconds apart, across every caller that shares the limiter. */
export class RateLimiter {
  #next = 0;
  constructor(readonly perSecond: number) {}

  async take(signal?: AbortSignal): Promise<void> {
    const now = Date.now();
    const at = Math.max(now, this.#next);
    this.#next = at + 1000 / this.perSecond;
    if (at > now) await sleep(at - now, undefined, { signal });
  }
}
