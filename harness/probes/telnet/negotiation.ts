import type { Negotiation } from './codec.js';

const ECHO = 1;
const SGA = 3;

/** Options the server may perform: its echo (so the password is not echoed by us) and no go-aheads. */
const SERVER_MAY = new Set([ECHO, SGA]);
/** Options jcstar performs when asked: only suppressing go-aheads. No terminal type, size or environment. */
const CLIENT_WILL = new Set([SGA]);

/**
 * The client side of option negotiation: refuse everything a login does not need. It remembers what is
 * enabled and answers only changes, so a server repeating itself cannot start a negotiation loop (RFC 1143).
 */
export class OptionNegotiator {
  readonly #serverEnabled = new Set<number>();
  readonly #clientEnabled = new Set<number>();

  /** The reply to one request, or null where none is due. */
  answer(verb: Negotiation, option: number): { verb: Negotiation; option: number } | null {
    switch (verb) {
      case 'WILL':
        if (!SERVER_MAY.has(option)) return { verb: 'DONT', option };
        if (this.#serverEnabled.has(option)) return null;
        this.#serverEnabled.add(option);
        return { verb: 'DO', option };
      case 'WONT':
        return this.#serverEnabled.delete(option) ? { verb: 'DONT', option } : null;
      case 'DO':
        if (!CLIENT_WILL.has(option)) return { verb: 'WONT', option };
        if (this.#clientEnabled.has(option)) return null;
        this.#clientEnabled.add(option);
        return { verb: 'WILL', option };
      case 'DONT':
        return this.#clientEnabled.delete(option) ? { verb: 'WONT', option } : null;
    }
  }
}
