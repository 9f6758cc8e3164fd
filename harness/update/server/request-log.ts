import type { IncomingHttpHeaders } from 'node:http';
import type { DeviceFeedback, UpdateRequestRecord } from '../types.js';

/**
 * What the device did at jcstar's update server, kept for the evidence: its requests, the connections
 * refused, and its hawkBit feedback. Both lists are bounded (a device polling for hours, or a hostile
 * one, must not grow memory); beyond the bound only a count of what was dropped is kept. Secrets in
 * headers are redacted here, at the point of recording.
 */

/** In-scope requests kept: a device polling every second for a whole trial stays well inside it. */
export const MAX_RECORDS = 10_000;
/** Refused connections from outside the scope have a bound of their own, so that a flood cannot crowd out the device. */
export const MAX_OUT_OF_SCOPE_RECORDS = 200;
const MAX_HEADER_VALUE = 256;
/** Header names whose values are credentials: hawkBit sends `Authorization: TargetToken …`; other clients send API keys and tokens. */
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'targettoken', 'gatewaytoken']);
const SECRET_HEADER_NAME = /token|api-?key|secret|passw|signature|session|auth/i;
/** Query parameters that carry credentials (signed URLs, token auth). */
const SECRET_QUERY = /([?&](?:[^=&]*(?:token|key|sig|signature|secret|passw|auth|session|credential)[^=&]*)=)[^&]*/gi;
const REDACTED = '[redacted]';

export function redactedHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    out[name] = SECRET_HEADERS.has(name) || SECRET_HEADER_NAME.test(name) ? REDACTED : text.slice(0, MAX_HEADER_VALUE);
  }
  return out;
}

/** A request path with the values of credential-like query parameters redacted. */
export function redactedPath(path: string): string {
  return path.replace(SECRET_QUERY, `$1${REDACTED}`);
}

type Waiter<T> = { matches(item: T): boolean; settle(item: T | null): void };

/** An append-only list with a bound, and waiters for the first item that matches. */
class BoundedList<T> {
  readonly items: T[] = [];
  dropped = 0;
  readonly #waiters = new Set<Waiter<T>>();
  #outOfScope = 0;

  /** `outOfScope` items count against their own, smaller bound. */
  add(item: T, outOfScope = false): void {
    if (outOfScope && this.#outOfScope >= MAX_OUT_OF_SCOPE_RECORDS) this.dropped++;
    else if (this.items.length < MAX_RECORDS) {
      this.items.push(item);
      if (outOfScope) this.#outOfScope++;
    } else this.dropped++;
    for (const waiter of this.#waiters) if (waiter.matches(item)) waiter.settle(item);
  }

  /** The first item already listed or still to come that matches; null at the timeout, abort or close. */
  waitFor(matches: (item: T) => boolean, options: { timeoutMs: number; signal?: AbortSignal }): Promise<T | null> {
    const found = this.items.find(matches);
    if (found) return Promise.resolve(found);
    if (options.signal?.aborted) return Promise.resolve(null);
    return new Promise((resolve) => {
      const settle = (item: T | null) => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        this.#waiters.delete(waiter);
        resolve(item);
      };
      const waiter: Waiter<T> = { matches, settle };
      const onAbort = () => settle(null);
      const timer = setTimeout(onAbort, options.timeoutMs);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.add(waiter);
    });
  }

  closeWaiters(): void {
    for (const waiter of this.#waiters) waiter.settle(null);
  }
}

export class RequestLog {
  readonly #requests = new BoundedList<UpdateRequestRecord>();
  readonly #feedback = new BoundedList<DeviceFeedback>();
  /** Connections closed at once because MAX_CONNECTIONS were open. */
  connectionsDropped = 0;

  get requests(): readonly UpdateRequestRecord[] {
    return this.#requests.items;
  }

  get feedback(): readonly DeviceFeedback[] {
    return this.#feedback.items;
  }

  get requestsDropped(): number {
    return this.#requests.dropped;
  }

  record(request: UpdateRequestRecord): void {
    this.#requests.add(request.path === undefined ? request : { ...request, path: redactedPath(request.path) }, !request.inScope);
  }

  recordFeedback(feedback: DeviceFeedback): void {
    this.#feedback.add(feedback);
  }

  waitForRequest(matches: (r: UpdateRequestRecord) => boolean, options: { timeoutMs: number; signal?: AbortSignal }): Promise<UpdateRequestRecord | null> {
    return this.#requests.waitFor(matches, options);
  }

  waitForFeedback(matches: (f: DeviceFeedback) => boolean, options: { timeoutMs: number; signal?: AbortSignal }): Promise<DeviceFeedback | null> {
    return this.#feedback.waitFor(matches, options);
  }

  close(): void {
    this.#requests.closeWaiters();
    this.#feedback.closeWaiters();
  }
}
