import { expect } from 'chai';
import { judgeSsh } from '../../harness/crypto/judge-ssh.js';
import { cryptoOutcome } from '../../harness/crypto/verdict.js';
import type { HostKeyObservation } from '../../harness/probes/ssh/host-key-sizes.js';
import type { SshAlgorithms } from '../../harness/probes/ssh/kexinit.js';
import { rulesWith } from './observations.js';

/** What Debian's OpenSSH 9.2 offers with a hardened sshd_config and an ECDSA host key. */
const HARDENED: SshAlgorithms = {
  kex: ['sntrup761x25519-sha512@openssh.com', 'curve25519-sha256', 'kex-strict-s-v00@openssh.com'],
  hostKey: ['ecdsa-sha2-nistp256'],
  encryptionCtoS: ['chacha20-poly1305@openssh.com', 'aes256-gcm@openssh.com'],
  encryptionStoC: ['chacha20-poly1305@openssh.com', 'aes256-gcm@openssh.com'],
  macCtoS: ['hmac-sha2-512-etm@openssh.com'],
  macStoC: ['hmac-sha2-512-etm@openssh.com'],
  compressionCtoS: ['none', 'zlib@openssh.com'],
  compressionStoC: ['none', 'zlib@openssh.com'],
};
const ECDSA_KEY: HostKeyObservation = { algorithm: 'ecdsa-sha2-nistp256', outcome: 'observed', keyType: 'ecdsa-sha2-nistp256', bits: 256, curve: 'nistp256', latencyMs: 4 };

/** Legacy algorithms re-enabled, a 1024-bit RSA key offered under three algorithm names, and one direction differing. */
const LEGACY: SshAlgorithms = {
  kex: ['diffie-hellman-group1-sha1', 'diffie-hellman-group14-sha1', 'curve25519-sha256'],
  hostKey: ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa', 'ssh-dss'],
  encryptionCtoS: ['aes128-cbc', '3des-cbc', 'aes128-ctr'],
  encryptionStoC: ['aes128-cbc', 'arcfour', 'aes128-ctr'],
  macCtoS: ['hmac-sha1', 'hmac-md5'],
  macStoC: ['hmac-sha1', 'hmac-sha2-256'],
  compressionCtoS: ['none', 'zlib'],
  compressionStoC: ['none'],
};
const rsa = (algorithm: string, bits: number): HostKeyObservation => ({ algorithm, outcome: 'observed', keyType: 'ssh-rsa', bits, curve: null, latencyMs: 5 });
const LEGACY_KEYS: HostKeyObservation[] = [
  rsa('rsa-sha2-512', 1024),
  rsa('rsa-sha2-256', 1024),
  rsa('ssh-rsa', 1024),
  { algorithm: 'ssh-dss', outcome: 'error', failure: 'other', detail: 'cannot request ssh-dss', latencyMs: 0 },
];

