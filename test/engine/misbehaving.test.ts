import { expect } from 'chai';
import { startEndlessCoapServer } from '../../harness/simulator/fakes/endless-coap-server.js';
import { startMisbehavingServer } from '../../harness/simulator/misbehaving.js';
import { expectValidRunFolder } from '../support/run-folder.js';
import { DEVICE, runProfile } from '../support/run-profile.js';

type Kind = 'hang' | 'garbage' | 'reset' | 'slow-close';
const KINDS: Kind[] = ['hang', 'garbage', 'reset', 'slow-close'];
const LOGINS = [
  { protocol: 'http', auth: 'basic' },
  { protocol: 'ssh', auth: 'password' },
  { protocol: 'mqtt', auth: 'password' },
] as const;

describe('a device that hangs, answers garbage or resets', function () {
  this.timeout(60000);

  for (const kind of KINDS) {
    it(`gives INCONCLUSIVE with a reason on every login when it ${kind}s, never a crash or a hang`, async () => {
      const servers = await Promise.all(LOGINS.map(() => startMisbehavingServer(kind)));
      try {
        const profile = {
          device: DEVICE,
          target: { host: '127.0.0.1' },
          scope: ['127.0.0.1/32'],
          services: LOGINS.map((l, i) => ({ name: `${l.protocol}-${kind}`, protocol: l.protocol, port: servers[i]!.port, auth: l.auth })),
          policy: { budgets: { replyTimeoutMs: 800, connectTimeoutMs: 800, checkMs: 15000 } },
        };
        const { results, runDir } = await runProfile(profile, { only: ['S1.1-02'] });
        if (kind === 'reset') {
          // Every connection is reset at once: the preflight finds nothing that answers and stops the run.
          expect(results.run.status).to.equal('aborted');
          expect(results.run.statusReason).to.match(/unreachable: no declared TCP service answered \(http-reset \d+\/tcp (reset|closed)/);
        }
        const logins = results.checks.filter((c) => c.id.startsWith('S1.1-02/default-credentials/'));
        expect(logins).to.have.length(3);
        for (const check of logins) {
          expect(check.verdict, `${check.id}: ${check.reason}`).to.equal('INCONCLUSIVE');
          if (kind === 'reset') {
            expect(check.reason).to.equal('not run: the run was aborted before this check');
            continue;
          }
          expect(check.reason).to.match(/^negative control failed on /);
          expect(check.evidence[0]!.data?.outcome).to.equal('error');
        }
        expectValidRunFolder(runDir);
      } finally {
        await Promise.all(servers.map((s) => s.close()));
      }
    });
  }
});

interface Endless {
  kind: 'endless-line' | 'reply-flood' | 'telnet-negotiation' | 'endless-http-body' | 'endless-mqtt-packet';
  lineStart?: string;
  reply?: string;
  protocol: string;
  auth: string;
  /** What the default-credential check's reason must name: why the reply could not be read. */
  why: RegExp;
}
const ENDLESS: Endless[] = [
  { kind: 'telnet-negotiation', protocol: 'telnet', auth: 'password', why: /the device kept negotiating Telnet options \(201 commands, [\d]+ bytes of commands, past the limit of 200 commands or 16384 bytes\); jcstar stopped answering and closed/ },
  { kind: 'endless-line', lineStart: '220 ', protocol: 'ftp', auth: 'password', why: /reply line longer than 4096 characters/ },
  { kind: 'endless-line', lineStart: 'RTSP/1.0 200 OK', protocol: 'rtsp', auth: 'basic', why: /RTSP header section exceeds 16384 bytes/ },
  { kind: 'endless-line', lineStart: 'Welcome\r\nlogin', protocol: 'telnet', auth: 'password', why: /the device sent more than 1048576 bytes without a prompt jcstar recognises; jcstar stopped reading and closed; last text: "…x{80}"$/ },
  { kind: 'endless-line', lineStart: 'HTTP/1.1 200 OK', protocol: 'http', auth: 'basic', why: /malformed HTTP response \(HPE_HEADER_OVERFLOW\)/ },
  { kind: 'endless-http-body', protocol: 'http', auth: 'basic', why: /response body longer than 1048576 bytes; jcstar stopped reading/ },
  { kind: 'endless-mqtt-packet', protocol: 'mqtt', auth: 'password', why: /the broker sent more than 65536 bytes on one connection \(a packet without end\?\); jcstar stopped reading and closed/ },
  { kind: 'reply-flood', reply: '220 ready\r\n', protocol: 'ftp', auth: 'password', why: /unexpected reply to USER: 220 ready$/ },
  { kind: 'reply-flood', reply: 'RTSP/1.0 200 OK\r\nCSeq: 0\r\nContent-Length: 0\r\n\r\n', protocol: 'rtsp', auth: 'basic', why: /the RTSP server sent more than 20 responses that nothing asked for; jcstar stopped reading and closed/ },
  { kind: 'reply-flood', reply: 'hello\r\n', protocol: 'telnet', auth: 'password', why: /the device sent more than 1048576 bytes without a prompt jcstar recognises/ },
];

describe('a device that negotiates or talks without end', function () {
  this.timeout(120000);

  it('gives every check on each service a verdict with a reason, none NOT_APPLICABLE or PASS, without a hang', async () => {
    const servers = await Promise.all(ENDLESS.map((e) => startMisbehavingServer(e.kind, { lineStart: e.lineStart, reply: e.reply })));
    try {
      const profile = {
        device: DEVICE,
        target: { host: '127.0.0.1' },
        scope: ['127.0.0.1/32'],
        services: ENDLESS.map((e, i) => ({ name: `${e.protocol}-${e.kind}-${i}`, protocol: e.protocol, port: servers[i]!.port, auth: e.auth, credential: 'admin' })),
        credentials: { admin: { username: 'admin', password: '${env:ADMIN_PASSWORD}' } },
        policy: { budgets: { replyTimeoutMs: 1500, connectTimeoutMs: 800, checkMs: 20000 }, portScan: { tcpPorts: servers.map((s) => s.port).join(',') } },
      };
      const { results, runDir } = await runProfile(profile, { only: ['S1.1-01', 'S1.1-02', 'S1.1-12'], env: { ADMIN_PASSWORD: 'a-Secret-9' } });
      for (const [i, e] of ENDLESS.entries()) {
        const name = `${e.protocol}-${e.kind}-${i}`;
        const checks = results.checks.filter((c) => c.id.endsWith(`/${name}`));
        expect(checks.map((c) => c.id.split('/').slice(0, 2).join('/')), name).to.include.members(['S1.1-01/unauthenticated-access', 'S1.1-02/default-credentials', 'S1.1-12/plaintext']);
        for (const check of checks) {
          expect(check.verdict, `${check.id}: ${check.reason}`).to.equal('INCONCLUSIVE');
          expect(check.reason.length, check.id).to.be.within(20, 600);
        }
        const defaults = checks.find((c) => c.id === `S1.1-02/default-credentials/${name}`)!;
        expect(defaults.reason, `${name}: ${defaults.reason}`).to.match(/^negative control failed on /).and.to.match(e.why);
      }
      const plaintext = (name: string) => results.checks.find((c) => c.id === `S1.1-12/plaintext/${name}`)!.reason;
      expect(plaintext('telnet-telnet-negotiation-0')).to.match(/kept negotiating Telnet options/);
      expect(plaintext('telnet-endless-line-3')).to.match(/^telnet-endless-line-3: the device sent more than 1048576 bytes without a prompt jcstar recognises; jcstar stopped reading and closed on \d+\/tcp \(evidence #\d+\)$/);
      expect(plaintext('mqtt-endless-mqtt-packet-6')).to.match(/^mqtt-endless-mqtt-packet-6: no CONNACK on \d+\/tcp without TLS \(the broker sent more than 65536 bytes/);
      // A reply that cannot be read says nothing about AUTH TLS: not a NOT_APPLICABLE "does not offer it".
      expect(results.checks.find((c) => c.id === 'S1.1-12/crypto/ftp-endless-line-1')!.reason).to.match(/TLS could not be graded \(protocol: reply line longer than 4096 characters\)/);
      expectValidRunFolder(runDir);
    } finally {
      await Promise.all(servers.map((s) => s.close()));
    }
  });
});

describe('a device that answers garbage on Telnet, FTP, RTSP, HTTP and MQTT', function () {
  this.timeout(60000);

  it('gives INCONCLUSIVE with a reason on every check, never NOT_APPLICABLE or a plaintext FAIL', async () => {
    const protocols = ['telnet', 'ftp', 'rtsp', 'http', 'mqtt'] as const;
    const servers = await Promise.all(protocols.map(() => startMisbehavingServer('garbage')));
    try {
      const profile = {
        device: DEVICE,
        target: { host: '127.0.0.1' },
        scope: ['127.0.0.1/32'],
        services: protocols.map((protocol, i) => ({ name: `${protocol}-garbage`, protocol, port: servers[i]!.port, auth: protocol === 'rtsp' || protocol === 'http' ? 'basic' : 'password' })),
        policy: { budgets: { replyTimeoutMs: 1000, connectTimeoutMs: 800, checkMs: 15000 }, portScan: { tcpPorts: servers.map((s) => s.port).join(',') } },
      };
      const { results, runDir } = await runProfile(profile, { only: ['S1.1-01', 'S1.1-12'] });
      for (const protocol of protocols) {
        const checks = results.checks.filter((c) => c.id.endsWith(`/${protocol}-garbage`));
        expect(checks.map((c) => c.id), protocol).to.include(`S1.1-12/plaintext/${protocol}-garbage`);
        for (const check of checks) {
          expect(check.verdict, `${check.id}: ${check.reason}`).to.equal('INCONCLUSIVE');
          expect(check.reason.length, check.id).to.be.within(20, 600);
        }
      }
      const reason = (id: string) => results.checks.find((c) => c.id === id)!.reason;
      expect(reason('S1.1-12/plaintext/telnet-garbage')).to.match(/with (no Telnet negotiation|unreadable text) and no login or shell prompt within 1000 ms \(evidence #\d+\): jcstar cannot read it as Telnet$/);
      expect(reason('S1.1-12/plaintext/ftp-garbage')).to.match(/^ftp-garbage: no reply to USER on \d+\/tcp \(/);
      expect(reason('S1.1-12/crypto/ftp-garbage')).to.match(/^ftp-garbage: TLS could not be graded \(protocol: /);
      expectValidRunFolder(runDir);
    } finally {
      await Promise.all(servers.map((s) => s.close()));
    }
  });
});

describe('a CoAP device whose resources are block-wise transfers without end', function () {
  this.timeout(60000);

  it('stops following blocks past the cap and gives INCONCLUSIVE with the reason', async () => {
    const coap = await startEndlessCoapServer();
    try {
      const profile = {
        device: DEVICE,
        target: { host: '127.0.0.1' },
        scope: ['127.0.0.1/32'],
        services: [{ name: 'sensor', protocol: 'coap', port: coap.port, auth: 'none' }],
        policy: { budgets: { replyTimeoutMs: 3000, connectTimeoutMs: 800, checkMs: 20000 }, portScan: { tcpPorts: '' } },
      };
      const { results, runDir } = await runProfile(profile, { only: ['S1.1-01', 'S1.1-12'] });
      const checks = results.checks.filter((c) => c.id.endsWith('/sensor'));
      expect(checks.map((c) => [c.id, c.verdict])).to.deep.equal([
        ['S1.1-01/unauthenticated-access/sensor', 'INCONCLUSIVE'],
        ['S1.1-12/plaintext/sensor', 'INCONCLUSIVE'],
      ]);
      for (const check of checks) expect(check.reason, check.id).to.contain('the device sent more than 262144 bytes in this probe; jcstar stopped listening');
      // Two probes, each stopped once 256 KB of datagrams (1 KB blocks plus headers) had come in.
      expect(coap.blocksSent()).to.be.within(2 * 240, 2 * 260);
      expectValidRunFolder(runDir);
    } finally {
      await coap.close();
    }
  });
});
