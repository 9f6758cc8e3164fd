import { expect } from 'chai';
import type { CryptoFinding } from '../../harness/crypto/finding.js';
import { judgeDtls } from '../../harness/crypto/judge-dtls.js';
import { judgeTls } from '../../harness/crypto/judge-tls.js';
import type { DtlsObservation, TlsObservation } from '../../harness/probes/tls/observation.js';
import { chain, rulesWith, suites } from './observations.js';

const items = (findings: CryptoFinding[]) => findings.map((f) => f.item);

function tls(overrides: Partial<TlsObservation> = {}): TlsObservation {
  return {
    outcome: 'observed',
    host: '127.0.0.1',
    port: 443,
    transport: 'implicit',
    versions: [
      { version: 'SSLv3', offered: false, cipherSuites: [], serverPreference: null },
      { version: 'TLSv1.0', offered: false, cipherSuites: [], serverPreference: null },
      { version: 'TLSv1.1', offered: false, cipherSuites: [], serverPreference: null },
      { version: 'TLSv1.2', offered: true, cipherSuites: suites('TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256'), serverPreference: true },
      { version: 'TLSv1.3', offered: true, cipherSuites: suites('TLS_AES_256_GCM_SHA384', 'TLS_AES_128_GCM_SHA256'), serverPreference: false },
    ],
    groups: [
      { code: 0x1d, name: 'x25519', versions: ['TLSv1.2', 'TLSv1.3'] },
      { code: 0x17, name: 'secp256r1', versions: ['TLSv1.2', 'TLSv1.3'] },
    ],
    dhePrimeBits: [],
    certificateChain: chain(),
    certificateError: null,
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
    { version: 'SSLv3', offered: false, cipherSuites: [], serverPreference: null },
    { version: 'TLSv1.0', offered: true, cipherSuites: suites('TLS_RSA_WITH_RC4_128_SHA', 'TLS_RSA_WITH_3DES_EDE_CBC_SHA'), serverPreference: true },
    { version: 'TLSv1.1', offered: true, cipherSuites: suites('TLS_RSA_WITH_RC4_128_SHA'), serverPreference: true },
    {
      version: 'TLSv1.2',
      offered: true,
      cipherSuites: suites('TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_RSA_WITH_RC4_128_SHA', 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA', 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256'),
      serverPreference: true,
    },
    { version: 'TLSv1.3', offered: false, cipherSuites: [], serverPreference: null },
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

  it('names every offending item of a legacy server, in the words of a report', () => {
    const findings = judgeTls(LEGACY, rulesWith());
    expect(items(findings)).to.deep.equal([
      'accepts TLSv1.0',
      'accepts TLSv1.1',
      'accepts TLS_RSA_WITH_RC4_128_SHA on TLSv1.2',
      'accepts TLS_DHE_RSA_WITH_AES_128_CBC_SHA on TLSv1.2',
      'group secp192r1',
      'DHE prime of 1024 bits',
      'compression (DEFLATE) accepted',
      'no secure renegotiation',
    ]);
    expect(findings.every((f) => f.severity === 'fail')).to.equal(true);
    expect(findings.map((f) => f.rule)).to.deep.equal([
      'tls.versions', 'tls.versions', 'tls.cipherSuites', 'tls.cipherSuites', 'tls.groups', 'tls.minDhePrimeBits', 'tls.compression', 'tls.secureRenegotiation',
    ]);
  });

  it('judges what a permitted version carries once the profile permits it', () => {
    const rules = rulesWith({}, [{ rule: 'tls.versions', value: 'TLSv1.1', justification: 'field units on firmware 1.x cannot be upgraded' }]);
    expect(items(judgeTls(LEGACY, rules)).slice(0, 3)).to.deep.equal(['accepts TLSv1.0', 'accepts TLS_RSA_WITH_RC4_128_SHA on TLSv1.1', 'accepts TLS_RSA_WITH_RC4_128_SHA on TLSv1.2']);
  });

  it('takes a permitted suite off the list and a restricted version onto it', () => {
    const observation = tls({
      versions: [{ version: 'TLSv1.2', offered: true, cipherSuites: suites('TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_RSA_WITH_AES_128_GCM_SHA256'), serverPreference: true }],
    });
    expect(items(judgeTls(observation, rulesWith()))).to.deep.equal(['accepts TLS_RSA_WITH_AES_128_GCM_SHA256 on TLSv1.2']);
    const permitted = rulesWith({}, [{ rule: 'tls.cipherSuites', value: 'TLS_RSA_WITH_AES_128_GCM_SHA256', justification: 'legacy SCADA master without ECDHE' }]);
    expect(judgeTls(observation, permitted)).to.deep.equal([]);
    const tls13Only = rulesWith({ tls: { versions: ['TLSv1.3'] } });
    expect(items(judgeTls(tls(), tls13Only))).to.deep.equal(['accepts TLSv1.2']);
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

  it('leaves a certificate it could not read to a person, keeping the reason', () => {
    const findings = judgeTls(tls({ certificateChain: null, certificateError: 'chain certificate 1 is not X.509 DER' }), rulesWith());
    expect(findings).to.deep.equal([{ rule: 'certificate.readable', item: 'certificate unreadable (chain certificate 1 is not X.509 DER)', severity: 'review' }]);
  });
});

function dtls(overrides: Partial<DtlsObservation> = {}): DtlsObservation {
  return {
    outcome: 'observed',
    host: '127.0.0.1',
    port: 5684,
    versions: [
      { version: 'DTLSv1.0', offered: false, cipherSuites: [], serverPreference: null },
      { version: 'DTLSv1.2', offered: true, cipherSuites: suites('TLS_PSK_WITH_AES_128_CCM_8', 'TLS_PSK_WITH_AES_128_GCM_SHA256'), serverPreference: true },
    ],
    helloVerifyRequest: { sent: true, cookieBytes: 32 },
    certificateChain: null,
    certificateError: null,
    datagrams: 12,
    durationMs: 95,
    ...overrides,
  };
}

describe('crypto judge: DTLS', () => {
  it('allows the CoAP PreSharedKey suite on DTLS 1.2', () => {
    expect(judgeDtls(dtls(), rulesWith())).to.deep.equal([]);
  });

  it('names DTLS 1.0 and CBC PSK suites', () => {
    const observation = dtls({
      versions: [
        { version: 'DTLSv1.0', offered: true, cipherSuites: suites('TLS_PSK_WITH_AES_128_CBC_SHA'), serverPreference: null },
        { version: 'DTLSv1.2', offered: true, cipherSuites: suites('TLS_PSK_WITH_AES_128_CCM_8', 'TLS_PSK_WITH_AES_128_CBC_SHA256', 'TLS_PSK_WITH_NULL_SHA256'), serverPreference: true },
      ],
    });
    const findings = judgeDtls(observation, rulesWith());
    expect(items(findings)).to.deep.equal(['accepts DTLSv1.0', 'accepts TLS_PSK_WITH_AES_128_CBC_SHA256 on DTLSv1.2', 'accepts TLS_PSK_WITH_NULL_SHA256 on DTLSv1.2']);
    expect(findings.map((f) => f.rule)).to.deep.equal(['dtls.versions', 'dtls.cipherSuites', 'dtls.cipherSuites']);
  });

  it('judges the certificate of a certificate-mode server', () => {
    const expired = chain({ expired: true, certificates: [{ ...chain().certificates[0]!, notAfter: '2024-01-01T00:00:00.000Z' }, chain().certificates[1]!] });
    expect(items(judgeDtls(dtls({ certificateChain: expired }), rulesWith()))).to.deep.equal(['certificate expired on 2024-01-01']);
  });

  it('narrows to the mandatory suite by restriction', () => {
    expect(items(judgeDtls(dtls(), rulesWith({ dtls: { cipherSuites: ['TLS_PSK_WITH_AES_128_CCM_8'] } })))).to.deep.equal(['accepts TLS_PSK_WITH_AES_128_GCM_SHA256 on DTLSv1.2']);
  });
});
