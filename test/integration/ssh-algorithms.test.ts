import { spawnSync } from 'node:child_process';
import { expect } from 'chai';
import { GuardedNetwork } from '../../harness/net/network.js';
import { probeSshHostKeySizes } from '../../harness/probes/ssh/host-key-sizes.js';
import { probeSshAlgorithms, type SshAlgorithmsObservation } from '../../harness/probes/ssh/kexinit.js';
import { ScopeGuard } from '../../harness/scope/guard.js';
import { startMisbehavingServer } from '../../harness/simulator/misbehaving.js';
import { requireBinaries, requireRoot, type Daemon } from '../support/daemons.js';
import { startDropbear } from '../support/dropbear.js';
import { startOpenSsh } from '../support/openssh.js';

/** The part of `ssh-audit -j` (2.5.0) that describes the server's KEXINIT and identification. */
interface SshAuditReport {
  banner: { raw: string; protocol: [number, number]; software: string | null; comments: string | null };
  kex: { algorithm: string }[];
  key: { algorithm: string; keysize?: number }[];
  enc: string[];
  mac: string[];
  compression: string[];
}

function sshAudit(host: string, port: number): SshAuditReport {
  // ssh-audit exits non-zero whenever it has warnings or failures to report; only its JSON matters here.
  const run = spawnSync('ssh-audit', ['-j', '-t', '10', '-p', String(port), host], { encoding: 'utf8', timeout: 60000 });
  try {
    return JSON.parse(run.stdout) as SshAuditReport;
  } catch {
    throw new Error(`ssh-audit gave no JSON (status ${run.status}): ${run.stdout}${run.stderr}`);
  }
}

const net = new GuardedNetwork(new ScopeGuard(['127.0.95.0/24', '127.0.0.1/32']), {
  connectionsPerSecond: 100,
  authAttemptsPerSecond: 100,
  connectTimeoutMs: 2000,
});

const observe = (host: string, port: number) => probeSshAlgorithms(net, { host, port, signal: new AbortController().signal, timeoutMs: 5000 });

type Observed = Extract<SshAlgorithmsObservation, { outcome: 'observed' }>;

/**
 * Runs jcstar's probe and ssh-audit against one fixture and compares them. ssh-audit parses the same
 * KEXINIT and reports, for encryption, MAC and compression, its second list of each pair, i.e. the
 * server→client one (ssh2_kex.py: `srv = SSH2_KexParty(srv_enc, srv_mac, ...)`, and `enc = kex.server.encryption`);
 * kex and host key lists have no direction. Sets, because ssh-audit's order is its own business.
 *
 * Pseudo-algorithms in the kex list (`kex-strict-s-v00@openssh.com`, the Terrapin countermeasure that
 * Debian backported; Dropbear's `kexguess2@matt.ucc.asn.au`) are no disagreement: ssh-audit 2.5.0 predates
 * strict kex but, like jcstar, reports the list verbatim. jcstar keeps them because it observes; telling a
 * marker from a key exchange method is for the check that judges the list.
 */
function agreesWithSshAudit(name: string, start: () => Promise<Daemon & { host: string; port: number }>, expectations: (observed: Observed) => void) {
  describe(name, () => {
    let daemon: Daemon & { host: string; port: number };
    let observed: Observed;
    let audit: SshAuditReport;
    before(async () => {
      daemon = await start();
      const observation = await observe(daemon.host, daemon.port);
      expect(observation.outcome, observation.outcome === 'error' ? observation.detail : '').to.equal('observed');
      observed = observation as Observed;
      audit = sshAudit(daemon.host, daemon.port);
    });
    after(() => daemon?.stop());

    it('reports the same banner and software as ssh-audit', () => {
      expect(observed.banner).to.equal(audit.banner.raw);
      expect(observed.software).to.equal(audit.banner.software);
    });

    it('reports the same kex, host key, encryption and MAC algorithms as ssh-audit, as sets', () => {
      expect(new Set(observed.kex)).to.deep.equal(new Set(audit.kex.map((k) => k.algorithm)));
      expect(new Set(observed.hostKey)).to.deep.equal(new Set(audit.key.map((k) => k.algorithm)));
      expect(new Set(observed.encryptionStoC)).to.deep.equal(new Set(audit.enc));
      expect(new Set(observed.macStoC)).to.deep.equal(new Set(audit.mac));
      expect(new Set(observed.compressionStoC)).to.deep.equal(new Set(audit.compression));
    });

    it('records the exchange: our identification sent, the banner and KEXINIT received, the raw bytes kept', () => {
      expect(observed.sent).to.equal('SSH-2.0-jcstar');
      expect(observed.received).to.contain(observed.banner).and.contain('KEXINIT kex=');
      expect(observed.rawReceived.subarray(0, observed.banner.length).toString()).to.equal(observed.banner);
    });

    it('matches the configuration', () => expectations(observed));
  });
}

