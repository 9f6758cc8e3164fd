import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'chai';
import { checkSshCrypto } from '../../harness/checks/encryption/ssh.js';
import { loadBaseCryptoRules } from '../../harness/crypto/load.js';
import type { RunOutcome } from '../../harness/engine/run.js';
import type { CheckResult } from '../../harness/results/schema.js';
import { startMisbehavingServer } from '../../harness/simulator/misbehaving.js';
import { requirementSuite, serviceTarget } from '../../harness/suite/define.js';
import { requireBinaries, requireRoot, type Daemon } from '../support/daemons.js';
import { startDropbear } from '../support/dropbear.js';
import { startOpenSsh } from '../support/openssh.js';
import { DEVICE, runProfile, tempDir } from '../support/run-profile.js';

/** S1.1-12 SSH crypto check, end to end through the engine, against real OpenSSH and Dropbear on 127.0.96.x. */

const VERSION = loadBaseCryptoRules().rules.version;

/** The check, planned per SSH service the way a suite does, so ctx.crypto comes from the profile as in a real run. */
const sshCryptoSuite = requirementSuite('S1.1-12', (suite) => {
  for (const service of suite.profile.services.filter((s) => s.protocol === 'ssh')) {
    suite.check(
      { id: `S1.1-12/ssh-crypto/${service.name}`, title: `SSH algorithms and host keys of ${service.name}`, target: serviceTarget(suite.profile, service) },
      (ctx) => checkSshCrypto(ctx, service),
    );
  }
});

async function judge(host: string, port: number, extra: Record<string, unknown> = {}): Promise<{ run: RunOutcome; check: CheckResult }> {
  const run = await runProfile(
    { device: DEVICE, target: { host }, scope: [`${host}/32`], services: [{ name: 'ssh', protocol: 'ssh', port, auth: 'password' }], ...extra },
    { suites: [sshCryptoSuite] },
  );
  const check = run.results.checks.find((c) => c.id === 'S1.1-12/ssh-crypto/ssh');
  if (!check) throw new Error(`no SSH crypto check in ${run.results.checks.map((c) => c.id).join(', ')}`);
  return { run, check };
}

const observationOf = (check: CheckResult) => check.evidence.find((e) => e.kind === 'observation')!;

