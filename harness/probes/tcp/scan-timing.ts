/**
 * How many connection attempts a TCP scan keeps in flight and how long each may wait, adapted as nmap
 * does: a round-trip estimate from the answers (RFC 6298's srtt and rttvar) sets the timeout, and a
 * congestion window grows with answers and halves when attempts time out, since a device that stops
 * answering is as likely overwhelmed as filtered.
 */
export interface ScanTimingLimits {
  maxConcurrency: number;
  minTimeoutMs: number;
  maxTimeoutMs: number;
}

/** nmap's starting values: a window of 10 and a one-second timeout until the first answer is timed. */
const INITIAL_WINDOW = 10;
const INITIAL_TIMEOUT_MS = 1000;
/** The window never drops below this share of the maximum: a filtered port is not always congestion. */
const FLOOR_SHARE = 1 / 8;

/** The fewest attempts a scan keeps in flight, however many time out. */
export function windowFloor(maxConcurrency: number): number {
  return Math.max(1, Math.floor(maxConcurrency * FLOOR_SHARE));
}

export class ScanTiming {
  #srtt: number | null = null;
  #rttvar = 0;
  #window: number;
  #threshold: number;
  #lastShrinkAt = -Infinity;
  readonly #floor: number;

  constructor(readonly limits: ScanTimingLimits) {
    this.#floor = windowFloor(limits.maxConcurrency);
    this.#window = Math.min(limits.maxConcurrency, Math.max(this.#floor, INITIAL_WINDOW));
    this.#threshold = limits.maxConcurrency;
  }

  /** Attempts that may be in flight now. */
  get window(): number {
    return Math.floor(this.#window);
  }

  /** How long the next attempt may wait for an answer, in whole milliseconds. */
  timeoutMs(): number {
    const estimate = this.#srtt === null ? INITIAL_TIMEOUT_MS : this.#srtt + 4 * this.#rttvar;
    return Math.ceil(Math.min(this.limits.maxTimeoutMs, Math.max(this.limits.minTimeoutMs, estimate)));
  }

  /** An attempt answered (handshake or refusal) after `rttMs`: a round-trip sample, and room for more. */
  answered(rttMs: number): void {
    if (this.#srtt === null) {
      this.#srtt = rttMs;
      this.#rttvar = rttMs / 2;
    } else {
      this.#rttvar = 0.75 * this.#rttvar + 0.25 * Math.abs(this.#srtt - rttMs);
      this.#srtt = 0.875 * this.#srtt + 0.125 * rttMs;
    }
    // Slow start below the threshold (one more per answer), then one more per window's worth of answers.
    this.#window += this.#window < this.#threshold ? 1 : 1 / this.#window;
    this.#window = Math.min(this.#window, this.limits.maxConcurrency);
  }

  /** An attempt got no answer in time. One loss event per timeout period halves the window, not every lost attempt. */
  timedOut(now: number = performance.now()): void {
    if (now - this.#lastShrinkAt < this.timeoutMs()) return;
    this.#lastShrinkAt = now;
    this.#threshold = Math.max(this.#floor, this.#window / 2);
    this.#window = this.#threshold;
  }
}
