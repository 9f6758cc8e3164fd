import { expect } from 'chai';
import { GuardedNetwork } from '../../harness/net/network.js';
import { probeTls } from '../../harness/probes/tls/probe.js';
import type { TlsObservation } from '../../harness/probes/tls/observation.js';
import { ScopeGuard } from '../../harness/scope/guard.js';
import { testCertificates, type TestCertificates } from '../support/certificates.js';
import { requireBinaries, requireRoot, type Daemon } from '../support/daemons.js';
import { startMosquitto } from '../support/mosquitto.js';
import { observedPairs, testsslCipherPairs } from '../support/testssl.js';
import { startTlsNginx } from '../support/tls-servers.js';
import { startVsftpd } from '../support/vsftpd.js';

interface Fixture {
  name: string;
  host: string;
  starttls?: 'ftp';
  needsRoot?: boolean;
  start(certs: TestCertificates): Promise<Daemon & { port: number }>;
  /** What jcstar must also see here, beyond agreeing with testssl.sh. */
  expect(observation: TlsObservation): void;
}

const offered = (o: TlsObservation) => o.versions.filter((v) => v.offered).map((v) => v.version);

const FIXTURES: Fixture[] = [
  {
    name: 'nginx, modern configuration (Mozilla intermediate), RSA leaf from a CA',
    host: '127.0.100.1',
    start: (c) => startTlsNginx('127.0.100.1', c.leaf, 'modern'),
    expect: (o) => {
      expect(offered(o)).to.deep.equal(['TLSv1.2', 'TLSv1.3']);
      expect(o.secureRenegotiation).to.equal(true);
      expect(o.compression).to.equal(false);
    },
  },
  {
    name: 'nginx, legacy configuration (TLS 1.0/1.1, ALL:@SECLEVEL=0, 1024-bit DHE)',
    host: '127.0.100.2',
    start: (c) => startTlsNginx('127.0.100.2', c.leaf, 'legacy'),
    expect: (o) => {
      expect(offered(o)).to.deep.equal(['TLSv1.0', 'TLSv1.1', 'TLSv1.2']);
      expect(o.dhePrimeBits).to.deep.equal([1024]);
      expect(o.versions.find((v) => v.version === 'TLSv1.2')!.order).to.equal('server');
    },
  },
  {
    name: 'nginx, modern configuration, EC leaf under an intermediate',
    host: '127.0.100.3',
    start: (c) => startTlsNginx('127.0.100.3', c.leafEc, 'modern'),
    expect: (o) => {
      const tls12 = o.versions.find((v) => v.version === 'TLSv1.2')!;
      expect(tls12.cipherSuites.every((s) => s.name.startsWith('TLS_ECDHE_ECDSA_'))).to.equal(true);
      expect(o.certificateChain?.certificates).to.have.length(2);
    },
  },
  {
    name: 'nginx, expired certificate',
    host: '127.0.100.4',
    start: (c) => startTlsNginx('127.0.100.4', c.expired, 'modern'),
    expect: (o) => expect(o.certificateChain).to.include({ expired: true }),
  },
  {
    name: 'nginx, self-signed certificate',
    host: '127.0.100.5',
    start: (c) => startTlsNginx('127.0.100.5', c.selfSigned, 'modern'),
    expect: (o) => expect(o.certificateChain?.certificates[0]).to.include({ selfSigned: true }),
  },
  {
    name: 'mosquitto, MQTT over TLS',
    host: '127.0.100.6',
    start: (c) => startMosquitto('127.0.100.6', 'anonymous', { tls: { certFile: c.leaf.chainFile, keyFile: c.leaf.keyFile } }),
    expect: (o) => expect(offered(o)).to.include('TLSv1.3'),
  },
  {
    name: 'vsftpd, FTP with AUTH TLS (STARTTLS)',
    host: '127.0.100.7',
    starttls: 'ftp',
    needsRoot: true,
    start: () => startVsftpd('127.0.100.7', { ftpuser: 'unused-Pw-1' }, { forceTls: true }),
    expect: (o) => expect(o.transport).to.equal('ftp-auth-tls'),
  },
];

describe('TLS probe agrees with testssl.sh on (version, cipher suite) pairs', function () {
  this.timeout(600_000);
  let certs: TestCertificates;

  before(async function () {
    requireBinaries(this, { testssl: 'testssl.sh', nginx: 'nginx-light', mosquitto: 'mosquitto', openssl: 'openssl' });
    certs = await testCertificates();
  });

  for (const fixture of FIXTURES) {
    it(fixture.name, async function () {
      if (fixture.needsRoot) {
        requireBinaries(this, { vsftpd: 'vsftpd' });
        requireRoot(this, 'vsftpd authenticates through PAM and the fixture users');
      }
      const daemon = await fixture.start(certs);
      try {
        const net = new GuardedNetwork(new ScopeGuard([`${fixture.host}/32`]), { connectionsPerSecond: 200, authAttemptsPerSecond: 5, connectTimeoutMs: 3000 });
        const observation = await probeTls(net, {
          host: fixture.host,
          port: daemon.port,
          serverName: null,
          transport: fixture.starttls === 'ftp' ? 'ftp-auth-tls' : 'implicit',
          timeoutMs: 5000,
          signal: new AbortController().signal,
          now: new Date(),
          trustAnchors: [certs.root.der],
        });
        if (observation.outcome !== 'observed') throw new Error(`probe failed: ${observation.failure}: ${observation.detail}`);
        const oracle = await testsslCipherPairs(fixture.host, daemon.port, { starttls: fixture.starttls });
        expect([...observedPairs(observation)].sort()).to.deep.equal([...oracle.pairs].sort());
        expect(oracle.pairs.size).to.be.above(0);
        fixture.expect(observation);
      } finally {
        await daemon.stop();
      }
    });
  }
});
