/**
 * How long to wait for a UDP answer from one host, learnt from the answers it gives (as nmap adapts its
 * timeouts to the host's round-trip time): four times the slowest first-try answer or refusal seen so far,
 * between `minMs` and `maxMs`; `maxMs` until the host has answered anything.
 */
export class RoundTrips {
  #slowestMs: number | null = null;

  constructor(readonly minMs: number, readonly maxMs: number) {}

  /** An answer (or ICMP refusal) to a first send: a retransmission's answer could belong to either send (Karn). */
  record(ms: number): void {
    this.#slowestMs = Math.max(this.#slowestMs ?? 0, ms);
  }

  get waitMs(): number {
    if (this.#slowestMs === null) return this.maxMs;
    return Math.min(this.maxMs, Math.max(this.minMs, 4 * this.#slowestMs));
  }
}
