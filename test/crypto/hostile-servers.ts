import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';

/**
 * Hand-built servers that break the certificate and key exchange steps the crypto checks rely on, for
 * hostile-device tests. Each reads what it needs of the client's first flight and answers in kind; every
 * socket they hold is destroyed on close, so no test leaves one behind.
 */

export interface HostileServer {
  port: number;
  close(): Promise<void>;
}

async function serve(host: string, onConnection: (socket: Socket) => void): Promise<HostileServer> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => socket.destroy());
    socket.once('close', () => sockets.delete(socket));
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

const u16 = (n: number) => Buffer.from([n >> 8, n & 0xff]);
const u24 = (n: number) => Buffer.from([n >> 16, (n >> 8) & 0xff, n & 0xff]);
const u32 = (n: number) => Buffer.from([n >>> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]);

/** What a TLS 1.2 server does with its Certificate message. */
export type CertificateMisbehaviour = 'empty' | 'malformed';

const TLS12 = 0x0303;
const ECDHE_RSA_WITH_AES_128_GCM_SHA256 = 0xc02f;
const SUPPORTED_GROUPS = [0x0017, 0x001d];

interface ClientHello {
  version: number;
  suites: number[];
  groups: number[] | null;
  supportedVersions: number[] | null;
}

/** The parts of a ClientHello (RFC 5246 §7.4.1.2) this fake answers on; null while incomplete. */
function readClientHello(bytes: Buffer): ClientHello | null {
  if (bytes.length < 9) return null;
  const recordLength = bytes.readUInt16BE(3);
  if (bytes.length < 5 + recordLength) return null;
  const body = bytes.subarray(9, 5 + recordLength);
  let at = 0;
  const version = body.readUInt16BE(at);
  at += 2 + 32;
  at += 1 + body[at]!;
  const suitesLength = body.readUInt16BE(at);
  const suites: number[] = [];
  for (let i = 0; i < suitesLength; i += 2) suites.push(body.readUInt16BE(at + 2 + i));
  at += 2 + suitesLength;
  at += 1 + body[at]!;
  let groups: number[] | null = null;
  let supportedVersions: number[] | null = null;
  if (at + 2 <= body.length) {
    const end = at + 2 + body.readUInt16BE(at);
    at += 2;
    while (at + 4 <= end) {
      const type = body.readUInt16BE(at);
      const data = body.subarray(at + 4, at + 4 + body.readUInt16BE(at + 2));
      at += 4 + data.length;
      if (type === 0x000a) groups = Array.from({ length: data.readUInt16BE(0) / 2 }, (_, i) => data.readUInt16BE(2 + 2 * i));
      if (type === 0x002b) supportedVersions = Array.from({ length: data[0]! / 2 }, (_, i) => data.readUInt16BE(1 + 2 * i));
    }
  }
  return { version, suites, groups, supportedVersions };
}

const record = (type: number, fragment: Buffer) => Buffer.concat([Buffer.from([type]), u16(TLS12), u16(fragment.length), fragment]);
const handshake = (type: number, body: Buffer) => Buffer.concat([Buffer.from([type]), u24(body.length), body]);
const alert = (description: number) => record(21, Buffer.from([2, description]));

function serverFlight(group: number, certificate: CertificateMisbehaviour): Buffer {
  const renegotiationInfo = Buffer.from([0xff, 0x01, 0x00, 0x01, 0x00]);
  const serverHello = Buffer.concat([u16(TLS12), randomBytes(32), Buffer.from([0]), u16(ECDHE_RSA_WITH_AES_128_GCM_SHA256), Buffer.from([0]), u16(renegotiationInfo.length), renegotiationInfo]);
  // Empty: a certificate_list of length 0. Malformed: a list that claims 100 bytes and holds 3.
  const certificateBody = certificate === 'empty' ? u24(0) : Buffer.concat([u24(100), Buffer.from([1, 2, 3])]);
  const publicKey = randomBytes(group === 0x001d ? 32 : 65);
  const serverKeyExchange = Buffer.concat([Buffer.from([3]), u16(group), Buffer.from([publicKey.length]), publicKey, u16(0x0401), u16(64), randomBytes(64)]);
  return record(22, Buffer.concat([handshake(2, serverHello), handshake(11, certificateBody), handshake(12, serverKeyExchange), handshake(14, Buffer.alloc(0))]));
}

/**
 * A TLS 1.2 server with one suite, ECDHE_RSA_WITH_AES_128_GCM_SHA256, whose Certificate message is
 * empty or does not parse; it refuses every other version and suite with an alert, as a server would.
 */
export function startCertificateMisbehaving(host: string, certificate: CertificateMisbehaviour): Promise<HostileServer> {
  return serve(host, (socket) => {
    let received = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received[0] !== 22) return void socket.destroy();
      let hello: ClientHello | null;
      try {
        hello = readClientHello(received);
      } catch {
        return void socket.destroy();
      }
      if (!hello) return;
      socket.removeAllListeners('data');
      socket.on('data', () => {});
      const speaksTls12 = hello.supportedVersions ? hello.supportedVersions.includes(TLS12) : hello.version === TLS12;
      const group = (hello.groups ?? SUPPORTED_GROUPS).find((g) => SUPPORTED_GROUPS.includes(g));
      if (!speaksTls12) return void socket.end(alert(70));
      if (!hello.suites.includes(ECDHE_RSA_WITH_AES_128_GCM_SHA256) || group === undefined) return void socket.end(alert(40));
      socket.write(serverFlight(group, certificate));
    });
  });
}

/** An SSH binary packet (RFC 4253 §6) without encryption or MAC. */
function sshPacket(payload: Buffer): Buffer {
  const padding = 8 - ((payload.length + 5) % 8) + 8;
  return Buffer.concat([u32(payload.length + padding + 1), Buffer.from([padding]), payload, randomBytes(padding)]);
}

const nameList = (names: string[]) => Buffer.concat([u32(Buffer.byteLength(names.join(','))), Buffer.from(names.join(','))]);

/** The host key algorithms the SSH fake offers: one of each kind whose size the rules judge. */
export const GARBAGE_SSH_HOST_KEYS = ['ecdsa-sha2-nistp256', 'rsa-sha2-512', 'ssh-ed25519'];

/**
 * An SSH server that sends a clean identification and KEXINIT with random bytes right behind it, then
 * answers the client's key exchange with more random bytes, a little at a time, until the client goes away.
 */
export function startKexinitThenGarbage(host: string): Promise<HostileServer> {
  return serve(host, (socket) => {
    const kexinit = Buffer.concat([
      Buffer.from([20]),
      randomBytes(16),
      nameList(['curve25519-sha256', 'kex-strict-s-v00@openssh.com']),
      nameList(GARBAGE_SSH_HOST_KEYS),
      nameList(['aes256-gcm@openssh.com']),
      nameList(['aes256-gcm@openssh.com']),
      nameList(['hmac-sha2-256-etm@openssh.com']),
      nameList(['hmac-sha2-256-etm@openssh.com']),
      nameList(['none']),
      nameList(['none']),
      nameList([]),
      nameList([]),
      Buffer.from([0]),
      u32(0),
    ]);
    socket.write(Buffer.concat([Buffer.from('SSH-2.0-Hostile_1.0\r\n'), sshPacket(kexinit), randomBytes(64)]));
    let timer: NodeJS.Timeout | undefined;
    socket.once('data', () => {
      timer = setInterval(() => socket.writable && socket.write(randomBytes(256)), 50);
    });
    socket.on('data', () => {});
    socket.once('close', () => clearInterval(timer));
  });
}