describe('SSH algorithm probe (KEXINIT) against real OpenSSH and Dropbear, cross-checked with ssh-audit', function () {
  this.timeout(90000);
  before(function () {
    requireBinaries(this, {
      sshd: 'openssh-server',
      'ssh-keygen': 'openssh-client',
      dropbear: 'dropbear-bin',
      dropbearkey: 'dropbear-bin',
      'ssh-audit': 'ssh-audit',
      unshare: 'util-linux',
      openssl: 'openssl',
    });
    requireRoot(this, 'bind-mounting fixture users in a private mount namespace');
  });

  agreesWithSshAudit('OpenSSH with Debian defaults', () => startOpenSsh('127.0.95.1', {}), (observed) => {
    expect(observed.software).to.match(/^OpenSSH_\d/);
    expect(observed.kex).to.include('curve25519-sha256').and.include('kex-strict-s-v00@openssh.com');
    expect(observed.hostKey).to.deep.equal(['ecdsa-sha2-nistp256']);
    expect(observed.encryptionCtoS).to.deep.equal(observed.encryptionStoC);
    expect(observed.encryptionStoC).to.include('chacha20-poly1305@openssh.com').and.not.include('aes128-cbc');
  });

  agreesWithSshAudit(
    'OpenSSH hardened',
    () =>
      startOpenSsh(
        '127.0.95.2',
        {},
        ['KexAlgorithms sntrup761x25519-sha512@openssh.com,curve25519-sha256', 'Ciphers chacha20-poly1305@openssh.com,aes256-gcm@openssh.com', 'MACs hmac-sha2-512-etm@openssh.com'].join('\n'),
      ),
    (observed) => {
      expect(observed.kex.filter((k) => !k.startsWith('kex-strict-'))).to.deep.equal(['sntrup761x25519-sha512@openssh.com', 'curve25519-sha256']);
      expect(observed.encryptionStoC).to.deep.equal(['chacha20-poly1305@openssh.com', 'aes256-gcm@openssh.com']);
      expect(observed.macCtoS).to.deep.equal(['hmac-sha2-512-etm@openssh.com']);
      expect(observed.macStoC).to.deep.equal(['hmac-sha2-512-etm@openssh.com']);
    },
  );

  agreesWithSshAudit(
    'OpenSSH with legacy algorithms re-enabled',
    () =>
      startOpenSsh(
        '127.0.95.3',
        {},
        ['KexAlgorithms diffie-hellman-group1-sha1,diffie-hellman-group14-sha1', 'Ciphers aes128-cbc,3des-cbc', 'MACs hmac-sha1,hmac-md5'].join('\n'),
      ),
    (observed) => {
      expect(observed.kex.filter((k) => !k.startsWith('kex-strict-'))).to.deep.equal(['diffie-hellman-group1-sha1', 'diffie-hellman-group14-sha1']);
      expect(observed.encryptionCtoS).to.deep.equal(['aes128-cbc', '3des-cbc']);
      expect(observed.encryptionStoC).to.deep.equal(['aes128-cbc', '3des-cbc']);
      expect(observed.macStoC).to.deep.equal(['hmac-sha1', 'hmac-md5']);
    },
  );

  agreesWithSshAudit('Dropbear with Debian defaults', () => startDropbear('127.0.95.4', {}), (observed) => {
    expect(observed.software).to.match(/^dropbear_\d/);
    expect(observed.hostKey).to.include('ecdsa-sha2-nistp256');
    expect(observed.kex).to.include('kexguess2@matt.ucc.asn.au').and.include('kex-strict-s-v00@openssh.com');
  });

  describe('host key sizes on Dropbear', () => {
    let daemon: Daemon & { host: string; port: number };
    before(async () => {
      daemon = await startDropbear('127.0.95.5', {});
    });
    after(() => daemon?.stop());

    /**
     * The fixture has only an ECDSA key, yet Dropbear 2022.83 still offers rsa-sha2-256 and ssh-rsa in its
     * KEXINIT and aborts the connection when one is negotiated (its log: "Failed assertion (rsa.c:164)").
     * ssh-audit, asking the same way, reports those algorithms without a key size.
     */
    it('reads the ECDSA key size, and records the advertised RSA algorithms without a key as errors', async () => {
      const observed = (await observe(daemon.host, daemon.port)) as Observed;
      const keys = await probeSshHostKeySizes(net, { host: daemon.host, port: daemon.port, algorithms: observed.hostKey, signal: new AbortController().signal, timeoutMs: 5000 });
      const audit = sshAudit(daemon.host, daemon.port);
      expect(observed.hostKey).to.deep.equal(['ecdsa-sha2-nistp256', 'rsa-sha2-256', 'ssh-rsa']);
      expect(keys[0]).to.include({ algorithm: 'ecdsa-sha2-nistp256', outcome: 'observed', keyType: 'ecdsa-sha2-nistp256', bits: 256, curve: 'nistp256' });
      expect(keys.slice(1).map((k) => [k.algorithm, k.outcome, 'failure' in k ? k.failure : null])).to.deep.equal([
        ['rsa-sha2-256', 'error', 'closed'],
        ['ssh-rsa', 'error', 'closed'],
      ]);
      expect(audit.key.filter((k) => k.keysize !== undefined)).to.deep.equal([]);
    });
  });

  it('answers a server that sends garbage with a protocol error naming the first bytes', async () => {
    const server = await startMisbehavingServer('garbage');
    try {
      const observation = await observe('127.0.0.1', server.port);
      expect(observation.outcome).to.equal('error');
      if (observation.outcome !== 'error') return;
      expect(observation.failure).to.equal('protocol');
      expect(observation.detail).to.match(/^not an SSH identification: first bytes ([0-9a-f]{2} ){31}[0-9a-f]{2} …$/);
      expect(observation.banner).to.equal(null);
    } finally {
      await server.close();
    }
  });

  it('reports a reset as an error, not a crash', async () => {
    const server = await startMisbehavingServer('reset');
    try {
      const observation = await observe('127.0.0.1', server.port);
      expect(observation).to.include({ outcome: 'error' });
      expect(['reset', 'closed']).to.include((observation as { failure: string }).failure);
    } finally {
      await server.close();
    }
  });
});
