import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { GuardedNetwork } from '../../harness/net/network.js';
import { SYS_DESCR, probeSnmpCommunityGet } from '../../harness/probes/snmp/community-get.js';
import { USM_STATS_UNKNOWN_ENGINE_IDS, probeSnmpEngineDiscovery } from '../../harness/probes/snmp/engine-discovery.js';
import { SnmpDecodeError, decodeSnmpMessage, encodeSnmpMessage, type SnmpMessage } from '../../harness/probes/snmp/message.js';
import { ScopeGuard, ScopeViolation } from '../../harness/scope/guard.js';
import { Secret } from '../../harness/secrets/secret.js';
import { startSnmpAgent } from '../../harness/simulator/fakes/snmp.js';
import { requireBinaries } from '../support/daemons.js';
import { tempDir } from '../support/run-profile.js';

/** The SNMP codec, the probes against the in-process agent, and net-snmp's own client against that agent, on 127.0.97.7x. */

const run = promisify(execFile);

function loopbackNetwork(): GuardedNetwork {
  return new GuardedNetwork(new ScopeGuard(['127.0.97.0/24']), { connectionsPerSecond: 1000, authAttemptsPerSecond: 1000, connectTimeoutMs: 2000 });
}

const target = (port: number, timeoutMs = 600) => ({ host: '127.0.97.71', port, signal: new AbortController().signal, timeoutMs });

describe('SNMP message codec', () => {
  it('encodes a v2c GetRequest for sysDescr.0 byte for byte as RFC 3416 frames it', () => {
    const message: SnmpMessage = {
      version: 'v2c',
      community: 'public',
      pdu: { type: 'get-request', requestId: 0x1234, errorStatus: 0, errorIndex: 0, varbinds: [{ oid: SYS_DESCR, value: { type: 'null' } }] },
    };
    expect(encodeSnmpMessage(message).toString('hex')).to.equal(
      '3027' + '020101' + '0406' + Buffer.from('public').toString('hex') + 'a01a' + '02021234' + '020100' + '020100' + '300e' + '300c' + '0608' + '2b06010201010100' + '0500',
    );
  });

  it('decodes what it encodes, v3 with USM parameters and unsigned values included', () => {
    const report: SnmpMessage = {
      version: 'v3',
      messageId: 77,
      maxSize: 65507,
      flags: 0,
      securityModel: 3,
      usm: { engineId: Buffer.from('80001f8880aabbccdd', 'hex'), engineBoots: 2, engineTime: 4000, userName: '' },
      contextEngineId: Buffer.from('80001f8880aabbccdd', 'hex'),
      contextName: '',
      pdu: { type: 'report', requestId: 9, errorStatus: 0, errorIndex: 0, varbinds: [{ oid: USM_STATS_UNKNOWN_ENGINE_IDS, value: { type: 'counter32', value: 0xfffffffe } }] },
    };
    expect(decodeSnmpMessage(encodeSnmpMessage(report))).to.deep.equal(report);
  });

  it('reads BER that is not DER: a long-form length where a short one would do', () => {
    const der = encodeSnmpMessage({ version: 'v1', community: 'public', pdu: { type: 'get-response', requestId: 5, errorStatus: 0, errorIndex: 0, varbinds: [{ oid: SYS_DESCR, value: { type: 'octet-string', bytes: Buffer.from('cam') } }] } });
    const ber = Buffer.concat([Buffer.from([0x30, 0x81, der[1]!]), der.subarray(2)]);
    const decoded = decodeSnmpMessage(ber);
    expect(decoded.version).to.equal('v1');
    expect(decoded.pdu.varbinds[0]!.value).to.deep.equal({ type: 'octet-string', bytes: Buffer.from('cam') });
  });

  it('refuses what is not an SNMP message it can read', () => {
    expect(() => decodeSnmpMessage(Buffer.from('GET / HTTP/1.1\r\n\r\n'))).to.throw(SnmpDecodeError, /not BER/);
    expect(() => decodeSnmpMessage(Buffer.from('3003020102', 'hex'))).to.throw(SnmpDecodeError, /unknown SNMP version number 2/);
    // A v1 Trap-PDU: enterprise 1.3.6.1, agent 127.0.0.1, coldStart, no varbinds.
    const trap = Buffer.from('3023020100' + '04067075626c6963' + 'a416' + '06032b0601' + '40047f000001' + '020100' + '020100' + '430100' + '3000', 'hex');
    expect(() => decodeSnmpMessage(trap)).to.throw(SnmpDecodeError, /unsupported PDU tag 4/);
  });
});

