import { rtspUrl } from '../../rtsp/message.js';
import { firstLine, printable } from '../excerpt.js';
import { challengeScheme, messageComplete, readMessageHead, type MessageHead } from '../message-head.js';
import type { Probe, Recogniser } from '../recogniser.js';

function request(method: string, cseq: number, extra = ''): Probe {
  return {
    name: `rtsp ${method}`,
    payload: (s) => Buffer.from(`${method} ${rtspUrl(s.host, s.port, '/')} RTSP/1.0\r\nCSeq: ${cseq}\r\nUser-Agent: jcstar\r\n${extra}\r\n`, 'latin1'),
    complete: (reply) => messageComplete(reply, 'no-body'),
  };
}

const OPTIONS = request('OPTIONS', 1);
const DESCRIBE = request('DESCRIBE', 2, 'Accept: application/sdp\r\n');

function isRtsp(reply: Buffer): boolean {
  return readMessageHead(reply)?.version.startsWith('RTSP') === true;
}

function authShown(head: MessageHead): 'basic' | 'digest' | 'none' | null {
  if (head.status === 401) return challengeScheme(head.challenges);
  return head.status === 200 ? 'none' : null;
}

/** OPTIONS (RFC 2326 §10.1) names the server; cameras often answer it freely and guard DESCRIBE, so that is asked too. */
export const rtsp: Recogniser = {
  service: 'rtsp',
  probe: OPTIONS,
  recognises: isRtsp,
  async describe(first, s, probe) {
    s.identity.service = 'rtsp';
    s.speaks('rtsp', 'rtsps');
    // An RTSP answer to an HTTP GET names RTSP; what OPTIONS shows needs OPTIONS.
    const reply = probe === OPTIONS.name ? first : (await s.exchange(OPTIONS)).bytes;
    const head = isRtsp(reply) ? readMessageHead(reply) : null;
    if (head === null) return;
    const { details } = s.identity;
    s.identity.banner = firstLine(reply);
    details['rtsp.status'] = String(head.status);
    if (head.fields['server'] !== undefined) s.identity.product = details['rtsp.server'] = printable(head.fields['server'], 160);
    if (head.fields['public'] !== undefined) details['rtsp.public'] = printable(head.fields['public'], 200);
    if (head.status === 401) {
      s.identity.auth = authShown(head);
      return;
    }
    const described = readMessageHead((await s.exchange(DESCRIBE)).bytes);
    if (described === null) return;
    details['rtsp.describe.status'] = String(described.status);
    s.identity.auth = authShown(described);
  },
};
