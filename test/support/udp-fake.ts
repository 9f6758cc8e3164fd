import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';

/** How a fake answers one datagram: with datagrams sent back from its port (the usual case), or by itself. */
export type UdpAnswerer = (request: Buffer, from: RemoteInfo, socket: Socket) => Buffer[];

export interface UdpFake {
  host: string;
  port: number;
  /** Datagrams the fake has received. */
  received(): number;
  close(): Promise<void>;
}

/** An in-process UDP service on host (a free port unless one is given) that answers with `answer`. */
export function startUdpFake(host: string, answer: UdpAnswerer, port = 0): Promise<UdpFake> {
  const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
  let received = 0;
  socket.on('message', (request, from) => {
    received++;
    for (const datagram of answer(request, from, socket)) socket.send(datagram, from.port, from.address);
  });
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, host, () => {
      socket.off('error', reject);
      socket.on('error', () => {});
      resolve({
        host,
        port: socket.address().port,
        received: () => received,
        close: () => new Promise<void>((done) => socket.close(() => done())),
      });
    });
  });
}

/** A UDP port on host with nothing bound to it, so that the kernel answers ICMP port unreachable. */
export async function closedUdpPort(host: string): Promise<number> {
  const fake = await startUdpFake(host, () => []);
  await fake.close();
  return fake.port;
}
