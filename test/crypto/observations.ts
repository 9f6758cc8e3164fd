import { expect } from 'chai';
import { effectiveCryptoRules, type EffectiveCryptoRules } from '../../harness/crypto/effective.js';
import type { CryptoPermit, CryptoRestrict } from '../../harness/crypto/schema.js';
import { CIPHER_SUITES } from '../../harness/probes/tls/cipher-suites.js';
import type { CertificateChainObservation, CertificateObservation, CipherSuiteRef } from '../../harness/probes/tls/observation.js';

/** Hand-made observations and rule sets for the judge tests: facts as a probe would report them. */

export function rulesWith(restrict: CryptoRestrict = {}, permit: CryptoPermit[] = []): EffectiveCryptoRules {
  const { rules, problems } = effectiveCryptoRules({ restrict, permit });
  expect(problems).to.deep.equal([]);
  return rules;
}

export function suites(...names: string[]): CipherSuiteRef[] {
  return names.map((name) => {
    const code = [...CIPHER_SUITES].find(([, n]) => n === name)?.[0];
    if (code === undefined) throw new Error(`no such suite ${name}`);
    return { code, name };
  });
}

export function certificate(overrides: Partial<CertificateObservation> = {}): CertificateObservation {
  return {
    subject: 'CN=cam.example',
    issuer: 'CN=Example Device CA',
    serialNumber: '01',
    notBefore: '2026-01-01T00:00:00.000Z',
    notAfter: '2027-01-01T00:00:00.000Z',
    keyType: 'EC',
    keyBits: 256,
    curve: 'prime256v1',
    signatureAlgorithm: 'ecdsa-with-SHA256',
    signatureHash: 'sha256',
    subjectAltNames: ['cam.example', '127.0.0.1'],
    selfSigned: false,
    sha256Fingerprint: 'aa'.repeat(32),
    ...overrides,
  };
}

export const CA = certificate({
  subject: 'CN=Example Device CA',
  keyType: 'RSA',
  keyBits: 4096,
  curve: null,
  signatureAlgorithm: 'sha256WithRSAEncryption',
  subjectAltNames: [],
  selfSigned: true,
  notAfter: '2036-01-01T00:00:00.000Z',
});

export function chain(overrides: Partial<CertificateChainObservation> = {}): CertificateChainObservation {
  return {
    certificates: [certificate(), CA],
    order: 'ok',
    hostMatches: true,
    checkedAt: '2026-11-21T09:00:00.000Z',
    expired: false,
    notYetValid: false,
    anchored: true,
    ...overrides,
  };
}
