import type { RemoteInfo } from 'node:dgram';
import type { GuardedNetwork } from '../../net/network.js';
import { elapsed } from '../auth-observation.js';
import { SnmpDecodeError, decodeSnmpDatagram, type SnmpDatagram } from './message.js';

export interface SnmpTarget {
  host: string;
  port: number;
  signal: AbortSignal;
  /** For the whole exchange, retransmissions included: past it the agent counts as silent. */
  timeoutMs: number;
}

/** Requests sent in all: the first and its retransmissions, spread over the timeout, as SNMP managers retry over UDP. */
const TRANSMISSIONS = 3;
/** Datagrams from the device that are not the answer (another request, garbage) are described, up to this many. */
const MAX_IGNORED = 32;

export interface SnmpAnswer {
  outcome: 'answered' | 'no-answer' | 'aborted';
  message: SnmpDatagram | null;
  /** The answer's bytes as received: an authentication tag is verified over them. */
  datagram: Buffer | null;
  detail: string;
  /** Datagrams from the agent that were not the answer: undecodable, or for another request. */
  ignored: string[];
  latencyMs: number;
}

/**
 * Sends `request` from a guarded UDP socket and waits for the first datagram from host:port that
 * decodes and that `isAnswer` accepts. UDP gives no refusal: silence is the only other outcome.
 */
export async function exchangeSnmp(net: GuardedNetwork, target: SnmpTarget, request: Buffer, isAnswer: (message: SnmpDatagram) => boolean): Promise<SnmpAnswer> {
  const started = process.hrtime.bigint();
  const socket = net.udpSocket(target.host.includes(':') ? 'udp6' : 'udp4');
  const ignored: string[] = [];
  let transmissions = 0;
  try {
    return await new Promise<SnmpAnswer>((resolve, reject) => {
      const stop = () => {
        clearInterval(resend);
        clearTimeout(timer);
        target.signal.removeEventListener('abort', onAbort);
      };
      const settle = (outcome: SnmpAnswer['outcome'], message: SnmpDatagram | null, detail: string, datagram: Buffer | null = null) => {
        stop();
        resolve({ outcome, message, datagram, detail, ignored, latencyMs: elapsed(started) });
      };
      const send = () => {
        if (transmissions >= TRANSMISSIONS) return;
        try {
          socket.send(request, target.port, target.host);
          transmissions++;
        } catch (err) {
          // A ScopeViolation: nothing left, and nothing more may.
          stop();
          reject(err);
        }
      };
      const onAbort = () => settle('aborted', null, 'aborted');
      socket.on('message', (datagram: Buffer, from: RemoteInfo) => {
        if (from.address !== target.host || from.port !== target.port) return;
        let message: SnmpDatagram;
        try {
          message = decodeSnmpDatagram(datagram);
        } catch (err) {
          if (ignored.length < MAX_IGNORED) ignored.push(`${datagram.length} bytes: ${err instanceof SnmpDecodeError ? err.message : 'not an SNMP message'}`);
          return;
        }
        if (isAnswer(message)) settle('answered', message, 'answered', datagram);
        else if (ignored.length < MAX_IGNORED) ignored.push(`${datagram.length} bytes: ${'encryptedPdu' in message ? `an encrypted SNMPv3 message for msgID ${message.messageId}` : `an SNMP ${message.version} ${message.pdu.type} for request-id ${message.pdu.requestId}`}`);
      });
      const timer = setTimeout(() => settle('no-answer', null, `no SNMP answer within ${target.timeoutMs} ms (${transmissions} datagram(s) sent)`), target.timeoutMs);
      const resend = setInterval(send, Math.max(1, Math.floor(target.timeoutMs / TRANSMISSIONS)));
      if (target.signal.aborted) return onAbort();
      target.signal.addEventListener('abort', onAbort, { once: true });
      send();
    });
  } finally {
    socket.close();
  }
}
