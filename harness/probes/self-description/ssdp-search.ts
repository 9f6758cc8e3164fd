import type { RemoteInfo } from 'node:dgram';
import type { GuardedNetwork } from '../../net/network.js';

/**
 * A unicast SSDP M-SEARCH (UPnP Device Architecture 2.0 §1.3.2) to the device's port: the answer's
 * LOCATION names its device description, SERVER its operating system and UPnP stack.
 */

const MAX_ANSWERS = 8;
const ANSWER_CHARS = 1024;
const AFTER_FIRST_ANSWER_MS = 300;

export interface SsdpSearchRead {
  outcome: 'answered' | 'no-answer';
  /** LOCATION headers, in the order they came, without duplicates. */
  locations: string[];
  servers: string[];
  sent: string;
  received: string;
  detail: string;
}

function header(answer: string, name: string): string | null {
  const m = new RegExp(`^${name}[ \\t]*:[ \\t]*(.{1,512}?)[ \\t]*$`, 'im').exec(answer);
  return m?.[1] ?? null;
}

export async function searchSsdp(net: GuardedNetwork, target: { host: string; port: number; signal: AbortSignal; timeoutMs: number }): Promise<SsdpSearchRead> {
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  const request = ['M-SEARCH * HTTP/1.1', `HOST: ${host}:${target.port}`, 'MAN: "ssdp:discover"', 'ST: upnp:rootdevice', 'USER-AGENT: jcstar UPnP/2.0', '', ''].join('\r\n');
  const socket = net.udpSocket(target.host.includes(':') ? 'udp6' : 'udp4');
  const answers: string[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        target.signal.removeEventListener('abort', done);
        resolve();
      };
      let timer = setTimeout(done, target.timeoutMs);
      target.signal.addEventListener('abort', done, { once: true });
      socket.on('message', (datagram: Buffer, from: RemoteInfo) => {
        if (from.address !== target.host) return;
        answers.push(datagram.subarray(0, ANSWER_CHARS).toString('latin1'));
        if (answers.length >= MAX_ANSWERS) return done();
        // A unicast search is answered at once: the other root devices' answers come right behind the first.
        if (answers.length === 1) {
          clearTimeout(timer);
          timer = setTimeout(done, Math.min(AFTER_FIRST_ANSWER_MS, target.timeoutMs));
        }
      });
      try {
        socket.send(request, target.port, target.host);
      } catch (err) {
        clearTimeout(timer);
        reject(err);
      }
    });
  } finally {
    socket.close();
  }
  const unique = (values: Array<string | null>) => [...new Set(values.filter((v): v is string => v !== null))];
  const locations = unique(answers.map((a) => header(a, 'LOCATION')));
  const servers = unique(answers.map((a) => header(a, 'SERVER')));
  return {
    outcome: answers.length > 0 ? 'answered' : 'no-answer',
    locations,
    servers,
    sent: request,
    received: answers.join('\n') || `no answer within ${target.timeoutMs} ms`,
    detail: answers.length > 0 ? `${answers.length} answer(s), LOCATION ${locations.join(', ') || '(none)'}` : `no SSDP answer within ${target.timeoutMs} ms`,
  };
}
