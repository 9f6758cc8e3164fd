import { expect } from 'chai';
import type { CryptoFinding } from '../../harness/crypto/finding.js';
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

/** Severity and item without the rule's reason, which the rule set words. */
const short = (findings: CryptoFinding[]) => findings.map((f) => [f.severity, f.item.replace(/ \(.*$/, '')]);

describe('crypto judge: SSH', () => {
  it('finds nothing in a hardened OpenSSH, the strict-kex marker and delayed compression included', () => {
    expect(judgeSsh(HARDENED, [ECDSA_KEY], rulesWith())).to.deep.equal([]);
  });

  it('names each item once, from either direction: failures, and warnings where a clean item is offered beside them', () => {
    const findings = judgeSsh(LEGACY, LEGACY_KEYS, rulesWith());
    expect(short(findings)).to.deep.equal([
      ['fail', 'kex diffie-hellman-group1-sha1'],
      ['warn', 'kex diffie-hellman-group14-sha1'],
      ['warn', 'host key ssh-rsa'],
      ['fail', 'host key ssh-dss'],
      ['warn', 'encryption aes128-cbc'],
      ['fail', 'encryption 3des-cbc'],
      ['fail', 'encryption arcfour'],
      ['warn', 'mac hmac-sha1'],
      ['fail', 'mac hmac-md5'],
      ['warn', 'compression zlib'],
      ['fail', 'RSA host key of 1024 bits'],
      ['unread', 'host key ssh-dss offered, but its size was not read: other: cannot request ssh-dss'],
    ]);
    expect(findings.find((f) => f.item.startsWith('mac hmac-sha1'))!.item).to.equal('mac hmac-sha1 (HMAC-SHA1: no practical forgery, deprecated; a warning beside a SHA-2 or UMAC-128 MAC)');
    expect(new Set(findings.map((f) => f.rule))).to.deep.equal(new Set(['ssh.kex', 'ssh.hostKey', 'ssh.encryption', 'ssh.mac', 'ssh.compression', 'ssh.minRsaHostKeyBits', 'ssh.hostKeySizes']));
  });

  it('fails a warn item that has no clean item beside it, and says so: CBC-only encryption, SHA-1-only MACs', () => {
    const cbcOnly = { ...HARDENED, encryptionCtoS: ['aes256-cbc', 'aes128-cbc'], encryptionStoC: ['aes256-cbc', 'aes128-cbc'], macCtoS: ['hmac-sha1'], macStoC: ['hmac-sha1'] };
    const findings = judgeSsh(cbcOnly, [ECDSA_KEY], rulesWith());
    expect(short(findings)).to.deep.equal([
      ['fail', 'encryption aes256-cbc'],
      ['fail', 'encryption aes128-cbc'],
      ['fail', 'mac hmac-sha1'],
    ]);
    expect(findings[0]!.item).to.match(/^encryption aes256-cbc \(CBC .*\), and no clean encryption is offered beside it$/);
  });

  it('does not count the kex markers as a clean key exchange', () => {
    const findings = judgeSsh({ ...HARDENED, kex: ['diffie-hellman-group14-sha1', 'ext-info-s', 'kex-strict-s-v00@openssh.com'] }, [ECDSA_KEY], rulesWith());
    expect(short(findings)).to.deep.equal([['fail', 'kex diffie-hellman-group14-sha1']]);
    expect(findings[0]!.item).to.match(/, and no clean kex is offered beside it$/);
  });

  it('judges RSA key sizes against the minimum, and needs the size of every RSA, DSA and ECDSA key offered', () => {
    expect(judgeSsh({ ...HARDENED, hostKey: ['rsa-sha2-512'] }, [rsa('rsa-sha2-512', 3072)], rulesWith())).to.deep.equal([]);
    expect(judgeSsh({ ...HARDENED, hostKey: ['rsa-sha2-512'] }, [rsa('rsa-sha2-512', 3072)], rulesWith({ ssh: { minRsaHostKeyBits: 4096 } })).map((f) => f.item)).to.deep.equal([
      'RSA host key of 3072 bits',
    ]);
    // One algorithm read for the RSA key is enough: rsa-sha2-256 and -512 present the same key.
    const closed: HostKeyObservation = { algorithm: 'rsa-sha2-256', outcome: 'error', failure: 'closed', detail: 'closed', latencyMs: 3 };
    expect(judgeSsh({ ...HARDENED, hostKey: ['rsa-sha2-512', 'rsa-sha2-256'] }, [rsa('rsa-sha2-512', 3072), closed], rulesWith())).to.deep.equal([]);
    expect(judgeSsh({ ...HARDENED, hostKey: ['ecdsa-sha2-nistp256', 'rsa-sha2-256'] }, [ECDSA_KEY, closed], rulesWith())).to.deep.equal([
      { rule: 'ssh.hostKeySizes', item: 'host key rsa-sha2-256 offered, but its size was not read: closed: closed', severity: 'unread' },
    ]);
    // Ed25519 has one size; nothing to read.
    expect(judgeSsh({ ...HARDENED, hostKey: ['ssh-ed25519'] }, [], rulesWith())).to.deep.equal([]);
  });

  it('follows the profile: a permitted MAC is no longer named, a restricted list fails what it drops, warn items included', () => {
    const permitted = rulesWith({}, [{ rule: 'ssh.mac', value: 'hmac-sha1', justification: 'the maintenance tool only speaks hmac-sha1' }]);
    expect(judgeSsh(LEGACY, LEGACY_KEYS, permitted).map((f) => f.item)).to.not.include.members(['mac hmac-sha1']);
    expect(short(judgeSsh(LEGACY, LEGACY_KEYS, permitted)).filter(([, item]) => item!.startsWith('mac'))).to.deep.equal([['fail', 'mac hmac-md5']]);
    const restricted = rulesWith({ ssh: { kex: ['sntrup761x25519-sha512@openssh.com'] } });
    expect(judgeSsh(HARDENED, [ECDSA_KEY], restricted)).to.deep.equal([
      { rule: 'ssh.kex', item: "kex curve25519-sha256 (removed by the profile's crypto.restrict)", subject: 'kex curve25519-sha256', severity: 'fail' },
    ]);
    const noSha1 = rulesWith({ ssh: { mac: ['hmac-sha2-256', 'hmac-sha2-512'] } });
    expect(short(judgeSsh({ ...HARDENED, macCtoS: ['hmac-sha2-256', 'hmac-sha1'], macStoC: ['hmac-sha2-256', 'hmac-sha1'] }, [ECDSA_KEY], noSha1))).to.deep.equal([['fail', 'mac hmac-sha1']]);
  });
});

describe('crypto verdicts', () => {
  const rules = rulesWith();
  const finding = (severity: CryptoFinding['severity'], item: string): CryptoFinding => ({ rule: 'tls.cipherSuites', item, severity });

  it('FAILs naming every failing item, with the rule-set version, and keeps the warnings', () => {
    const outcome = cryptoOutcome([finding('fail', 'accepts TLSv1.0'), finding('warn', 'mac hmac-sha1'), finding('unread', 'host key ssh-dss unread')], rules, 'unused');
    expect(outcome).to.deep.equal({ verdict: 'FAIL', reason: 'accepts TLSv1.0 (rules crypto-2026.12); not read: host key ssh-dss unread', warnings: ['mac hmac-sha1'] });
  });

  it('is INCONCLUSIVE when a fact the rules need was not read, never PASS', () => {
    expect(cryptoOutcome([finding('unread', 'certificate unreadable (truncated)'), finding('warn', 'mac hmac-sha1')], rules, 'unused')).to.deep.equal({
      verdict: 'INCONCLUSIVE',
      reason: 'certificate unreadable (truncated) (rules crypto-2026.12)',
      warnings: ['mac hmac-sha1'],
    });
  });

  it('adds the items to review after a FAIL, and is MANUAL when only reviews remain', () => {
    const review = { rule: 'certificate.untrusted' as const, item: 'certificate chain not anchored in a trust anchor the profile names (self-signed)', severity: 'review' as const };
    const failed = { rule: 'tls.versions' as const, item: 'accepts TLSv1.0', severity: 'fail' as const };
    expect(cryptoOutcome([review, failed], rules, 'unused')).to.deep.equal({
      verdict: 'FAIL',
      reason: 'accepts TLSv1.0 (rules crypto-2026.12); to review: certificate chain not anchored in a trust anchor the profile names (self-signed)',
    });
    expect(cryptoOutcome([review], rules, 'unused')).to.deep.equal({
      verdict: 'MANUAL',
      reason: 'to review: certificate chain not anchored in a trust anchor the profile names (self-signed) (rules crypto-2026.12)',
    });
  });

  it('PASSes with the caller\'s reason and the version, naming warnings, marked when the profile changed the rules', () => {
    expect(cryptoOutcome([], rules, 'ssh: all allowed')).to.deep.equal({ verdict: 'PASS', reason: 'ssh: all allowed (rules crypto-2026.12)' });
    expect(cryptoOutcome([finding('warn', 'mac hmac-sha1 (SHA-1)')], rules, 'ssh: ok')).to.deep.equal({
      verdict: 'PASS',
      reason: 'ssh: ok, with 1 warning(s): mac hmac-sha1 (SHA-1) (rules crypto-2026.12)',
      warnings: ['mac hmac-sha1 (SHA-1)'],
    });
    expect(cryptoOutcome([], rulesWith({ tls: { versions: ['TLSv1.3'] } }), 'ok').reason).to.equal('ok (rules crypto-2026.12+profile)');
  });
});
