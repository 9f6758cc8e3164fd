import { randomBytes } from 'node:crypto';
import { printable, recognised, type UdpPayload } from './payload.js';

const OPCODE = { rrq: 1, data: 3, error: 5, oack: 6 } as const;

/**
 * TFTP (RFC 1350): a read request, octet mode, for a random file name that cannot exist, so nothing is
 * transferred; a server answers with ERROR 1 (file not found), from a port of its own.
 */
export const TFTP_PAYLOAD: UdpPayload = {
  name: 'tftp-rrq-absent-file',
  answersFromAnotherPort: true,
  build: () => Buffer.concat([Buffer.from([0, OPCODE.rrq]), Buffer.from(`jcstar-${randomBytes(6).toString('hex')}\0octet\0`, 'ascii')]),
  recognise(answer) {
    if (answer.length < 4 || answer[0] !== 0) return null;
    const opcode = answer[1]!;
    if (opcode === OPCODE.error) {
      const message = printable(answer.subarray(4, 4 + 512).toString('latin1').split('\0')[0] ?? '');
      const code = String(answer.readUInt16BE(2));
      return recognised('tftp', null, { banner: `TFTP ERROR ${code}${message ? ` ${message}` : ''}`, details: { 'tftp.error': code, 'tftp.message': message } });
    }
    // A DATA block or an option acknowledgement: the server offered to send a file by that name.
    if (opcode === OPCODE.data || opcode === OPCODE.oack) return recognised('tftp', null, { banner: `TFTP ${opcode === OPCODE.data ? 'DATA' : 'OACK'}`, details: { 'tftp.answer': opcode === OPCODE.data ? 'data' : 'oack' } });
    return null;
  },
};
