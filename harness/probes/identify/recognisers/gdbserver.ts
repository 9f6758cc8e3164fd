import { printable } from '../excerpt.js';
import type { Recogniser } from '../recogniser.js';

/** `?` asks why the target stopped (GDB Remote Serial Protocol, E.1); a stub answers with a stop reply packet. */
const QUERY = Buffer.from('$?#3f');
const PACKET = /^\+?\$([^#]{0,400})#[0-9a-fA-F]{2}/;

/** A gdbserver (or any RSP stub) on the network: full control of the process, with no authentication at all. */
export const gdbserver: Recogniser = {
  service: 'gdbserver',
  probe: { name: 'gdb $?', payload: () => QUERY, complete: (reply) => PACKET.test(reply.toString('latin1')) },
  recognises: (reply, probe) => probe === 'gdb $?' && PACKET.test(reply.toString('latin1')),
  async describe(reply, s) {
    const packet = PACKET.exec(reply.toString('latin1'))?.[1] ?? '';
    s.identity.service = 'gdbserver';
    s.speaks(null, null);
    s.identity.auth = 'none';
    s.identity.banner = `stop reply ${printable(packet, 60)}`;
    s.identity.details['gdb.stop-reply'] = printable(packet, 200);
  },
};
