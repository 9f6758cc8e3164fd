import type { Duplex } from 'node:stream';

/**
 * Caps what a broker may send on one connection. The MQTT parser buffers a whole packet before it
 * hands it over, whatever length the packet announces (up to 256 MB), so a broker that announces a huge
 * packet and keeps sending would grow jcstar's memory; past `limit` bytes the stream is destroyed.
 */
export interface ReceivedCap {
  /** Why the connection was cut, or null while under the cap. */
  exceeded(): string | null;
}

export function capReceived(stream: Duplex, limit: number): ReceivedCap {
  let received = 0;
  let reason: string | null = null;
  stream.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (reason === null && received > limit) {
      reason = `the broker sent more than ${limit} bytes on one connection (a packet without end?); jcstar stopped reading and closed`;
      stream.destroy();
    }
  });
  return { exceeded: () => reason };
}