describe('SNMP probes against the in-process agent', function () {
  this.timeout(20000);
  const net = loopbackNetwork();

  it('gets sysDescr.0 over v2c with the right community, showing a Secret only by its marker', async () => {
    const agent = await startSnmpAgent({ host: '127.0.97.71', mode: 'v2c-enabled', community: 'Rw-9q2' });
    try {
      const reply = await probeSnmpCommunityGet(net, { ...target(agent.port), version: 'v2c', community: new Secret('Rw-9q2', 'snmp') });
      expect(reply.outcome).to.equal('answered');
      expect(reply.response?.pdu.varbinds).to.deep.equal([{ oid: SYS_DESCR, value: { type: 'octet-string', bytes: Buffer.from('jcstar fake agent, Linux 5.10 armv7l') } }]);
      expect(reply.sent).to.match(/^SNMPv2c community=\[REDACTED:snmp\] GetRequest /);
      expect(reply.received).to.match(/^SNMPv2c community=\[REDACTED:snmp\] GetResponse /);
      expect(`${reply.sent}${reply.received}`).not.to.contain('Rw-9q2');
    } finally {
      await agent.close();
    }
  });

  it('hears nothing for a wrong community, after retransmitting', async () => {
    const agent = await startSnmpAgent({ host: '127.0.97.71', mode: 'v2c-enabled', community: 'Rw-9q2' });
    try {
      const reply = await probeSnmpCommunityGet(net, { ...target(agent.port), version: 'v1', community: 'public' });
      expect(reply).to.deep.include({ outcome: 'no-answer', response: null, detail: 'no SNMP answer within 600 ms (3 datagram(s) sent)' });
      expect(agent.requests().map((r) => [r.version, r.community, r.answered])).to.deep.equal(Array(3).fill(['v1', 'public', false]));
    } finally {
      await agent.close();
    }
  });

  it('discovers the engine ID of a v3 agent from its Report', async () => {
    const agent = await startSnmpAgent({ host: '127.0.97.71', mode: 'v3-only', community: 'public' });
    try {
      const reply = await probeSnmpEngineDiscovery(net, target(agent.port));
      expect(reply.outcome).to.equal('answered');
      expect(reply.response?.pdu.type).to.equal('report');
      expect(reply.response?.usm.engineId.toString('hex')).to.match(/^80001f8880[0-9a-f]{16}$/);
      expect(reply.detail).to.equal(`report ${USM_STATS_UNKNOWN_ENGINE_IDS}`);
    } finally {
      await agent.close();
    }
  });

  it('sends nothing outside the scope', async () => {
    const outside = { ...target(161), host: '192.0.2.1' };
    let error: unknown;
    await probeSnmpEngineDiscovery(net, outside).catch((err) => (error = err));
    expect(error).to.be.instanceOf(ScopeViolation);
  });
});

describe('the in-process SNMP agent against net-snmp\'s snmpget', function () {
  this.timeout(20000);
  before(function () {
    requireBinaries(this, { snmpget: 'snmp' });
  });

  async function snmpget(port: number, args: string[]): Promise<string> {
    const env = { ...process.env, SNMP_PERSISTENT_DIR: tempDir('jcstar-snmp-'), MIBS: '' };
    const result = await run('snmpget', [...args, '-r', '0', '-t', '1', '-On', `127.0.97.72:${port}`, SYS_DESCR], { env }).catch((err: { stdout: string; stderr: string }) => err);
    // stderr also carries net-snmp's note on creating its persistent directory.
    return result.stdout.trim() || result.stderr.trim();
  }

  it('answers v1 and v2c with the right community, and nothing with a wrong one', async () => {
    const agent = await startSnmpAgent({ host: '127.0.97.72', mode: 'v2c-enabled', community: 'public' });
    try {
      expect(await snmpget(agent.port, ['-v1', '-c', 'public'])).to.equal('.1.3.6.1.2.1.1.1.0 = STRING: "jcstar fake agent, Linux 5.10 armv7l"');
      expect(await snmpget(agent.port, ['-v2c', '-c', 'public'])).to.equal('.1.3.6.1.2.1.1.1.0 = STRING: "jcstar fake agent, Linux 5.10 armv7l"');
      expect(await snmpget(agent.port, ['-v2c', '-c', 'wrong'])).to.contain(`Timeout: No Response from 127.0.97.72:${agent.port}.`);
    } finally {
      await agent.close();
    }
  });

  it('answers net-snmp\'s own v3 engine discovery with a Report that net-snmp accepts', async () => {
    const agent = await startSnmpAgent({ host: '127.0.97.72', mode: 'v3-only', community: 'public' });
    try {
      await snmpget(agent.port, ['-v3', '-l', 'noAuthNoPriv', '-u', 'probe']);
      // Discovery answered, then the GET that net-snmp sends only once it has taken the engine ID from the Report.
      expect(agent.requests().map((r) => [r.version, r.answered])).to.deep.equal([['v3', true], ['v3', false]]);
    } finally {
      await agent.close();
    }
  });
});
