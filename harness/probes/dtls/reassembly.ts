import { TlsParseError } from '../tls/server-messages.js';

/** A whole handshake message, its fragments put back together (RFC 6347 §4.2.3). */
export interface HandshakeMessage {
  type: number;
  messageSeq: number;
  body: Buffer;
}

const FRAGMENT_HEADER = 12;
/** Enough for a long certificate chain; a server that announces more is not answering a hello. */
export const MAX_MESSAGE_BYTES = 128 * 1024;
/** Messages under reassembly at once; a flight of a server's first answer holds at most a handful. */
const MAX_MESSAGES = 16;

interface PendingMessage {
  type: number;
  body: Buffer;
  covered: Uint8Array;
  missing: number;
}

/**
 * Collects the handshake fragments of one flight, in whatever order and with whatever duplicates
 * they arrive, and yields each message once all its bytes are in. Bounded by MAX_MESSAGES and
 * MAX_MESSAGE_BYTES; a fragment that contradicts what came before is a TlsParseError.
 */
export class HandshakeReassembler {
  readonly #partial = new Map<number, PendingMessage>();
  readonly #complete = new Map<number, HandshakeMessage>();

  /** Takes the payload of one handshake record, which may hold several fragments. */
  add(payload: Buffer): void {
    let at = 0;
    while (at < payload.length) {
      if (payload.length - at < FRAGMENT_HEADER) throw new TlsParseError('handshake fragment header is truncated');
      const type = payload[at]!;
      const length = payload.readUIntBE(at + 1, 3);
      const messageSeq = payload.readUInt16BE(at + 4);
      const offset = payload.readUIntBE(at + 6, 3);
      const fragmentLength = payload.readUIntBE(at + 9, 3);
      const start = at + FRAGMENT_HEADER;
      if (payload.length - start < fragmentLength) throw new TlsParseError(`handshake fragment of message ${messageSeq} is truncated`);
      this.#take(type, length, messageSeq, offset, payload.subarray(start, start + fragmentLength));
      at = start + fragmentLength;
    }
  }

  message(messageSeq: number): HandshakeMessage | undefined {
    return this.#complete.get(messageSeq);
  }

  /** The complete message of this type with the lowest message_seq at or above `fromSeq`. */
  find(type: number, fromSeq = 0): HandshakeMessage | undefined {
    return [...this.#complete.values()].filter((m) => m.type === type && m.messageSeq >= fromSeq).sort((a, b) => a.messageSeq - b.messageSeq)[0];
  }

  #take(type: number, length: number, messageSeq: number, offset: number, fragment: Buffer): void {
    if (length > MAX_MESSAGE_BYTES) throw new TlsParseError(`handshake message ${messageSeq} announces ${length} bytes, more than ${MAX_MESSAGE_BYTES}`);
    if (offset + fragment.length > length) throw new TlsParseError(`handshake fragment of message ${messageSeq} runs past its ${length} bytes`);
    const done = this.#complete.get(messageSeq);
    if (done) {
      // A retransmission of a message already complete: only a contradiction matters.
      if (done.type !== type || done.body.length !== length) throw new TlsParseError(`handshake message ${messageSeq} changed type or length`);
      return;
    }
    let partial = this.#partial.get(messageSeq);
    if (!partial) {
      if (this.#partial.size + this.#complete.size >= MAX_MESSAGES) throw new TlsParseError(`more than ${MAX_MESSAGES} handshake messages in one flight`);
      partial = { type, body: Buffer.alloc(length), covered: new Uint8Array(length), missing: length };
      this.#partial.set(messageSeq, partial);
    } else if (partial.type !== type || partial.body.length !== length) {
      throw new TlsParseError(`handshake message ${messageSeq} changed type or length`);
    }
    fragment.copy(partial.body, offset);
    for (let i = offset; i < offset + fragment.length; i++) {
      if (partial.covered[i] === 0) {
        partial.covered[i] = 1;
        partial.missing--;
      }
    }
    if (partial.missing === 0) {
      this.#partial.delete(messageSeq);
      this.#complete.set(messageSeq, { type, messageSeq, body: partial.body });
    }
  }
}
