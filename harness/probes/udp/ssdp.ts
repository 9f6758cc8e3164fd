import { parseHeaderBlock } from './header-lines.js';
import { recognised, type UdpPayload } from './payload.js';

/**
 * SSDP (UPnP Device Architecture 2.0 §1.3.2): a unicast M-SEARCH for ssdp:all, which a UPnP device answers
 * by unicast with its SERVER, LOCATION (the description URL) and ST.
 */
export const SSDP_PAYLOAD: UdpPayload = {
  name: 'ssdp-msearch-all',
  build: ({ host, port }) =>
    Buffer.from(`M-SEARCH * HTTP/1.1\r\nHOST: ${host.includes(':') ? `[${host}]` : host}:${port}\r\nMAN: "ssdp:discover"\r\nST: ssdp:all\r\nUSER-AGENT: jcstar/1 UPnP/2.0 jcstar/1\r\n\r\n`),
  recognise(answer) {
    const { status, headers } = parseHeaderBlock(answer);
    if (!/^HTTP\/1\.[01] 200\b/i.test(status)) return null;
    const details: Record<string, string> = {};
    for (const name of ['server', 'location', 'st', 'usn'] as const) if (headers[name]) details[`ssdp.${name}`] = headers[name];
    return recognised('ssdp', 'upnp', { product: headers.server ?? null, banner: status, details });
  },
};
