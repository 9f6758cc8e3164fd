import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, startDaemon, type Daemon, type ListenPlacement } from './daemons.js';
import { tempDir } from './run-profile.js';

export type CoapSecurity = 'psk' | 'pki' | 'none';

export interface CoapServer extends Daemon {
  host: string;
  /** The port to probe: the DTLS one for psk and pki, the plain CoAP one for none. */
  port: number;
  /** Plain CoAP over UDP; libcoap always listens there, and on port + 1 for DTLS when security is on. */
  plainPort: number;
  /** psk: the key (ASCII, as given to -k) and the identity hint the server sends. */
  psk: { key: string; hint: string } | null;
  /** pki: the server's self-signed EC P-256 certificate, PEM. */
  certificatePem: string | null;
}

/** libcoap's Debian binaries (libcoap3-bin); callers check requireBinaries for these first. */
export const COAP_SERVER_BINARIES = { 'coap-server-openssl': 'libcoap3-bin', 'coap-server-notls': 'libcoap3-bin', openssl: 'openssl' } as const;

const PSK_HINT = 'CoAP';
/** CoAP ping (RFC 7252 §1.2): an empty confirmable message, which a CoAP endpoint answers with a Reset. */
const COAP_PING = Buffer.from([0x40, 0x00, 0x4a, 0x53]);

/**
 * Real libcoap coap-server (4.3.1, OpenSSL build for psk and pki, the no-TLS build for none) on `host`.
 * psk uses the given key (ASCII) or a fresh random one; pki a fresh self-signed EC P-256 certificate for `host` (IP SAN), with
 * client certificates not asked for (-n). In a network namespace (`netns`), `port` is the plain CoAP port
 * (5683 as on a device; DTLS then on 5684), and readiness is the UDP socket shown by `ss` there.
 */
export async function startCoapServer(options: { host: string; security: CoapSecurity; psk?: string } & ListenPlacement): Promise<CoapServer> {
  const { host, security, netns } = options;
  const plainPort = options.port ?? (await freePortPair(host));
  const args = ['-A', host, '-p', String(plainPort), '-v', '6'];
  let psk: CoapServer['psk'] = null;
  let certificatePem: string | null = null;
  if (security === 'psk') {
    psk = { key: options.psk ?? randomBytes(12).toString('hex'), hint: PSK_HINT };
    args.push('-k', psk.key, '-h', psk.hint);
  } else if (security === 'pki') {
    const dir = tempDir('jcstar-coap-pki-');
    const [cert, key] = [join(dir, 'server.crt'), join(dir, 'server.key')];
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', key, '-out', cert, '-days', '30', '-subj', `/CN=${host}`, '-addext', `subjectAltName=IP:${host}`,
    ], { stdio: 'ignore' });
    certificatePem = readFileSync(cert, 'utf8');
    args.push('-c', cert, '-j', key, '-n');
  }
  // libcoap also listens on TCP at the same port; startDaemon's TCP readiness covers the process, the ping the UDP side.
  const binary = security === 'none' ? 'coap-server-notls' : 'coap-server-openssl';
  if (netns) {
    const daemon = await startDaemon(binary, args, host, plainPort, { netns, transport: 'udp' });
    return { ...daemon, host, port: security === 'none' ? plainPort : plainPort + 1, plainPort, psk, certificatePem };
  }
  const daemon = await startDaemon(binary, args, host, plainPort);
  try {
    await untilPingAnswered(host, plainPort);
  } catch (err) {
    await daemon.stop();
    throw err;
  }
  return { ...daemon, host, port: security === 'none' ? plainPort : plainPort + 1, plainPort, psk, certificatePem };
}

/** A port p such that p and p + 1 are both free for UDP and TCP on host (libcoap takes all four). */
async function freePortPair(host: string): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await freePort(host);
    if ((await udpFree(host, port)) && (await udpFree(host, port + 1)) && (await tcpFree(host, port + 1))) return port;
  }
  throw new Error(`no free pair of adjacent ports on ${host} after 20 tries`);
}

function tcpFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

function udpFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => (socket.close(), resolve(false)));
    socket.bind(port, host, () => socket.close(() => resolve(true)));
  });
}

/** Sends CoAP pings until one is answered: UDP has no connection to wait for. Bounded to 5 s. */
async function untilPingAnswered(host: string, port: number): Promise<void> {
  const socket = createSocket('udp4');
  let answered = false;
  socket.once('message', () => (answered = true));
  try {
    for (let i = 0; i < 50 && !answered; i++) {
      socket.send(COAP_PING, port, host);
      await sleep(100);
    }
  } finally {
    socket.close();
  }
  if (!answered) throw new Error(`coap-server on ${host}:${port}/udp did not answer a CoAP ping within 5 s`);
}
