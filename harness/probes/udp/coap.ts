import { coapGet, parseCoap } from '../coap/wire.js';
import { parseLinkFormat } from '../coap/link-format.js';
import { printable, recognised, type UdpPayload } from './payload.js';

/** Links named in the identity; a device may list hundreds of resources. */
const MAX_LINKS = 16;

/** CoAP (RFC 7252): a confirmable GET of /.well-known/core, which a CoAP server answers (RFC 6690 §4), even if only with 4.04. */
export const COAP_PAYLOAD: UdpPayload = {
  name: 'coap-get-well-known-core',
  build: () => coapGet('.well-known/core').bytes,
  recognise(answer, request) {
    const sent = parseCoap(request)!;
    const reply = parseCoap(answer);
    // Piggybacked (ACK) or Reset with our message ID; a separate response carries our token instead.
    const ours = reply && ((reply.messageId === sent.messageId && (reply.type === 'acknowledgement' || reply.type === 'reset')) || (reply.token.equals(sent.token) && reply.code >= '2'));
    if (!reply || !ours) return null;
    const links = reply.code === '2.05' ? parseLinkFormat(reply.payload.subarray(0, 4096).toString('utf8')).slice(0, MAX_LINKS) : [];
    const details: Record<string, string> = { 'coap.code': reply.type === 'reset' ? 'RST' : reply.code };
    if (reply.payload.length > 0) details['coap.core'] = printable(reply.payload);
    if (links.length > 0) details['coap.links'] = links.map((l) => l.target).join(' ');
    return recognised('coap', 'coap', { banner: `CoAP ${details['coap.code']}${links.length ? ` ${links.length} links` : ''}`, details });
  },
};
