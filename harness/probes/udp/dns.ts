import { CLASS, RR, dnsQuery, parseDnsAnswer } from './dns-message.js';
import { recognised, type UdpPayload } from './payload.js';

const RCODES: Record<number, string> = { 0: 'NOERROR', 1: 'FORMERR', 2: 'SERVFAIL', 3: 'NXDOMAIN', 4: 'NOTIMP', 5: 'REFUSED' };

/**
 * DNS: a standard query for version.bind TXT in class CHAOS. Every DNS server answers a query (REFUSED
 * and NOTIMP are answers too), and BIND, dnsmasq, Unbound and others name their version in it.
 */
export const DNS_PAYLOAD: UdpPayload = {
  name: 'dns-version-bind',
  build: () => dnsQuery('version.bind', RR.txt, CLASS.chaos),
  recognise(answer, request) {
    const reply = parseDnsAnswer(answer, request);
    if (!reply) return null;
    const version = reply.records.find((r) => r.type === RR.txt && r.name.toLowerCase() === 'version.bind')?.data.join(' ') || null;
    const rcode = RCODES[reply.rcode] ?? String(reply.rcode);
    return recognised('dns', null, { product: version, banner: `DNS ${rcode}${version ? ` ${version}` : ''}`, details: { 'dns.rcode': rcode, ...(version ? { 'dns.version': version } : {}) } });
  },
};
