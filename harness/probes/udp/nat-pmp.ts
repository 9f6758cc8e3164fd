import { recognised, type UdpPayload } from './payload.js';

const RESULTS: Record<number, string> = { 0: 'success', 1: 'unsupported version', 2: 'not authorized', 3: 'network failure', 4: 'out of resources', 5: 'unsupported opcode' };

/**
 * NAT-PMP (RFC 6886; home routers): the external-address request. A router that answers lets any LAN
 * host open port mappings without authentication, an interface worth knowing; PCP servers on the same
 * port answer it with an unsupported-version error, which still shows the service.
 */
export const NAT_PMP_PAYLOAD: UdpPayload = {
  name: 'nat-pmp-external-address',
  build: () => Buffer.from([0, 0]),
  recognise(answer) {
    // Version 0, opcode 128 + 0 (RFC 6886 §3.2); PCP (RFC 6887 §9) answers version 2 with the response bit.
    const natPmp = answer.length >= 8 && answer[0] === 0 && answer[1] === 128;
    const pcp = answer.length >= 24 && answer[0] === 2 && (answer[1]! & 0x80) !== 0;
    if (!natPmp && !pcp) return null;
    const code = natPmp ? answer.readUInt16BE(2) : answer[3]!;
    const result = natPmp ? (RESULTS[code] ?? String(code)) : `PCP result ${code}`;
    return recognised('nat-pmp', null, { banner: `${natPmp ? 'NAT-PMP' : 'PCP'} ${result}`, details: { 'natpmp.result': result } });
  },
};
