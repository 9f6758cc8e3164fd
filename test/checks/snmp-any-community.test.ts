import { createSocket, type RemoteInfo } from 'node:dgram';
import { expect } from 'chai';
import { decodeSnmpMessage, encodeSnmpMessage } from '../../harness/probes/snmp/message.js';
import { DEVICE, runProfile } from '../support/run-profile.js';

/**
 * An agent that answers every community, as some cameras do: no authentication at all. net-snmp cannot
 * be configured so, hence this in-process responder on 127.0.97.83.
 */
async function startOpenAgent(): Promise<{ port: number; close(): Promise<void> }> {
  const socket = createSocket('udp4');
  socket.on('message', (datagram: Buffer, from: RemoteInfo) => {
    const request = decodeSnmpMessage(datagram);
    if (request.version === 'v3') return;
    const varbinds = request.pdu.varbinds.map((v) => ({ oid: v.oid, value: { type: 'octet-string' as const, bytes: Buffer.from('open camera') } }));
    socket.send(encodeSnmpMessage({ ...request, pdu: { ...request.pdu, type: 'get-response', varbinds } }), from.port, from.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.97.83', resolve));
  return { port: socket.address().port, close: () => new Promise<void>((resolve) => socket.close(() => resolve())) };
}

describe('SNMP agent that answers any community', function () {
  this.timeout(30000);

  it('FAILs S1.1-01 on the random community, and S1.1-02 refuses to judge defaults (INCONCLUSIVE)', async () => {
    const agent = await startOpenAgent();
    try {
      const doc = {
        device: DEVICE,
        target: { host: '127.0.97.83' },
        scope: ['127.0.97.83/32'],
        services: [{ name: 'snmp', protocol: 'snmp', port: agent.port, auth: 'community' }],
        policy: { portScan: { tcpPorts: '' }, budgets: { replyTimeoutMs: 800 } },
      };
      const { results } = await runProfile(doc, { only: ['S1.1-01', 'S1.1-02'] });
      const access = results.checks.find((c) => c.id === 'S1.1-01/unauthenticated-access/snmp')!;
      expect(access.verdict, access.reason).to.equal('FAIL');
      expect(access.reason).to.match(/^snmp: sysDescr\.0 over SNMPv1 with a random community \(get-response error-status=0; evidence #\d+\), sysDescr\.0 over SNMPv2c with a random community .* reachable without authentication$/);
      const defaults = results.checks.find((c) => c.id === 'S1.1-02/default-credentials/snmp')!;
      expect(defaults.verdict, defaults.reason).to.equal('INCONCLUSIVE');
      expect(defaults.reason).to.match(/^snmp answered a random community over SNMPv1 and SNMPv2c \(evidence SNMPv1 #\d+, SNMPv2c #\d+\): it does not enforce authentication, so defaults prove nothing here \(an S1\.1-01 finding\)$/);
    } finally {
      await agent.close();
    }
  });
});
