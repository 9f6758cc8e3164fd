import { randomBytes } from 'node:crypto';
import { parseHeaderBlock } from './header-lines.js';
import { recognised, type UdpPayload } from './payload.js';

/**
 * SIP (RFC 3261 §11): an OPTIONS request, which a SIP user agent (video doorbells, intercoms, IP
 * cameras with two-way audio) answers with a status and, usually, its Server or User-Agent and Allow.
 */
export const SIP_PAYLOAD: UdpPayload = {
  name: 'sip-options',
  build: ({ host, port }) => {
    const tag = randomBytes(6).toString('hex');
    const target = host.includes(':') ? `[${host}]` : host;
    return Buffer.from(
      `OPTIONS sip:${target}:${port} SIP/2.0\r\nVia: SIP/2.0/UDP jcstar.invalid;branch=z9hG4bK${tag}\r\nMax-Forwards: 70\r\n` +
        `From: <sip:jcstar@jcstar.invalid>;tag=${tag}\r\nTo: <sip:${target}:${port}>\r\nCall-ID: ${tag}@jcstar.invalid\r\nCSeq: 1 OPTIONS\r\n` +
        'Accept: application/sdp\r\nContent-Length: 0\r\n\r\n',
    );
  },
  recognise(answer) {
    const { status, headers } = parseHeaderBlock(answer);
    if (!/^SIP\/2\.0 \d{3}\b/.test(status)) return null;
    const product = headers.server ?? headers['user-agent'] ?? null;
    const details: Record<string, string> = { 'sip.status': status.slice(8) };
    if (product) details['sip.server'] = product;
    if (headers.allow) details['sip.allow'] = headers.allow;
    return recognised('sip', null, { product, banner: status, details });
  },
};
