import { randomBytes } from 'node:crypto';
import { recognised, type UdpPayload } from './payload.js';

const MODE = { client: 3, server: 4 } as const;

/**
 * NTP (RFC 5905): a version 4 client-mode packet whose transmit timestamp is random. A server answers in
 * mode 4 with that timestamp as its origin, which tells a real answer from an echo or a stray packet.
 */
export const NTP_PAYLOAD: UdpPayload = {
  name: 'ntp-client',
  build: () => {
    const packet = Buffer.alloc(48);
    packet[0] = (4 << 3) | MODE.client;
    randomBytes(8).copy(packet, 40);
    return packet;
  },
  recognise(answer, request) {
    if (answer.length < 48 || (answer[0]! & 0x07) !== MODE.server || !answer.subarray(24, 32).equals(request.subarray(40, 48))) return null;
    const stratum = answer[1]!;
    const refid = answer.subarray(12, 16);
    // Stratum 0 (a kiss-o'-death) and 1 carry ASCII (a kiss code, a reference clock); above, an IPv4 address or hash.
    const reference = stratum <= 1 ? refid.toString('latin1').replace(/\0+$/, '') : [...refid].join('.');
    const version = (answer[0]! >> 3) & 0x07;
    return recognised('ntp', null, { banner: `NTPv${version} stratum ${stratum}`, details: { 'ntp.version': String(version), 'ntp.stratum': String(stratum), 'ntp.refid': reference } });
  },
};
