import { randomBytes } from 'node:crypto';
import { recognised, type UdpPayload } from './payload.js';

/** Matter core specification §4.4 (message format) and §4.12 (Message Reliability Protocol). */
const FLAG_SOURCE_NODE = 0x04;
const EXCHANGE = { initiator: 0x01, ack: 0x02, reliable: 0x04 } as const;
const SECURE_CHANNEL = 0x0000;
const OPCODE = { standaloneAck: 0x10, statusReport: 0x40 } as const;
/** Message header: flags, session ID 0 (unsecured), security flags, counter, 8-byte source node ID. */
const HEADER = 16;

/**
 * Matter: an unsolicited, reliable Secure Channel StatusReport on the unsecured session (session ID 0),
 * from a random ephemeral node ID. No session is needed for it: a node that has no handler for the
 * message still acknowledges it with an MRP StandaloneAck (§4.12; connectedhomeip's ExchangeManager
 * creates a temporary exchange just to send that ack), and a StatusReport starts no PASE or CASE state.
 */
export const MATTER_PAYLOAD: UdpPayload = {
  name: 'matter-unsecured-status-report',
  build: () => {
    const header = Buffer.alloc(HEADER);
    header[0] = FLAG_SOURCE_NODE;
    randomBytes(4).copy(header, 4);
    randomBytes(8).copy(header, 8);
    const exchange = Buffer.alloc(6);
    exchange[0] = EXCHANGE.initiator | EXCHANGE.reliable;
    exchange[1] = OPCODE.statusReport;
    randomBytes(2).copy(exchange, 2);
    exchange.writeUInt16LE(SECURE_CHANNEL, 4);
    // StatusReport: general code SUCCESS (0), protocol ID 0 (Secure Channel), protocol code 0.
    const status = Buffer.from([0, 0, 0, 0, 0, 0, 0, 0]);
    return Buffer.concat([header, exchange, status]);
  },
  recognise(answer, request) {
    if (answer.length < 8 || (answer[0]! & 0xf0) !== 0 || answer.readUInt16LE(1) !== 0) return null;
    const at = 8 + (answer[0]! & FLAG_SOURCE_NODE ? 8 : 0) + ((answer[0]! & 0x03) === 1 ? 8 : (answer[0]! & 0x03) === 2 ? 2 : 0);
    if (answer.length < at + 6) return null;
    const flags = answer[at]!;
    const opcode = answer[at + 1]!;
    const protocol = answer.readUInt16LE(at + 4);
    const afterVendor = at + 6 + (flags & 0x10 ? 2 : 0);
    const acked = flags & EXCHANGE.ack && answer.length >= afterVendor + 4 ? answer.readUInt32LE(afterVendor) : null;
    // Only the acknowledgement of our own message counter counts: an echo has no A flag and our opcode.
    if (protocol !== SECURE_CHANNEL || acked !== request.readUInt32LE(4)) return null;
    const what = opcode === OPCODE.standaloneAck ? 'StandaloneAck' : `Secure Channel opcode 0x${opcode.toString(16)}`;
    return recognised('matter', null, { banner: `Matter ${what}`, details: { 'matter.answer': what } });
  },
};
