import { expect } from 'chai';
import { certificateKind, otherCertificateKinds } from '../../harness/probes/tls/certificate-kinds.js';
import { suites } from '../crypto/observations.js';

describe('certificateKind', () => {
  it('names the certificate a suite calls for, and none for PSK, anonymous and TLS 1.3 suites', () => {
    const kinds = [
      'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_RSA_WITH_AES_128_GCM_SHA256', 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256',
      'TLS_RSA_PSK_WITH_AES_128_GCM_SHA256', 'TLS_DHE_DSS_WITH_AES_128_GCM_SHA256', 'TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256', 'TLS_DH_RSA_WITH_AES_128_GCM_SHA256',
      'TLS_PSK_WITH_AES_128_CCM_8', 'TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA', 'TLS_DH_anon_WITH_AES_128_GCM_SHA256', 'TLS_AES_128_GCM_SHA256',
    ].map(certificateKind);
    expect(kinds).to.deep.equal(['ECDSA', 'RSA', 'RSA', 'RSA', 'RSA', 'DSS', 'ECDH', 'DH', null, null, null, null]);
  });

  it('groups the accepted suites of every kind but the one read, one hello each', () => {
    const accepted = suites('TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_PSK_WITH_AES_128_CCM_8', 'TLS_RSA_WITH_AES_128_GCM_SHA256', 'TLS_DHE_DSS_WITH_AES_128_GCM_SHA256');
    expect(otherCertificateKinds(accepted, 'ECDSA')).to.deep.equal([
      { kind: 'RSA', suites: [0xc02f, 0x009c] },
      { kind: 'DSS', suites: [0x00a2] },
    ]);
    expect(otherCertificateKinds(accepted.slice(0, 1), 'ECDSA')).to.deep.equal([]);
  });
});
