import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { parse } from 'yaml';
import { cryptoRulesRef, describeCryptoChanges, effectiveCryptoRules } from '../../harness/crypto/effective.js';
import { loadBaseCryptoRules } from '../../harness/crypto/load.js';
import { CryptoRules, type CryptoPermit, type CryptoRestrict } from '../../harness/crypto/schema.js';
import { cataloguePath } from '../../harness/paths.js';

const FILE = cataloguePath('crypto', 'crypto-rules.yaml');
const VERSION = 'crypto-2026.12';
const change = (restrict: CryptoRestrict = {}, permit: CryptoPermit[] = []) => effectiveCryptoRules({ restrict, permit });
const permit = (rule: CryptoPermit['rule'], value: string | number): CryptoPermit => ({ rule, value, justification: 'the vendor app of 2019 needs it' });

describe('crypto rules: the versioned rule set', () => {
  const { rules, sha256 } = loadBaseCryptoRules();

  it('loads catalogue/crypto/crypto-rules.yaml with its version, changelog and the hash of its bytes', () => {
    expect(rules.id).to.equal('jcstar-crypto');
    expect(rules.version).to.equal(VERSION);
    expect(rules.changelog[0]).to.include({ version: VERSION, date: '2026-12-03' });
    expect(sha256).to.equal(createHash('sha256').update(readFileSync(FILE)).digest('hex'));
    expect(rules.bases.map((b) => b.id)).to.deep.equal(['cryptrec-list', 'cryptrec-tls', 'mozilla-intermediate', 'rfc7252', 'ssh-audit']);
  });

  it('allows every suite, group and version of Mozilla intermediate 5.7', () => {
    const intermediate = [
      'TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256',
      'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
      'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256', 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
      'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384', 'TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
    ];
    expect(rules.tls.cipherSuites.allow).to.include.members(intermediate);
    expect(rules.tls.groups.allow).to.include.members(['x25519', 'secp256r1', 'secp384r1']);
    expect(rules.tls.versions.allow).to.deep.equal(['TLSv1.2', 'TLSv1.3']);
    expect(rules.tls.minDhePrimeBits).to.equal(2048);
  });

  it('allows only forward-secret AEAD suites on TLS; CBC, static RSA, plain PSK, ARIA, Camellia and CCM_8 warn', () => {
    const { cipherSuites } = rules.tls;
    const tls12 = cipherSuites.allow.filter((s) => s.includes('_WITH_'));
    expect(tls12.every((s) => /^TLS_(ECDHE_ECDSA|ECDHE_RSA|DHE_RSA|ECDHE_PSK|DHE_PSK)_WITH_/.test(s)), tls12.join()).to.equal(true);
    expect(cipherSuites.allow.filter((s) => /_CBC_|_CCM_8|^TLS_PSK_|^TLS_RSA_|ARIA|CAMELLIA|RC4|3DES|NULL/.test(s))).to.deep.equal([]);
    const warned = cipherSuites.warn.flatMap((g) => g.items);
    expect(warned).to.include.members(['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', 'TLS_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_ARIA_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_CAMELLIA_128_GCM_SHA256', 'TLS_AES_128_CCM_8_SHA256']);
    expect(warned.filter((s) => /NULL|anon|EXPORT|RC4|DES|MD5/.test(s))).to.deep.equal([]);
  });

  it('fails what allows eavesdropping or forgery now, each group with its reason', () => {
    const failed = (list: { fail: Array<{ why: string; items: string[] }> }) => list.fail.flatMap((g) => g.items);
    expect(failed(rules.tls.versions)).to.deep.equal(['SSLv3', 'TLSv1.0', 'TLSv1.1']);
    expect(failed(rules.tls.cipherSuites)).to.include.members(['TLS_RSA_WITH_NULL_SHA', 'TLS_DH_anon_WITH_AES_128_CBC_SHA', 'TLS_RSA_EXPORT_WITH_RC4_40_MD5', 'TLS_RSA_WITH_RC4_128_SHA', 'TLS_RSA_WITH_3DES_EDE_CBC_SHA', 'TLS_RSA_WITH_DES_CBC_SHA']);
    expect(rules.tls.cipherSuites.fail.map((g) => g.why.split(':')[0])).to.deep.equal(['anonymous key exchange', 'NULL encryption', 'EXPORT grade', 'RC4', 'DES and 3DES', 'MD5 or IDEA', 'DSA server keys']);
  });

  it('treats the CCM_8 twins alike: allowed on DTLS (RFC 7252 §9.1.3), a warning on TLS', () => {
    expect(rules.dtls.cipherSuites.allow).to.include.members(['TLS_PSK_WITH_AES_128_CCM_8', 'TLS_PSK_WITH_AES_256_CCM_8', 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8', 'TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8']);
    const tlsWarned = rules.tls.cipherSuites.warn.flatMap((g) => g.items);
    expect(tlsWarned).to.include.members(['TLS_PSK_WITH_AES_128_CCM_8', 'TLS_PSK_WITH_AES_256_CCM_8', 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8', 'TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8']);
    expect(rules.dtls.versions.allow).to.deep.equal(['DTLSv1.2']);
    expect(rules.dtls.cipherSuites.allow.filter((s) => /_CBC_|NULL|RC4/.test(s))).to.deep.equal([]);
  });

  it('grades SSH as ssh-audit 2.5.0 does: its failures fail, SHA-1, CBC and ssh-rsa warn', () => {
    const { ssh } = rules;
    const failed = (list: { fail: Array<{ items: string[] }> }) => list.fail.flatMap((g) => g.items);
    const warned = (list: { warn: Array<{ items: string[] }> }) => list.warn.flatMap((g) => g.items);
    expect(failed(ssh.kex)).to.include.members(['diffie-hellman-group1-sha1', 'diffie-hellman-group-exchange-sha1']);
    expect(warned(ssh.kex)).to.deep.equal(['diffie-hellman-group14-sha1']);
    expect(ssh.kex.allow.filter((k) => k.endsWith('-sha1'))).to.deep.equal([]);
    expect(warned(ssh.hostKey)).to.include('ssh-rsa');
    expect(failed(ssh.hostKey)).to.include('ssh-dss');
    expect(warned(ssh.encryption)).to.include.members(['aes128-cbc', 'aes256-cbc']);
    expect(failed(ssh.encryption)).to.include.members(['3des-cbc', 'arcfour', 'blowfish-cbc']);
    expect(ssh.encryption.allow.filter((e) => /cbc|3des|arcfour|blowfish/.test(e))).to.deep.equal([]);
    expect(warned(ssh.mac)).to.include.members(['hmac-sha1', 'hmac-sha1-etm@openssh.com', 'umac-64@openssh.com']);
    expect(failed(ssh.mac)).to.include.members(['hmac-md5']);
    expect(ssh.mac.allow.filter((m) => /sha1|md5|-96|umac-64/.test(m))).to.deep.equal([]);
    expect(ssh.kexMarkers).to.include('kex-strict-s-v00@openssh.com');
    expect(ssh.minRsaHostKeyBits).to.equal(2048);
  });

  it('rejects a rule set naming a cipher suite or group the probes do not know, at the entry', () => {
    const data = parse(readFileSync(FILE, 'utf8'));
    data.tls.cipherSuites.allow[2] = 'TLS_CHACHA20_POLY1305_SHA265';
    data.tls.groups.allow.push('x22519');
    data.tls.cipherSuites.warn[0].items.push('TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256');
    const issues = CryptoRules.safeParse(data).error!.issues.map((i) => [i.path.join('.'), i.message]);
    expect(issues).to.deep.equal([
      ['tls.cipherSuites.allow.2', 'unknown cipher suite "TLS_CHACHA20_POLY1305_SHA265"'],
      ['tls.groups.allow.10', 'unknown group "x22519"'],
      ['tls.cipherSuites', '"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256" is listed twice: each item has one severity'],
    ]);
  });

  it('rejects a rule set whose newest changelog entry is not for its version', () => {
    const data = parse(readFileSync(FILE, 'utf8'));
    data.version = 'crypto-2027.01';
    expect(CryptoRules.safeParse(data).error!.issues.map((i) => i.message)).to.deep.equal(['the newest changelog entry must be for crypto-2027.01']);
  });
});

describe('crypto rules: what a profile may change', () => {
  it('leaves the base rules and version alone when the profile changes nothing', () => {
    const { rules, problems } = change();
    expect(problems).to.deep.equal([]);
    expect(rules.version).to.equal(VERSION);
    expect(rules.changes).to.deep.equal([]);
    expect(cryptoRulesRef(rules)).to.deep.equal({ version: VERSION, base: { id: 'jcstar-crypto', version: VERSION, sha256: loadBaseCryptoRules().sha256 }, changes: [] });
  });

  it('applies restrictions without a justification and records them, marking the version', () => {
    const { rules, problems } = change({ tls: { versions: ['TLSv1.3'], minDhePrimeBits: 3072 }, certificate: { untrusted: 'fail', forbiddenSignatureHashes: ['md5', 'sha1', 'sha224'] } });
    expect(problems).to.deep.equal([]);
    expect(rules.tls.versions.allow).to.deep.equal(['TLSv1.3']);
    expect(rules.tls.versions.fail[0]).to.deep.equal({ why: "removed by the profile's crypto.restrict", items: ['TLSv1.2'] });
    expect(rules.tls.minDhePrimeBits).to.equal(3072);
    expect(rules.certificate.untrusted).to.equal('fail');
    expect(rules.version).to.equal(`${VERSION}+profile`);
    expect(rules.changes).to.deep.equal([
      { kind: 'restrict', rule: 'tls.versions', value: ['TLSv1.3'] },
      { kind: 'restrict', rule: 'tls.minDhePrimeBits', value: 3072 },
      { kind: 'restrict', rule: 'certificate.untrusted', value: 'fail' },
      { kind: 'restrict', rule: 'certificate.forbiddenSignatureHashes', value: ['md5', 'sha1', 'sha224'] },
    ]);
    expect(describeCryptoChanges(rules)).to.equal(
      'restrict tls.versions to TLSv1.3; restrict tls.minDhePrimeBits to 3072; restrict certificate.untrusted to fail; restrict certificate.forbiddenSignatureHashes to md5, sha1, sha224',
    );
  });

  it('records nothing for a restriction equal to the base rule, lists compared as sets', () => {
    const { rules } = change({ tls: { minDhePrimeBits: 2048, versions: ['TLSv1.3', 'TLSv1.2'] }, certificate: { untrusted: 'review' } });
    expect(rules.changes).to.deep.equal([]);
    expect(rules.version).to.equal(VERSION);
  });

  it('refuses a restriction that loosens, naming the value and pointing at permit', () => {
    const { problems } = change({
      tls: { versions: ['TLSv1.2', 'TLSv1.1'], minDhePrimeBits: 1024, compression: 'allowed' },
      certificate: { forbiddenSignatureHashes: ['md5'] },
      ssh: { mac: ['hmac-sha2-256-etm@openssh.com', 'hmac-md5'] },
    });
    expect(problems).to.deep.equal([
      { path: ['restrict', 'tls', 'versions', 1], message: `TLSv1.1 is not allowed by the base rule tls.versions (${VERSION}), and restrict can only narrow it; to allow it, add a crypto.permit entry with a justification` },
      { path: ['restrict', 'tls', 'minDhePrimeBits'], message: `1024 is below the base minimum of 2048 (tls.minDhePrimeBits, ${VERSION}), and restrict can only raise it; to lower it, add a crypto.permit entry with a justification` },
      { path: ['restrict', 'tls', 'compression'], message: `allowed is looser than the base rule's forbidden (tls.compression, ${VERSION}), and restrict can only tighten it; to loosen it, add a crypto.permit entry with a justification` },
      { path: ['restrict', 'certificate', 'forbiddenSignatureHashes'], message: `restrict cannot drop sha1 from certificate.forbiddenSignatureHashes (${VERSION}); to stop forbidding it, add a crypto.permit entry with a justification` },
      { path: ['restrict', 'ssh', 'mac', 1], message: `hmac-md5 is not allowed by the base rule ssh.mac (${VERSION}), and restrict can only narrow it; to allow it, add a crypto.permit entry with a justification` },
    ]);
  });

  it('tells a misspelt cipher suite from a forbidden one in a restriction', () => {
    const { problems } = change({ tls: { cipherSuites: ['TLS_AES_128_GCM_SHA265', 'TLS_RSA_WITH_RC4_128_SHA', 'TLS_RSA_WITH_AES_128_GCM_SHA256'] } });
    expect(problems.map((p) => p.message)).to.deep.equal([
      'unknown tls.cipherSuites value "TLS_AES_128_GCM_SHA265"; did you mean "TLS_AES_128_GCM_SHA256"?',
      `TLS_RSA_WITH_RC4_128_SHA is not allowed by the base rule tls.cipherSuites (${VERSION}), and restrict can only narrow it; to allow it, add a crypto.permit entry with a justification`,
    ]);
  });

  it('applies permits after restrictions, each recorded with its justification', () => {
    const { rules, problems } = change({ tls: { cipherSuites: ['TLS_AES_128_GCM_SHA256'] } }, [
      permit('tls.cipherSuites', 'TLS_RSA_WITH_AES_128_GCM_SHA256'),
      permit('tls.minDhePrimeBits', 1024),
      permit('certificate.forbiddenSignatureHashes', 'sha1'),
      permit('tls.secureRenegotiation', 'optional'),
      permit('ssh.hostKey', 'ssh-rsa'),
    ]);
    expect(problems).to.deep.equal([]);
    expect(rules.tls.cipherSuites.allow).to.deep.equal(['TLS_AES_128_GCM_SHA256', 'TLS_RSA_WITH_AES_128_GCM_SHA256']);
    expect(rules.tls.cipherSuites.warn).to.deep.equal([]);
    expect(rules.tls.minDhePrimeBits).to.equal(1024);
    expect(rules.certificate.forbiddenSignatureHashes).to.deep.equal(['md5']);
    expect(rules.tls.secureRenegotiation).to.equal('optional');
    expect(rules.ssh.hostKey.allow).to.include('ssh-rsa');
    expect(rules.ssh.hostKey.warn.flatMap((g) => g.items)).to.deep.equal(['ssh-rsa-cert-v01@openssh.com']);
    expect(rules.changes[1]).to.deep.equal({ kind: 'permit', rule: 'tls.cipherSuites', value: 'TLS_RSA_WITH_AES_128_GCM_SHA256', justification: 'the vendor app of 2019 needs it' });
    expect(describeCryptoChanges(rules)).to.match(/^restrict tls.cipherSuites to TLS_AES_128_GCM_SHA256; permit tls.cipherSuites TLS_RSA_WITH_AES_128_GCM_SHA256 \("the vendor app of 2019 needs it"\); /);
  });

  it('refuses a permit that loosens nothing or names nothing real', () => {
    const { problems } = change({}, [
      permit('tls.versions', 'TLSv1.3'),
      permit('tls.cipherSuites', 'TLS_RSA_WITH_RC4_128_SH'),
      permit('tls.minDhePrimeBits', 4096),
      permit('tls.minDhePrimeBits', 'small'),
      permit('certificate.untrusted', 'fail'),
      permit('tls.compression', 'allow'),
      permit('certificate.forbiddenSignatureHashes', 'sha256'),
      permit('ssh.kex', 2048),
    ]);
    expect(problems).to.deep.equal([
      { path: ['permit', 0, 'value'], message: `TLSv1.3 is already allowed by tls.versions (${VERSION}); permit only what the rules warn about or forbid` },
      { path: ['permit', 1, 'value'], message: 'unknown tls.cipherSuites value "TLS_RSA_WITH_RC4_128_SH"; did you mean "TLS_RSA_WITH_RC4_128_SHA"?' },
      { path: ['permit', 2, 'value'], message: `4096 is not below the base minimum of 2048 (tls.minDhePrimeBits, ${VERSION}); a permit only loosens; use crypto.restrict to tighten` },
      { path: ['permit', 3, 'value'], message: 'expected a number of bits for tls.minDhePrimeBits, found "small"' },
      { path: ['permit', 4, 'value'], message: `fail is not looser than the base rule's review (certificate.untrusted, ${VERSION}); a permit only loosens; use crypto.restrict to tighten` },
      { path: ['permit', 5, 'value'], message: 'expected one of forbidden, allowed for tls.compression, found "allow"; did you mean "allowed"?' },
      { path: ['permit', 6, 'value'], message: `sha256 is not forbidden by certificate.forbiddenSignatureHashes (${VERSION}); nothing to permit` },
      { path: ['permit', 7, 'value'], message: 'expected a name for ssh.kex, found 2048' },
    ]);
  });
});