describe('S1.1-12 SSH crypto check against real OpenSSH and Dropbear', function () {
  this.timeout(90000);
  before(function () {
    requireBinaries(this, { sshd: 'openssh-server', 'ssh-keygen': 'openssh-client', dropbear: 'dropbear-bin', dropbearkey: 'dropbear-bin', unshare: 'util-linux', openssl: 'openssl' });
    requireRoot(this, 'bind-mounting fixture users in a private mount namespace');
  });

  describe('OpenSSH hardened', () => {
    let daemon: Daemon & { host: string; port: number };
    before(async () => {
      daemon = await startOpenSsh(
        '127.0.96.1',
        {},
        ['KexAlgorithms sntrup761x25519-sha512@openssh.com,curve25519-sha256', 'Ciphers chacha20-poly1305@openssh.com,aes256-gcm@openssh.com', 'MACs hmac-sha2-512-etm@openssh.com'].join('\n'),
      );
    });
    after(() => daemon?.stop());

    it('PASSes, recording the lists, the host key size and the rule set that judged', async () => {
      const { run, check } = await judge(daemon.host, daemon.port);
      expect(check.verdict, check.reason).to.equal('PASS');
      const observation = observationOf(check);
      expect(check.reason).to.equal(`ssh: every SSH algorithm offered and every host key size passes the rules (evidence #${observation.seq}) (rules ${VERSION})`);
      expect(check.warnings).to.deep.equal([]);
      expect(observation.data).to.deep.include({
        kex: ['sntrup761x25519-sha512@openssh.com', 'curve25519-sha256', 'kex-strict-s-v00@openssh.com'],
        hostKey: ['ecdsa-sha2-nistp256'],
        encryptionStoC: ['chacha20-poly1305@openssh.com', 'aes256-gcm@openssh.com'],
        macStoC: ['hmac-sha2-512-etm@openssh.com'],
        compressionStoC: ['none', 'zlib@openssh.com'],
        rules: { version: VERSION, base: { id: 'jcstar-crypto', version: VERSION, sha256: loadBaseCryptoRules().sha256 }, changes: [] },
      });
      expect(observation.data!.software).to.match(/^OpenSSH_9\./);
      expect((observation.data!.hostKeys as Array<Record<string, unknown>>).map((k) => [k.algorithm, k.outcome, k.bits])).to.deep.equal([['ecdsa-sha2-nistp256', 'observed', 256]]);
      expect(observation.received).to.contain('KEXINIT kex=');
      expect(observation.artifacts[0]).to.include({ name: `ssh-${daemon.port}-kexinit.bin`, mediaType: 'application/octet-stream' });
      expect(check.evidence.find((e) => e.kind === 'note')!.summary).to.equal(`judged under ${VERSION}: nothing to report (evidence #${observation.seq})`);
      expect(run.results.rules.crypto).to.equal(VERSION);
    });

    it('FAILs the same server once the profile restricts the kex list below what it offers', async () => {
      const { check, run } = await judge(daemon.host, daemon.port, { crypto: { restrict: { ssh: { kex: ['curve25519-sha256'] } } } });
      expect(check.verdict).to.equal('FAIL');
      expect(check.reason).to.equal(`kex sntrup761x25519-sha512@openssh.com (removed by the profile's crypto.restrict) (rules ${VERSION}+profile)`);
      expect(run.results.rules.crypto).to.equal(`${VERSION}+profile`);
      expect(run.results.runEvidence.map((e) => e.summary)).to.include(`crypto rules ${VERSION}+profile: restrict ssh.kex to curve25519-sha256`);
    });
  });

  describe('OpenSSH with legacy algorithms and a 1024-bit RSA host key', () => {
    let daemon: Daemon & { host: string; port: number };
    before(async () => {
      const keyDir = tempDir('jcstar-rsa1024-');
      const rsaKey = join(keyDir, 'host_rsa1024_key');
      execFileSync('ssh-keygen', ['-q', '-t', 'rsa', '-b', '1024', '-N', '', '-f', rsaKey]);
      daemon = await startOpenSsh(
        '127.0.96.2',
        {},
        [
          `HostKey ${rsaKey}`,
          'HostKeyAlgorithms +ssh-rsa',
          'KexAlgorithms diffie-hellman-group1-sha1,diffie-hellman-group14-sha1,curve25519-sha256',
          'Ciphers aes128-cbc,3des-cbc,aes256-ctr',
          'MACs hmac-sha1,hmac-md5,hmac-sha2-256-etm@openssh.com',
        ].join('\n'),
      );
    });
    after(() => daemon?.stop());

    it('FAILs naming every failing algorithm and the small RSA key, in the server\'s order, and warns of the rest', async () => {
      const { check } = await judge(daemon.host, daemon.port);
      expect(check.verdict).to.equal('FAIL');
      expect(check.reason).to.equal(
        [
          'kex diffie-hellman-group1-sha1 (1024-bit Oakley group 2 with SHA-1 (Logjam range))',
          'encryption 3des-cbc (64-bit block ciphers (Sweet32) and DES)',
          'mac hmac-md5 (MD5: broken hash)',
          'RSA host key of 1024 bits',
        ].join('; ') + ` (rules ${VERSION})`,
      );
      // Each beside a clean item of its list (curve25519, rsa-sha2, aes256-ctr, hmac-sha2-256-etm).
      expect(check.warnings.map((w) => w.replace(/ \(.*$/, ''))).to.deep.equal(['kex diffie-hellman-group14-sha1', 'host key ssh-rsa', 'encryption aes128-cbc', 'mac hmac-sha1']);
      const hostKeys = observationOf(check).data!.hostKeys as Array<Record<string, unknown>>;
      expect(hostKeys.filter((k) => k.keyType === 'ssh-rsa').map((k) => k.bits)).to.deep.equal([1024, 1024, 1024]);
      const note = check.evidence.find((e) => e.kind === 'note')!;
      expect((note.data!.findings as Array<{ rule: string }>).map((f) => f.rule)).to.include.members(['ssh.kex', 'ssh.hostKey', 'ssh.encryption', 'ssh.mac', 'ssh.minRsaHostKeyBits']);
    });

    it('PASSes when the profile permits each legacy item, and every justification travels with the evidence', async () => {
      const permits = [
        ['ssh.kex', 'diffie-hellman-group1-sha1'],
        ['ssh.kex', 'diffie-hellman-group14-sha1'],
        ['ssh.hostKey', 'ssh-rsa'],
        ['ssh.encryption', 'aes128-cbc'],
        ['ssh.encryption', '3des-cbc'],
        ['ssh.mac', 'hmac-sha1'],
        ['ssh.mac', 'hmac-md5'],
        ['ssh.minRsaHostKeyBits', 1024],
      ].map(([rule, value]) => ({ rule, value, justification: `bench fixture: ${value} kept for a 2009 maintenance client` }));
      const { check } = await judge(daemon.host, daemon.port, { crypto: { permit: permits } });
      expect(check.verdict, check.reason).to.equal('PASS');
      expect(check.reason).to.match(new RegExp(`\\(rules ${VERSION.replace('.', '\\.')}\\+profile\\)$`));
      const rules = observationOf(check).data!.rules as { changes: Array<{ kind: string; justification: string }> };
      expect(rules.changes).to.have.length(8);
      expect(rules.changes[0]).to.deep.equal({ kind: 'permit', rule: 'ssh.kex', value: 'diffie-hellman-group1-sha1', justification: 'bench fixture: diffie-hellman-group1-sha1 kept for a 2009 maintenance client' });
    });
  });

  describe('OpenSSH offering hmac-sha1 beside SHA-2 MACs', () => {
    let daemon: Daemon & { host: string; port: number };
    before(async () => {
      daemon = await startOpenSsh(
        '127.0.96.4',
        {},
        ['KexAlgorithms curve25519-sha256', 'Ciphers aes256-gcm@openssh.com,aes128-ctr', 'MACs hmac-sha2-256-etm@openssh.com,hmac-sha1', 'HostKeyAlgorithms ecdsa-sha2-nistp256'].join('\n'),
      );
    });
    after(() => daemon?.stop());

    it('PASSes with hmac-sha1 named as a warning, and FAILs it once the profile restricts the MACs', async () => {
      const { check } = await judge(daemon.host, daemon.port);
      expect(check.verdict, check.reason).to.equal('PASS');
      const warning = 'mac hmac-sha1 (HMAC-SHA1: no practical forgery, deprecated; a warning beside a SHA-2 or UMAC-128 MAC)';
      expect(check.warnings).to.deep.equal([warning]);
      expect(check.reason).to.match(new RegExp(`passes the rules \\(evidence #\\d+\\), with 1 warning\\(s\\): mac hmac-sha1 \\(HMAC-SHA1: .*\\) \\(rules ${VERSION.replace('.', '\\.')}\\)$`));
      const restricted = await judge(daemon.host, daemon.port, { crypto: { restrict: { ssh: { mac: ['hmac-sha2-256-etm@openssh.com', 'hmac-sha2-512-etm@openssh.com'] } } } });
      expect(restricted.check.verdict).to.equal('FAIL');
      expect(restricted.check.reason).to.equal(`mac hmac-sha1 (removed by the profile's crypto.restrict) (rules ${VERSION}+profile)`);
      expect(restricted.check.warnings).to.deep.equal([]);
    });
  });

  describe('Dropbear with Debian defaults', () => {
    let daemon: Daemon & { host: string; port: number };
    before(async () => {
      daemon = await startDropbear('127.0.96.3', {});
    });
    after(() => daemon?.stop());

    it('warns of its SHA-1 leftovers, and cannot PASS: it offers RSA host key algorithms but shows no RSA key', async () => {
      const { check } = await judge(daemon.host, daemon.port);
      expect(check.verdict).to.equal('INCONCLUSIVE');
      expect(check.reason).to.equal(
        `host key rsa-sha2-256, ssh-rsa offered, but its size was not read: closed: connection closed before the rsa-sha2-256 host key arrived (rules ${VERSION})`,
      );
      expect(check.warnings.map((w) => w.replace(/ \(.*$/, ''))).to.deep.equal(['kex diffie-hellman-group14-sha1', 'host key ssh-rsa', 'mac hmac-sha1']);
      const observation = observationOf(check);
      expect(observation.data!.software).to.match(/^dropbear_/);
      expect(observation.summary).to.match(/host keys ecdsa-sha2-nistp256 256 bits, rsa-sha2-256 unread \(closed\), ssh-rsa unread \(closed\)$/);
    });
  });
});

describe('S1.1-12 SSH crypto check when the server is no SSH server', function () {
  this.timeout(30000);

  it('is INCONCLUSIVE with the probe\'s reason, and keeps what came back', async () => {
    const server = await startMisbehavingServer('garbage');
    try {
      const { check } = await judge('127.0.0.1', server.port);
      expect(check.verdict).to.equal('INCONCLUSIVE');
      expect(check.reason).to.match(/^ssh: the server's SSH algorithms could not be read \(protocol: not an SSH identification: first bytes ([0-9a-f]{2} ){31}[0-9a-f]{2} …\)$/);
      const exchange = check.evidence.find((e) => e.kind === 'exchange')!;
      expect(exchange.sent).to.equal('SSH-2.0-jcstar');
      expect(exchange.data).to.deep.include({ failure: 'protocol', banner: null });
      expect((exchange.data!.rules as { version: string }).version).to.equal(VERSION);
      expect(exchange.artifacts).to.have.length(1);
    } finally {
      await server.close();
    }
  });
});
