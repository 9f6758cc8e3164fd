import { createSocket } from 'node:dgram';
import { generate, parse } from 'coap-packet';
import type { RunningService } from '../tcp.js';

/**
 * A CoAP server whose every resource is a block-wise transfer without end (RFC 7959): each GET is
 * answered with the block asked for, 1024 bytes of link-format, and the "more blocks" flag set, forever.
 * A client that follows Block2 and joins the blocks in memory grows without bound unless it stops.
 */

const BLOCK_SIZE = 1024;
/** SZX for 1024-byte blocks: size = 2^(SZX + 4). */
const SZX = 6;
const PAYLOAD = Buffer.from('</x>;rt="x",'.repeat(Math.ceil(BLOCK_SIZE / 12))).subarray(0, BLOCK_SIZE);

function blockNumber(value: Buffer | undefined): number {
  if (!value || value.length === 0) return 0;
  return value.reduce((n, byte) => n * 256 + byte, 0) >> 4;
}

/** Block2 value: NUM, M = 1, SZX, in as few bytes as it takes. */
function block2(num: number): Buffer {
  const value = (num << 4) | (1 << 3) | SZX;
  return value <= 0xff ? Buffer.of(value) : value <= 0xffff ? Buffer.of(value >> 8, value & 0xff) : Buffer.of(value >> 16, (value >> 8) & 0xff, value & 0xff);
}

export async function startEndlessCoapServer(host = '127.0.0.1'): Promise<RunningService & { blocksSent(): number }> {
  const socket = createSocket({ type: 'udp4' });
  let sent = 0;
  socket.on('error', () => { /* ICMP unreachable and friends */ });
  socket.on('message', (message, remote) => {
    try {
      const request = parse(message);
      const asked = request.options.find((o) => o.name === 'Block2')?.value;
      sent++;
      socket.send(generate({
        messageId: request.messageId,
        token: request.token,
        code: '2.05',
        ack: request.confirmable,
        confirmable: false,
        options: [{ name: 'Content-Format', value: Buffer.of(40) }, { name: 'Block2', value: block2(blockNumber(asked)) }],
        payload: PAYLOAD,
      }), remote.port, remote.address);
    } catch {
      // not CoAP: nothing to answer
    }
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ port: 0, address: host, exclusive: true }, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  return {
    port: socket.address().port,
    blocksSent: () => sent,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
