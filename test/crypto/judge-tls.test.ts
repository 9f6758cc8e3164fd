import { expect } from 'chai';
import type { CryptoFinding } from '../../harness/crypto/finding.js';
import { cryptoOutcome } from '../../harness/crypto/verdict.js';
import { judgeDtls } from '../../harness/crypto/judge-dtls.js';
import { judgeTls } from '../../harness/crypto/judge-tls.js';
import type { DtlsObservation, KindCertificateObservation, SuiteOrder, TlsObservation } from '../../harness/probes/tls/observation.js';
import { certificate, chain, rulesWith, suites } from './observations.js';

const items = (findings: CryptoFinding[]) => findings.map((f) => f.item);
/** Severity and item without the rule's reason, which the rule set words. */
const short = (findings: CryptoFinding[]) => findings.map((f) => [f.severity, f.item.replace(/ \(.*$/, '')]);
const CERTIFICATE_MESSAGE = { version: 'TLSv1.2' as const, suite: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', content: 'chain' as const, detail: null };

function tls(overrides: Partial<TlsObservation> = {}): TlsObservation {
  return {
    outcome: 'observed',
    host: '127.0.0.1',
    port: 443,
    transport: 'implicit',
    versions: [
      { version: 'SSLv3', offered: false, cipherSuites: [], order: 'unknown' },
      { version: 'TLSv1.0', offered: false, cipherSuites: [], order: 'unknown' },
      { version: 'TLSv1.1', offered: false, cipherSuites: [], order: 'unknown' },
      { version: 'TLSv1.2', offered: true, cipherSuites: suites('TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256'), order: 'server' },
      { version: 'TLSv1.3', offered: true, cipherSuites: suites('TLS_AES_256_GCM_SHA384', 'TLS_AES_128_GCM_SHA256'), order: 'client' },
    ],
    groups: [
      { code: 0x1d, name: 'x25519', versions: ['TLSv1.2', 'TLSv1.3'] },
      { code: 0x17, name: 'secp256r1', versions: ['TLSv1.2', 'TLSv1.3'] },
    ],
    dhePrimeBits: [],
    certificateChain: chain(),
    certificateError: null,
    certificateMessage: CERTIFICATE_MESSAGE,
    otherCertificates: [],
    secureRenegotiation: true,
    compression: false,
    handshakes: 40,
    durationMs: 310,
    ...overrides,
  };
}

/** A 2010-era stack: TLS 1.0 and 1.1, RC4 and static RSA on 1.2, a small curve, a 1024-bit DHE prime, DEFLATE. */
const LEGACY = tls({
  versions: [
    { version: 'SSLv3', offered: false, cipherSuites: [], order: 'unknown' },
    { version: 'TLSv1.0', offered: true, cipherSuites: suites('TLS_RSA_WITH_RC4_128_SHA', 'TLS_RSA_WITH_3DES_EDE_CBC_SHA'), order: 'server' },
    { version: 'TLSv1.1', offered: true, cipherSuites: suites('TLS_RSA_WITH_RC4_128_SHA'), order: 'server' },
    {
      version: 'TLSv1.2',
      offered: true,
      cipherSuites: suites('TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_RSA_WITH_RC4_128_SHA', 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA', 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256'),
      order: 'server',
    },
    { version: 'TLSv1.3', offered: false, cipherSuites: [], order: 'unknown' },
  ],
  groups: [
    { code: 0x17, name: 'secp256r1', versions: ['TLSv1.0', 'TLSv1.1', 'TLSv1.2'] },
    { code: 0x13, name: 'secp192r1', versions: ['TLSv1.2'] },
    { code: 0x0b, name: 'sect409k1', versions: ['TLSv1.0'] },
  ],
  dhePrimeBits: [1024, 2048, 1024],
  compression: true,
  secureRenegotiation: false,
});

describe('crypto judge: TLS', () => {
  it('finds nothing in a TLS 1.2/1.3 server with forward-secret AEAD suites and a sound certificate', () => {
    expect(judgeTls(tls(), rulesWith())).to.deep.equal([]);
  });

  it('names every item of a legacy server, in the words of a report, with its severity', () => {
    const findings = judgeTls(LEGACY, rulesWith());
    expect(short(findings)).to.deep.equal([
      ['fail', 'accepts TLSv1.0'],
      ['fail', 'accepts TLSv1.1'],
      ['fail', 'accepts TLS_RSA_WITH_RC4_128_SHA on TLSv1.2'],
      ['warn', 'accepts TLS_DHE_RSA_WITH_AES_128_CBC_SHA on TLSv1.2'],
      ['fail', 'group secp192r1'],
      ['fail', 'DHE prime of 1024 bits'],
      ['fail', 'compression'],
      ['fail', 'no secure renegotiation'],
    ]);
    expect(findings[0]!.item).to.equal('accepts TLSv1.0 (SSL 3.0, TLS 1.0 and 1.1: deprecated by RFC 8996 (MD5/SHA-1 handshake integrity, BEAST, POODLE))');
    expect(findings[2]!.item).to.equal('accepts TLS_RSA_WITH_RC4_128_SHA on TLSv1.2 (RC4: biased keystream, plaintext recovery (RFC 7465 prohibits it))');
    expect(findings.map((f) => f.rule)).to.deep.equal([
      'tls.versions', 'tls.versions', 'tls.cipherSuites', 'tls.cipherSuites', 'tls.groups', 'tls.minDhePrimeBits', 'tls.compression', 'tls.secureRenegotiation',
    ]);
  });

  it('warns of a CBC or static-RSA suite only while the server negotiates a clean suite first', () => {
    const tls12 = (names: string[], order: SuiteOrder) => tls({ versions: [{ version: 'TLSv1.2', offered: true, cipherSuites: suites(...names), order }] });
    const aeadFirst = ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', 'TLS_RSA_WITH_AES_128_GCM_SHA256'];
    expect(short(judgeTls(tls12(aeadFirst, 'server'), rulesWith()))).to.deep.equal([
      ['warn', 'accepts TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA on TLSv1.2'],
      ['warn', 'accepts TLS_RSA_WITH_AES_128_GCM_SHA256 on TLSv1.2'],
    ]);
    // The client chooses: a clean suite on offer is enough.
    expect(short(judgeTls(tls12([...aeadFirst].reverse(), 'client'), rulesWith())).map(([severity]) => severity)).to.deep.equal(['warn', 'warn']);
    // The server prefers CBC: a client offering both gets CBC.
    const cbcFirst = judgeTls(tls12(['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA'], 'server'), rulesWith());
    expect(short(cbcFirst)).to.deep.equal([
      ['fail', 'accepts TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA on TLSv1.2'],
      ['warn', 'accepts TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA on TLSv1.2'],
    ]);
    expect(cbcFirst[0]!.item).to.match(/, and the server prefers it to its clean suites \(first clean: TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256\)$/);
    // CBC only: nothing clean to negotiate.
    const cbcOnly = judgeTls(tls12(['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA'], 'server'), rulesWith());
    expect(short(cbcOnly).map(([severity]) => severity)).to.deep.equal(['fail', 'fail']);
    expect(cbcOnly[0]!.item).to.match(/, and no clean suite is offered on TLSv1\.2$/);
  });

  it('leaves a warn suite unread when neither the server\'s nor the client\'s order was shown', () => {
    const cbcFirst = ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'];
    const findings = judgeTls(tls({ versions: [{ version: 'TLSv1.2', offered: true, cipherSuites: suites(...cbcFirst), order: 'unknown' }] }), rulesWith());
    expect(findings.map((f) => [f.rule, f.severity])).to.deep.equal([['tls.cipherSuites', 'unread']]);
    expect(findings[0]!.item).to.match(/^accepts TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA on TLSv1\.2 \(.*\), and whether a clean suite is negotiated first could not be read \(neither the server's nor the client's order was shown\)$/);
    const outcome = cryptoOutcome(findings, rulesWith(), 'passes');
    expect(outcome.verdict).to.equal('INCONCLUSIVE');
    expect(outcome.reason).to.match(/^accepts TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA on TLSv1\.2 .*whether a clean suite is negotiated first could not be read/);
  });

  it('judges what a permitted version carries once the profile permits it', () => {
    const rules = rulesWith({}, [{ rule: 'tls.versions', value: 'TLSv1.1', justification: 'field units on firmware 1.x cannot be upgraded' }]);
    expect(short(judgeTls(LEGACY, rules)).slice(0, 3)).to.deep.equal([
      ['fail', 'accepts TLSv1.0'],
      ['fail', 'accepts TLS_RSA_WITH_RC4_128_SHA on TLSv1.1'],
      ['fail', 'accepts TLS_RSA_WITH_RC4_128_SHA on TLSv1.2'],
    ]);
  });

  it('allows a permitted suite without a warning, and fails what a restriction drops', () => {
    const observation = tls({
      versions: [{ version: 'TLSv1.2', offered: true, cipherSuites: suites('TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_RSA_WITH_AES_128_GCM_SHA256'), order: 'server' }],
    });
    expect(short(judgeTls(observation, rulesWith()))).to.deep.equal([['warn', 'accepts TLS_RSA_WITH_AES_128_GCM_SHA256 on TLSv1.2']]);
    const permitted = rulesWith({}, [{ rule: 'tls.cipherSuites', value: 'TLS_RSA_WITH_AES_128_GCM_SHA256', justification: 'legacy SCADA master without ECDHE' }]);
    expect(judgeTls(observation, permitted)).to.deep.equal([]);
    const noStaticRsa = rulesWith({ tls: { cipherSuites: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'] } });
    expect(judgeTls(observation, noStaticRsa)).to.deep.equal([
      { rule: 'tls.cipherSuites', item: "accepts TLS_RSA_WITH_AES_128_GCM_SHA256 on TLSv1.2 (removed by the profile's crypto.restrict)", subject: 'accepts TLS_RSA_WITH_AES_128_GCM_SHA256 on TLSv1.2', severity: 'fail' },
    ]);
    const tls13Only = rulesWith({ tls: { versions: ['TLSv1.3'] } });
    expect(items(judgeTls(tls(), tls13Only))).to.deep.equal(["accepts TLSv1.2 (removed by the profile's crypto.restrict)"]);
  });

  it('lowers the DHE floor and forgives compression and renegotiation only by permit', () => {
    const rules = rulesWith({}, [
      { rule: 'tls.minDhePrimeBits', value: 1024, justification: 'hardware DH engine limited to 1024 bits' },
      { rule: 'tls.compression', value: 'allowed', justification: 'link carries no secrets next to attacker data' },
      { rule: 'tls.secureRenegotiation', value: 'optional', justification: 'renegotiation is disabled entirely in the stack' },
    ]);
    const left = items(judgeTls(LEGACY, rules));
    expect(left).to.not.include.members(['DHE prime of 1024 bits', 'compression (DEFLATE) accepted', 'no secure renegotiation']);
    expect(items(judgeTls(LEGACY, rulesWith({ tls: { minDhePrimeBits: 4096 } })))).to.include('DHE prime of 2048 bits');
  });

  it('says nothing about renegotiation or compression it could not observe (TLS 1.3 only)', () => {
    expect(judgeTls(tls({ secureRenegotiation: null, compression: null }), rulesWith())).to.deep.equal([]);
  });

  it('includes the certificate findings, naming the host the profile gave', () => {
    const findings = judgeTls(tls({ certificateChain: chain({ hostMatches: false }) }), rulesWith());
    expect(items(findings)).to.deep.equal(['certificate does not name 127.0.0.1 (it names cam.example, 127.0.0.1)']);
    expect(findings[0]!.severity).to.equal('review');
  });

  it('cannot judge a certificate it could not read, and keeps the reason', () => {
    const findings = judgeTls(tls({ certificateChain: null, certificateError: 'chain certificate 1 is not X.509 DER' }), rulesWith());
    expect(findings).to.deep.equal([{ rule: 'certificate.readable', item: 'certificate unreadable (chain certificate 1 is not X.509 DER)', severity: 'unread' }]);
    const malformed = { ...CERTIFICATE_MESSAGE, content: 'malformed' as const, detail: 'certificate_list is truncated' };
    expect(judgeTls(tls({ certificateChain: null, certificateMessage: malformed }), rulesWith())).to.deep.equal([
      { rule: 'certificate.readable', item: 'the Certificate message on TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 could not be parsed (certificate_list is truncated)', severity: 'unread' },
    ]);
    const closed = { version: 'TLSv1.2' as const, suite: null, content: 'incomplete' as const, detail: 'alert handshake_failure' };
    expect(judgeTls(tls({ certificateChain: null, certificateMessage: closed }), rulesWith())).to.deep.equal([
      { rule: 'certificate.readable', item: 'the server accepts TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, but its certificate was not read: alert handshake_failure', severity: 'unread' },
    ]);
  });

  it('fails a certificate-based suite on which the server sent no certificate', () => {
    const empty = { ...CERTIFICATE_MESSAGE, suite: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', content: 'empty' as const };
    expect(judgeTls(tls({ certificateChain: null, certificateMessage: empty }), rulesWith())).to.deep.equal([
      {
        rule: 'certificate.sent',
        item: 'the server sent no certificate on TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (an empty Certificate message on TLSv1.2), so clients cannot authenticate it',
        severity: 'fail',
      },
    ]);
    const absent = { ...empty, content: 'absent' as const };
    expect(items(judgeTls(tls({ certificateChain: null, certificateMessage: absent }), rulesWith()))).to.deep.equal([
      'the server sent no certificate on TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (no Certificate message on TLSv1.2), so clients cannot authenticate it',
    ]);
  });

  it('judges the certificate of every kind of suite, naming the kind, and cannot pass one it did not read', () => {
    const dual = (other: Partial<KindCertificateObservation>) =>
      tls({
        versions: [
          { version: 'TLSv1.2', offered: true, cipherSuites: suites('TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'), order: 'server' },
        ],
        otherCertificates: [{ kind: 'RSA', certificateChain: null, certificateError: null, certificateMessage: { version: 'TLSv1.2', suite: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', content: 'chain', detail: null }, ...other }],
      });
    const weakRsa = chain({ certificates: [certificate({ keyType: 'RSA', keyBits: 1024, curve: null, sha256Fingerprint: 'rsa-1024' }), chain().certificates[1]!] });
    expect(judgeTls(dual({ certificateChain: weakRsa }), rulesWith())).to.deep.equal([
      { rule: 'certificate.minRsaBits', item: 'certificate RSA key of 1024 bits (on the RSA suites)', severity: 'fail' },
    ]);
    const refused = { version: 'TLSv1.2' as const, suite: null, content: 'incomplete' as const, detail: 'alert handshake_failure' };
    const notRead = judgeTls(dual({ certificateMessage: refused }), rulesWith());
    expect(notRead).to.deep.equal([
      { rule: 'certificate.readable', item: 'the server accepts TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, but its certificate was not read: alert handshake_failure (on the RSA suites)', severity: 'unread' },
    ]);
    expect(cryptoOutcome(notRead, rulesWith(), 'passes').verdict).to.equal('INCONCLUSIVE');
    // One certificate for both kinds (never for ECDSA and RSA, but so for static ECDH beside ECDSA): judged once.
    const sameKey = judgeTls(dual({ certificateChain: chain({ hostMatches: false }) }), rulesWith());
    expect(items(sameKey)).to.deep.equal([]);
  });

  it('needs no certificate from a server whose suites are all PSK', () => {
    const psk = tls({
      versions: [{ version: 'TLSv1.2', offered: true, cipherSuites: suites('TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256'), order: 'unknown' }],
      certificateChain: null,
      certificateMessage: { version: 'TLSv1.2', suite: 'TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256', content: 'absent', detail: null },
    });
    expect(judgeTls(psk, rulesWith())).to.deep.equal([]);
  });
});

function dtls(overrides: Partial<DtlsObservation> = {}): DtlsObservation {
  return {
    outcome: 'observed',
    host: '127.0.0.1',
    port: 5684,
    versions: [
      { version: 'DTLSv1.0', offered: false, cipherSuites: [], order: 'unknown' },
      { version: 'DTLSv1.2', offered: true, cipherSuites: suites('TLS_PSK_WITH_AES_128_CCM_8', 'TLS_PSK_WITH_AES_128_GCM_SHA256'), order: 'server' },
    ],
    helloVerifyRequest: { sent: true, cookieBytes: 32 },
    certificateChain: null,
    certificateError: null,
    certificateMessage: null,
    otherCertificates: [],
    datagrams: 12,
    durationMs: 95,
    ...overrides,
  };
}

describe('crypto judge: DTLS', () => {
  it('allows the CoAP PreSharedKey suite on DTLS 1.2', () => {
    expect(judgeDtls(dtls(), rulesWith())).to.deep.equal([]);
  });

  it('allows both CCM_8 twins (RFC 7252) and warns of CBC beside them', () => {
    const observation = dtls({
      versions: [
        { version: 'DTLSv1.0', offered: true, cipherSuites: suites('TLS_PSK_WITH_AES_128_CBC_SHA'), order: 'unknown' },
        { version: 'DTLSv1.2', offered: true, cipherSuites: suites('TLS_PSK_WITH_AES_128_CCM_8', 'TLS_PSK_WITH_AES_128_CBC_SHA256', 'TLS_PSK_WITH_NULL_SHA256'), order: 'server' },
      ],
    });
    const findings = judgeDtls(observation, rulesWith());
    expect(short(findings)).to.deep.equal([
      ['fail', 'accepts DTLSv1.0'],
      ['warn', 'accepts TLS_PSK_WITH_AES_128_CBC_SHA256 on DTLSv1.2'],
      ['fail', 'accepts TLS_PSK_WITH_NULL_SHA256 on DTLSv1.2'],
    ]);
    expect(findings.map((f) => f.rule)).to.deep.equal(['dtls.versions', 'dtls.cipherSuites', 'dtls.cipherSuites']);
    const twins = dtls({ versions: [{ version: 'DTLSv1.2', offered: true, cipherSuites: suites('TLS_PSK_WITH_AES_256_CCM_8', 'TLS_PSK_WITH_AES_128_CCM_8'), order: 'server' }] });
    expect(judgeDtls(twins, rulesWith())).to.deep.equal([]);
  });

  it('leaves a warn suite unread when the order on DTLS was not shown', () => {
    const observation = dtls({ versions: [{ version: 'DTLSv1.2', offered: true, cipherSuites: suites('TLS_PSK_WITH_AES_128_CBC_SHA256', 'TLS_PSK_WITH_AES_128_CCM_8'), order: 'unknown' }] });
    expect(short(judgeDtls(observation, rulesWith()))).to.deep.equal([['unread', 'accepts TLS_PSK_WITH_AES_128_CBC_SHA256 on DTLSv1.2']]);
    const clientOrder = dtls({ versions: [{ version: 'DTLSv1.2', offered: true, cipherSuites: suites('TLS_PSK_WITH_AES_128_CBC_SHA256', 'TLS_PSK_WITH_AES_128_CCM_8'), order: 'client' }] });
    expect(short(judgeDtls(clientOrder, rulesWith()))).to.deep.equal([['warn', 'accepts TLS_PSK_WITH_AES_128_CBC_SHA256 on DTLSv1.2']]);
  });

  it('judges the certificate of a certificate-mode server', () => {
    const expired = chain({ expired: true, certificates: [{ ...chain().certificates[0]!, notAfter: '2024-01-01T00:00:00.000Z' }, chain().certificates[1]!] });
    expect(items(judgeDtls(dtls({ certificateChain: expired }), rulesWith()))).to.deep.equal(['certificate expired on 2024-01-01']);
  });

  it('fails an ECDHE_ECDSA server that sent an empty Certificate message', () => {
    const observation = dtls({
      versions: [{ version: 'DTLSv1.2', offered: true, cipherSuites: suites('TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8'), order: 'unknown' }],
      certificateMessage: { version: 'DTLSv1.2', suite: 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8', content: 'empty', detail: null },
    });
    expect(short(judgeDtls(observation, rulesWith()))).to.deep.equal([['fail', 'the server sent no certificate on TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8']]);
  });

  it('narrows to the mandatory suite by restriction', () => {
    expect(items(judgeDtls(dtls(), rulesWith({ dtls: { cipherSuites: ['TLS_PSK_WITH_AES_128_CCM_8'] } })))).to.deep.equal([
      "accepts TLS_PSK_WITH_AES_128_GCM_SHA256 on DTLSv1.2 (removed by the profile's crypto.restrict)",
    ]);
  });
});
