import { printable } from '../excerpt.js';
import type { Probe, Recogniser } from '../recogniser.js';

/** RFC 8323 §3.2 framing: Len|TKL, extended length, code, token, options and payload. */
interface TcpMessage {
  code: number;
  options: number[];
  payload: Buffer;
  /** The options end exactly where the message does, or at a payload marker. */
  wellFormed: boolean;
}

const CSM = 0xe1; // 7.01
const CONTENT = 0x45; // 2.05
const PAYLOAD_MARKER = 0xff;
/** Options a CSM may carry: Max-Message-Size, Block-Wise-Transfer (§5.3.1, §5.3.2), Extended-Token-Length (RFC 8974). */
const CSM_OPTIONS = new Set([2, 4, 6]);
const MAX_MESSAGE_SIZE = 2;
const EXTENDED_LENGTH: Record<number, [bytes: number, offset: number]> = { 13: [1, 13], 14: [2, 269], 15: [4, 65805] };

/** An empty CSM, then GET /.well-known/core (RFC 6690) with a one-byte token; a client may send both at once (§5.3). */
const PROBE = Buffer.concat([
  Buffer.from([0x00, CSM]),
  Buffer.from([0xd1, 17 - 13, 0x01, 0x42, 0xbb]), Buffer.from('.well-known'), Buffer.from([0x04]), Buffer.from('core'),
]);

function readUint(buf: Buffer, at: number, bytes: number): number {
  let n = 0;
  for (let i = 0; i < bytes; i++) n = n * 256 + (buf[at + i] ?? 0);
  return n;
}

/** Option numbers and the payload after them (§3.2, RFC 7252 §3.1). */
function optionsAndPayload(body: Buffer): { options: number[]; payload: Buffer; wellFormed: boolean } {
  const options: number[] = [];
  let at = 0;
  let number = 0;
  while (at < body.length && body[at] !== PAYLOAD_MARKER) {
    const byte = body[at] ?? 0;
    at += 1;
    const [delta, length] = [byte >> 4, byte & 0x0f].map((nibble) => {
      const extra = nibble === 13 ? 1 : nibble === 14 ? 2 : 0;
      const value = extra === 0 ? nibble : readUint(body, at, extra) + (extra === 1 ? 13 : 269);
      at += extra;
      return value;
    }) as [number, number];
    number += delta;
    options.push(number);
    at += length;
  }
  return { options, payload: body.subarray(Math.min(at + 1, body.length)), wellFormed: at <= body.length };
}

/** The whole messages at the start of `reply`; stops at the first incomplete or malformed one. */
function messages(reply: Buffer): TcpMessage[] {
  const found: TcpMessage[] = [];
  let at = 0;
  while (at + 2 <= reply.length && found.length < 8) {
    const first = reply[at] ?? 0;
    const [extra, offset] = EXTENDED_LENGTH[first >> 4] ?? [0, first >> 4];
    const length = extra === 0 ? offset : readUint(reply, at + 1, extra) + offset;
    const tokenLength = first & 0x0f;
    if (tokenLength > 8) break;
    const codeAt = at + 1 + extra;
    const end = codeAt + 1 + tokenLength + length;
    if (end > reply.length) break;
    found.push({ code: reply[codeAt] ?? 0, ...optionsAndPayload(reply.subarray(codeAt + 1 + tokenLength, end)) });
    at = end;
  }
  return found;
}

/**
 * A well-formed CSM with only CSM options and no payload. Unasked, it must also state its
 * Max-Message-Size (as libcoap's does), so that random bytes from a hostile port hardly ever pass for one.
 */
function isCsm(message: TcpMessage | undefined, unasked: boolean): boolean {
  if (message === undefined || message.code !== CSM || !message.wellFormed || message.payload.length > 0) return false;
  return message.options.every((o) => CSM_OPTIONS.has(o)) && (!unasked || message.options.includes(MAX_MESSAGE_SIZE));
}

function codeName(code: number): string {
  return `${code >> 5}.${String(code & 0x1f).padStart(2, '0')}`;
}

/** CoAP over TCP or TLS (RFC 8323): the server's first message is its CSM (§5.3), then the answer to GET. */
const CSM_PROBE: Probe = { name: 'coap+tcp CSM', payload: () => PROBE, complete: (reply) => messages(reply).some((m) => m.code !== CSM) };

export const coapTcp: Recogniser = {
  service: 'coap+tcp',
  probe: CSM_PROBE,
  // Both ends send their CSM at once (§5.3), so libcoap's comes unasked; a CSM-looking reply to another probe proves nothing.
  recognises: (reply, probe) => (probe === null || probe === CSM_PROBE.name) && isCsm(messages(reply)[0], probe === null),
  async describe(first, s, probe) {
    const reply = probe === CSM_PROBE.name ? first : (await s.exchange(CSM_PROBE)).bytes;
    const answer = messages(reply).find((m) => m.code !== CSM);
    s.identity.service = 'coap+tcp';
    s.speaks(null, null);
    s.identity.banner = `CSM${answer ? `, GET /.well-known/core ${codeName(answer.code)}` : ''}`;
    if (answer === undefined) return;
    s.identity.details['coap.well-known-core'] = `${codeName(answer.code)} ${printable(answer.payload, 200)}`;
    if (answer.code === CONTENT) s.identity.auth = 'none';
  },
};
