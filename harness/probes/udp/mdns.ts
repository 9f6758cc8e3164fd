import { CLASS, RR, dnsQuery, parseDnsAnswer } from './dns-message.js';
import { recognised, type UdpPayload } from './payload.js';

const SERVICES = '_services._dns-sd._udp.local';

/**
 * mDNS / DNS-SD (RFC 6762, 6763): a unicast query for _services._dns-sd._udp.local PTR. From a source
 * port other than 5353 it is a legacy unicast query, which a responder answers by unicast to that port
 * (RFC 6762 §6.7). The service types it lists, and any TXT and SRV records it adds, become details.
 */
export const MDNS_PAYLOAD: UdpPayload = {
  name: 'mdns-services-ptr',
  build: () => dnsQuery(SERVICES, RR.ptr, CLASS.in),
  recognise(answer, request) {
    const reply = parseDnsAnswer(answer, request);
    if (!reply) return null;
    const details: Record<string, string> = {};
    const ptrs = reply.records.filter((r) => r.type === RR.ptr);
    // Service types answer the query; a responder may add the instances of a type (RFC 6763 §12.1).
    const services = ptrs.filter((r) => r.name.toLowerCase() === SERVICES).map((r) => r.data[0]!);
    const instances = ptrs.filter((r) => r.name.toLowerCase() !== SERVICES).map((r) => r.data[0]!);
    if (services.length > 0) details['mdns.services'] = services.join(' ');
    if (instances.length > 0) details['mdns.instances'] = instances.join(' ');
    for (const srv of reply.records.filter((r) => r.type === RR.srv)) details[`mdns.srv.${srv.name}`] = `${srv.data[0]}:${srv.port}`;
    // TXT records are key=value strings (RFC 6763 §6.3): md (model), fv (firmware) and the like.
    for (const txt of reply.records.filter((r) => r.type === RR.txt)) {
      for (const entry of txt.data) {
        const eq = entry.indexOf('=');
        if (eq > 0) details[`mdns.txt.${entry.slice(0, eq).toLowerCase()}`] = entry.slice(eq + 1);
      }
    }
    return recognised('mdns', null, { banner: `mDNS ${services.length} service types${services.length ? `: ${services.slice(0, 4).join(' ')}` : ''}`, details });
  },
};
