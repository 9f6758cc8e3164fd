import { setTimeout as sleep } from 'node:timers/promises';
import type { ConnectionLimiter } from './rate-limit.js';

/**
 * A rate cap that admits short bursts: tokens refill at `perSecond` up to `burstMs` worth. Unlike
 * RateLimiter's strict spacing, a free token is taken without a timer, which matters at tens of thousands
 * of connections a second (a port scan), where a timer per connection would cost more than the connection.
 */
export class TokenBucket implements ConnectionLimiter {
  readonly #capacity: number;
  #tokens: number;
  #refilledAt = performance.now();

  constructor(readonly perSecond: number, burstMs = 10) {
    this.#capacity = Math.max(1, (perSecond * burstMs) / 1000);
    this.#tokens = this.#capacity;
  }

  /** Milliseconds until a token is free; 0 when one is. */
  waitMs(): number {
    this.#refill();
    return this.#tokens >= 1 ? 0 : ((1 - this.#tokens) * 1000) / this.perSecond;
  }

  /** Takes a token, waiting for it when none is free; callers are served first come, first served. */
  async take(signal?: AbortSignal): Promise<void> {
    this.#refill();
    this.#tokens -= 1;
    if (this.#tokens < 0) await sleep((-this.#tokens * 1000) / this.perSecond, undefined, { signal });
  }

  #refill(): void {
    const now = performance.now();
    this.#tokens = Math.min(this.#capacity, this.#tokens + ((now - this.#refilledAt) * this.perSecond) / 1000);
    this.#refilledAt = now;
  }
}
