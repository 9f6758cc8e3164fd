import type { TcpScanProgress } from '../../inventory/types.js';
import { MAX_PORT, formatPortRanges, parsePortRanges, portsOf } from './port-ranges.js';

/**
 * What a TCP scan has established so far, port by port: one byte a port, whatever the answer, so that
 * a full scan costs the same 64 KiB on a device with no port open as on one with thousands.
 */
export class TcpScanLedger {
  readonly #done = new Uint8Array(MAX_PORT + 1);
  readonly #open: number[] = [];
  readonly #filtered: number[] = [];
  #closedCount = 0;

  /** A `resume` of the same host and ports carries over; one of another scan is not this scan's. */
  constructor(readonly host: string, readonly ports: string, resume: TcpScanProgress | null) {
    if (!resume || resume.host !== host || resume.ports !== ports) return;
    for (const port of parsePortRanges(resume.done)) this.#done[port] = 1;
    this.#open.push(...resume.open);
    this.#filtered.push(...resume.filtered);
    this.#closedCount = resume.closedCount;
  }

  /** The scan's ports without an answer yet, ascending. */
  pending(): number[] {
    return parsePortRanges(this.ports).filter((port) => !this.#done[port]);
  }

  record(port: number, state: 'open' | 'closed' | 'filtered'): void {
    if (this.#done[port]) return;
    this.#done[port] = 1;
    if (state === 'open') this.#open.push(port);
    else if (state === 'filtered') this.#filtered.push(port);
    else this.#closedCount++;
  }

  snapshot(): TcpScanProgress {
    return {
      host: this.host,
      ports: this.ports,
      done: formatPortRanges(portsOf(this.#done)),
      open: [...this.#open].sort((a, b) => a - b),
      filtered: [...this.#filtered].sort((a, b) => a - b),
      closedCount: this.#closedCount,
    };
  }
}
