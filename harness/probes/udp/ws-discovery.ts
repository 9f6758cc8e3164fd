import { randomUUID } from 'node:crypto';
import { recognised, type UdpPayload } from './payload.js';

/** Of an answer, the part searched: a ProbeMatches envelope is a few kilobytes. */
const MAX_READ = 16384;

/**
 * WS-Discovery (OASIS 1.1; ONVIF cameras, network printers, Windows hosts): a SOAP Probe with no type
 * filter, which a Target Service answers with ProbeMatches naming its Types, Scopes and XAddrs.
 */
export const WS_DISCOVERY_PAYLOAD: UdpPayload = {
  name: 'ws-discovery-probe',
  build: () =>
    Buffer.from(
      '<?xml version="1.0" encoding="utf-8"?>' +
        '<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope" xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:wsd="http://schemas.xmlsoap.org/ws/2005/04/discovery">' +
        '<soap:Header><wsa:To>urn:schemas-xmlsoap-org:ws:2005:04:discovery</wsa:To>' +
        '<wsa:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</wsa:Action>' +
        `<wsa:MessageID>urn:uuid:${randomUUID()}</wsa:MessageID></soap:Header>` +
        '<soap:Body><wsd:Probe/></soap:Body></soap:Envelope>',
    ),
  recognise(answer) {
    const xml = answer.subarray(0, MAX_READ).toString('utf8');
    if (!/<(\w+:)?ProbeMatches\b/.test(xml)) return null;
    const details: Record<string, string> = {};
    for (const [element, key] of [['Types', 'wsd.types'], ['Scopes', 'wsd.scopes'], ['XAddrs', 'wsd.xaddrs']] as const) {
      const value = new RegExp(`<(?:\\w+:)?${element}\\b[^>]*>([^<]*)<`).exec(xml)?.[1]?.trim();
      if (value) details[key] = value;
    }
    return recognised('ws-discovery', null, { banner: `WS-Discovery ProbeMatches${details['wsd.types'] ? ` ${details['wsd.types']}` : ''}`, details });
  },
};