describe('crypto judge: SSH', () => {
  it('finds nothing in a hardened OpenSSH, the strict-kex marker and delayed compression included', () => {
    expect(judgeSsh(HARDENED, [ECDSA_KEY], rulesWith())).to.deep.equal([]);
  });

  it('names each offending algorithm once, from either direction, and the small RSA key once', () => {
    const findings = judgeSsh(LEGACY, LEGACY_KEYS, rulesWith());
    expect(findings.map((f) => f.item)).to.deep.equal([
      'kex diffie-hellman-group1-sha1',
      'kex diffie-hellman-group14-sha1',
      'host key ssh-rsa',
      'host key ssh-dss',
      'encryption aes128-cbc',
      'encryption 3des-cbc',
      'encryption arcfour',
      'mac hmac-sha1',
      'mac hmac-md5',
      'compression zlib',
      'RSA host key of 1024 bits',
    ]);
    expect(new Set(findings.map((f) => f.rule))).to.deep.equal(new Set(['ssh.kex', 'ssh.hostKey', 'ssh.encryption', 'ssh.mac', 'ssh.compression', 'ssh.minRsaHostKeyBits']));
  });

  it('judges RSA key sizes against the minimum, and ignores keys it could not read', () => {
    expect(judgeSsh({ ...HARDENED, hostKey: ['rsa-sha2-512'] }, [rsa('rsa-sha2-512', 3072)], rulesWith())).to.deep.equal([]);
    expect(judgeSsh({ ...HARDENED, hostKey: ['rsa-sha2-512'] }, [rsa('rsa-sha2-512', 3072)], rulesWith({ ssh: { minRsaHostKeyBits: 4096 } })).map((f) => f.item)).to.deep.equal([
      'RSA host key of 3072 bits',
    ]);
    const unread: HostKeyObservation = { algorithm: 'rsa-sha2-256', outcome: 'error', failure: 'closed', detail: 'closed', latencyMs: 3 };
    expect(judgeSsh({ ...HARDENED, hostKey: ['ecdsa-sha2-nistp256', 'rsa-sha2-256'] }, [ECDSA_KEY, unread], rulesWith())).to.deep.equal([]);
  });

  it('follows the profile: a permitted MAC is no longer named, a restricted kex list names what it drops', () => {
    const permitted = rulesWith({}, [{ rule: 'ssh.mac', value: 'hmac-sha1', justification: 'the maintenance tool only speaks hmac-sha1' }]);
    expect(judgeSsh(LEGACY, LEGACY_KEYS, permitted).map((f) => f.item)).to.not.include('mac hmac-sha1');
    const restricted = rulesWith({ ssh: { kex: ['sntrup761x25519-sha512@openssh.com', 'kex-strict-s-v00@openssh.com'] } });
    expect(judgeSsh(HARDENED, [ECDSA_KEY], restricted).map((f) => f.item)).to.deep.equal(['kex curve25519-sha256']);
  });
});

describe('crypto verdicts', () => {
  const rules = rulesWith();

  it('FAILs naming every offending item, with the rule-set version', () => {
    const outcome = cryptoOutcome(judgeSsh({ ...HARDENED, kex: ['diffie-hellman-group1-sha1'], macStoC: ['hmac-sha1'], macCtoS: ['hmac-sha1'] }, [ECDSA_KEY], rules), rules, 'unused');
    expect(outcome).to.deep.equal({ verdict: 'FAIL', reason: 'kex diffie-hellman-group1-sha1; mac hmac-sha1 (rules crypto-2026.11)' });
  });

  it('adds the items to review after a FAIL, and is MANUAL when only reviews remain', () => {
    const review = { rule: 'certificate.untrusted' as const, item: 'certificate chain not anchored in a trust anchor the profile names (self-signed)', severity: 'review' as const };
    const failed = { rule: 'tls.versions' as const, item: 'accepts TLSv1.0', severity: 'fail' as const };
    expect(cryptoOutcome([review, failed], rules, 'unused')).to.deep.equal({
      verdict: 'FAIL',
      reason: 'accepts TLSv1.0 (rules crypto-2026.11); to review: certificate chain not anchored in a trust anchor the profile names (self-signed)',
    });
    expect(cryptoOutcome([review], rules, 'unused')).to.deep.equal({
      verdict: 'MANUAL',
      reason: 'to review: certificate chain not anchored in a trust anchor the profile names (self-signed) (rules crypto-2026.11)',
    });
  });

  it('PASSes with the caller\'s reason and the version, marked when the profile changed the rules', () => {
    expect(cryptoOutcome([], rules, 'ssh: all allowed')).to.deep.equal({ verdict: 'PASS', reason: 'ssh: all allowed (rules crypto-2026.11)' });
    expect(cryptoOutcome([], rulesWith({ tls: { versions: ['TLSv1.3'] } }), 'ok').reason).to.equal('ok (rules crypto-2026.11+profile)');
  });
});
