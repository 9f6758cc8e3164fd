import { expect } from 'chai';
import { startSnmpAgent } from '../../../harness/simulator/fakes/snmp.js';
import { expectNotRecorded, runPlaintextCheck } from './run-plaintext.js';

/** S1.1-12 plaintext SNMP against the in-process agent on 127.0.97.6x. */

const COMMUNITY = 'Cam-Community-9f2k';

describe('S1.1-12 plaintext SNMP', function () {
  this.timeout(30000);

  it('FAILs an agent that answers v1 and v2c GetRequests with "public"', async () => {
    const agent = await startSnmpAgent({ host: '127.0.97.61', mode: 'v2c-enabled', community: 'public' });
    try {
      const { check } = await runPlaintextCheck(agent.host, [{ name: 'snmp', protocol: 'snmp', port: agent.port, auth: 'password' }]);
      expect(check.verdict, check.reason).to.equal('FAIL');
      expect(check.reason).to.match(new RegExp(`^snmp: SNMPv1 and SNMPv2c answer on ${agent.port}/udp with a community string in plaintext \\(SNMPv1 evidence #\\d+, SNMPv2c evidence #\\d+\\)$`));
      const v2c = check.evidence.find((e) => e.data?.version === 'v2c')!;
      expect(v2c.sent).to.match(/^SNMPv2c community="public" GetRequest request-id=\d+ error-status=0 error-index=0 varbinds: 1\.3\.6\.1\.2\.1\.1\.1\.0 = NULL$/);
      expect(v2c.received).to.match(/^SNMPv2c community="public" GetResponse request-id=\d+ error-status=0 error-index=0 varbinds: 1\.3\.6\.1\.2\.1\.1\.1\.0 = OCTET STRING "jcstar fake agent, Linux 5\.10 armv7l"$/);
      expect(agent.requests().map((r) => [r.version, r.answered])).to.deep.equal([['v1', true], ['v2c', true], ['v3', true]]);
    } finally {
      await agent.close();
    }
  });

  it('FAILs with the declared community, which is sent but never recorded', async () => {
    const agent = await startSnmpAgent({ host: '127.0.97.62', mode: 'v2c-enabled', community: COMMUNITY });
    try {
      const { check, runDir } = await runPlaintextCheck(
        agent.host,
        [{ name: 'snmp', protocol: 'snmp', port: agent.port, auth: 'community', credential: 'snmp-ro' }],
        { credentials: { 'snmp-ro': { password: '${env:SNMP_COMMUNITY}' } }, env: { SNMP_COMMUNITY: COMMUNITY } },
      );
      expect(check.verdict, check.reason).to.equal('FAIL');
      const v1 = check.evidence.find((e) => e.data?.version === 'v1')!;
      expect(v1.summary).to.match(/^SNMPv1 GetRequest sysDescr\.0 with the community \[REDACTED:.+\] \(declared\) → get-response error-status=0$/);
      expect(v1.sent).to.match(/^SNMPv1 community=\[REDACTED:.+\] GetRequest/);
      expect(v1.received).to.match(/^SNMPv1 community=\[REDACTED:.+\] GetResponse/);
      expect(agent.requests().filter((r) => r.version !== 'v3').map((r) => r.community)).to.deep.equal([COMMUNITY, COMMUNITY]);
      expectNotRecorded(runDir, COMMUNITY);
    } finally {
      await agent.close();
    }
  });

  it('PASSes a v3-only agent: the v1/v2c requests go unanswered and engine discovery gets a Report', async () => {
    const agent = await startSnmpAgent({ host: '127.0.97.63', mode: 'v3-only', community: 'public' });
    try {
      const { check } = await runPlaintextCheck(agent.host, [{ name: 'snmp', protocol: 'snmp', port: agent.port, auth: 'password' }]);
      expect(check.verdict, check.reason).to.equal('PASS');
      expect(check.reason).to.match(
        new RegExp(`^snmp: only SNMPv3 answers on ${agent.port}/udp: SNMPv3 engine discovery got a Report \\(engine ID 80001f8880[0-9a-f]{16}; evidence #\\d+\\); SNMPv1 and v2c GetRequests with the community "public" got no answer \\(SNMPv1 evidence #\\d+, SNMPv2c evidence #\\d+\\)$`),
      );
      const v3 = check.evidence.find((e) => e.data?.version === 'v3')!;
      expect(v3.sent).to.match(/^SNMPv3 msgID=\d+ flags=0x04 securityModel=3 engineID=\(empty\) engineBoots=0 engineTime=0 user="" GetRequest request-id=\d+ error-status=0 error-index=0 varbinds: \(none\)$/);
      expect(v3.received).to.match(/^SNMPv3 msgID=\d+ flags=0x00 securityModel=3 engineID=80001f8880[0-9a-f]{16} engineBoots=1 engineTime=\d+ user="" Report .*varbinds: 1\.3\.6\.1\.6\.3\.15\.1\.1\.4\.0 = Counter32 1$/);
      // Silence on v1/v2c is measured over the retransmissions of each request.
      expect(agent.requests().filter((r) => r.version === 'v1')).to.have.length(3);
    } finally {
      await agent.close();
    }
  });

  it('is INCONCLUSIVE on a service declared with community authentication whose community gets no answer', async () => {
    const agent = await startSnmpAgent({ host: '127.0.97.64', mode: 'v3-only', community: 'public' });
    try {
      const { check } = await runPlaintextCheck(agent.host, [{ name: 'snmp', protocol: 'snmp', port: agent.port, auth: 'community' }]);
      expect(check.verdict, check.reason).to.equal('INCONCLUSIVE');
      expect(check.reason).to.match(/^snmp is declared with community authentication \(SNMPv1\/v2c\), yet the community "public" got no answer \(SNMPv1 evidence #\d+, SNMPv2c evidence #\d+\); declare the right one under services\[\]\.credential\. SNMPv3 engine discovery got a Report/);
    } finally {
      await agent.close();
    }
  });

  it('is INCONCLUSIVE when nothing answers', async () => {
    const { check } = await runPlaintextCheck('127.0.97.65', [{ name: 'snmp', protocol: 'snmp', port: 161, auth: 'password' }], { budgets: { replyTimeoutMs: 600 } });
    expect(check.verdict, check.reason).to.equal('INCONCLUSIVE');
    expect(check.reason).to.match(/^snmp: no SNMP answer on 161\/udp \(SNMPv1 evidence #\d+, SNMPv2c evidence #\d+\); SNMPv3 engine discovery: no SNMP answer within 600 ms \(3 datagram\(s\) sent\) \(evidence #\d+\)$/);
  });
});
