import { PASSWORD_INPUT } from '../../http/csrf.js';
import { firstLine, printable, printableText } from '../excerpt.js';
import { challengeScheme, messageComplete, readMessageHead } from '../message-head.js';
import type { Probe, Recogniser } from '../recogniser.js';
import { describeOnvif } from './onvif.js';
import { describeUpnp } from './upnp.js';

const TITLE = /<title[^>]*>([^<]{0,300})</i;

function hostField(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** GET / (RFC 9110): server, title and how / is protected; then the UPnP description and ONVIF, which a device serves over it. */
const GET: Probe = {
  name: 'http GET /',
  payload: (s) => Buffer.from(`GET / HTTP/1.1\r\nHost: ${hostField(s.host, s.port)}\r\nUser-Agent: jcstar\r\nAccept: */*\r\nConnection: close\r\n\r\n`, 'latin1'),
  complete: (reply) => messageComplete(reply),
};

function isHttp(reply: Buffer): boolean {
  return readMessageHead(reply)?.version.startsWith('HTTP') === true;
}

export const http: Recogniser = {
  service: 'http',
  probe: GET,
  recognises: isHttp,
  async describe(first, s, probe) {
    s.identity.service = 'http';
    s.speaks('http', 'https');
    // A 400 to a TLS hello or an MQTT packet names HTTP, but says nothing of / itself.
    const reply = probe === GET.name ? first : (await s.exchange(GET)).bytes;
    const head = isHttp(reply) ? readMessageHead(reply) : null;
    if (head === null) return;
    const { details } = s.identity;
    details['http.status'] = String(head.status);
    const server = head.fields['server'];
    if (server !== undefined) details['http.server'] = printable(server, 160);
    const title = TITLE.exec(head.body.toString('utf8'))?.[1]?.trim();
    if (title) details['http.title'] = printableText(title);
    s.identity.product = details['http.server'] ?? null;
    s.identity.banner = details['http.title'] ?? firstLine(reply);
    if (head.status >= 300 && head.status < 400 && head.fields['location'] !== undefined) details['http.location'] = printable(head.fields['location'], 200);
    const scheme = challengeScheme(head.challenges);
    if (head.status === 401) {
      s.identity.auth = scheme;
      details['http.auth'] = head.challenges.map((c) => printable(c, 120)).join(' | ');
    } else if (head.status === 200 && head.challenges.length === 0) {
      // A login page answers 200 too: its password field shows the login is a form.
      const form = PASSWORD_INPUT.test(head.body.toString('latin1'));
      s.identity.auth = form ? 'form' : 'none';
      details['http.auth'] = form ? 'GET / answered 200 with a password field (a form login)' : 'GET / answered 200 without a challenge';
    }
    await describeUpnp(s, server ?? '');
    await describeOnvif(s);
  },
};
