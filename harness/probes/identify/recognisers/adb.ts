import { printable } from '../excerpt.js';
import type { Recogniser } from '../recogniser.js';

/** ADB's transport (AOSP adb/protocol.txt): 24-byte header of six little-endian words, then data. */
const A_CNXN = 0x4e584e43;
const A_AUTH = 0x48545541;
const A_VERSION = 0x01000000;
const MAX_PAYLOAD = 256 * 1024;
const HEADER = 24;

function message(command: number, arg0: number, arg1: number, data: Buffer): Buffer {
  const header = Buffer.alloc(HEADER);
  header.writeUInt32LE(command, 0);
  header.writeUInt32LE(arg0, 4);
  header.writeUInt32LE(arg1, 8);
  header.writeUInt32LE(data.length, 12);
  header.writeUInt32LE(data.reduce((sum, b) => sum + b, 0), 16);
  header.writeUInt32LE((command ^ 0xffffffff) >>> 0, 20);
  return Buffer.concat([header, data]);
}

function command(reply: Buffer): number | null {
  if (reply.length < HEADER) return null;
  const cmd = reply.readUInt32LE(0);
  return (cmd === A_CNXN || cmd === A_AUTH) && reply.readUInt32LE(20) === (cmd ^ 0xffffffff) >>> 0 ? cmd : null;
}

/** A device's adbd answers the host's CNXN with its own (open: a shell for anyone) or with AUTH (RSA key wanted). */
export const adb: Recogniser = {
  service: 'adb',
  probe: {
    name: 'adb CNXN',
    payload: () => message(A_CNXN, A_VERSION, MAX_PAYLOAD, Buffer.from('host::\0')),
    complete: (reply) => reply.length >= HEADER && reply.length >= HEADER + reply.readUInt32LE(12),
  },
  recognises: (reply, probe) => probe === 'adb CNXN' && command(reply) !== null,
  async describe(reply, s) {
    const cmd = command(reply);
    s.identity.service = 'adb';
    s.speaks(null, null);
    if (cmd === A_AUTH) {
      s.identity.auth = 'publickey';
      s.identity.banner = 'AUTH (RSA key wanted)';
      return;
    }
    const banner = printable(reply.subarray(HEADER, HEADER + reply.readUInt32LE(12)).toString('latin1').replace(/\0+$/, ''), 200);
    s.identity.auth = 'none';
    s.identity.banner = banner;
    s.identity.details['adb.banner'] = banner;
    const model = /ro\.product\.model=([^;]*)/.exec(banner)?.[1];
    if (model) s.identity.details['adb.model'] = model;
  },
};
