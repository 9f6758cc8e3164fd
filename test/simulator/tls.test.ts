import { expect } from 'chai';
import { X509Certificate } from 'node:crypto';
import { connect, type ConnectionOptions } from 'node:tls';
import { type SimulatedDevice } from '../../harness/simulator/device.js';
import { HOST, httpCall, service, startTestDevice } from './helpers.js';

type Handshake = { protocol: string | null; cipher: string; certificate: X509Certificate } | { error: string };

/** One TLS handshake with node:tls as the client, closed right after. */
function handshake(port: number, options: ConnectionOptions): Promise<Handshake> {
  return new Promise((resolve) => {
    const socket = connect({ host: HOST, port, ...options });
    socket.setTimeout(5000, () => socket.destroy(new Error('handshake timeout')));
    socket.once('secureConnect', () => {
      resolve({ protocol: socket.getProtocol(), cipher: socket.getCipher().standardName, certificate: socket.getPeerX509Certificate()! });
      socket.destroy();
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
  });
}

describe('simulator TLS (secure build)', () => {
  let device: SimulatedDevice;
  let ca: string;
  before(async () => {
    device = await startTestDevice({ mode: 'secure' });
    ca = device.trustAnchor!.pem;
  });
  after(async () => {
    await device?.close();
  });

  for (const name of ['web-admin', 'telemetry']) {
    describe(name, () => {
      const port = () => service(device, name).port;

      it('negotiates TLS 1.3 with a certificate that the device CA verifies for 127.0.0.1', async () => {
        const result = await handshake(port(), { ca });
        expect(result).to.have.property('protocol', 'TLSv1.3');
        const { cipher, certificate } = result as Exclude<Handshake, { error: string }>;
        expect(cipher).to.be.oneOf(['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256']);
        expect(certificate.subjectAltName).to.equal('IP Address:127.0.0.1');
        expect(certificate.issuer).to.equal('O=ACME\nCN=ACME SIM-CAM device CA');
        expect(certificate.publicKey.asymmetricKeyDetails?.modulusLength).to.equal(2048);
        expect(certificate.verify(new X509Certificate(ca).publicKey)).to.equal(true);
        expect(certificate.ca).to.equal(false);
      });

      it('is refused by a client that does not trust the device CA', async () => {
        expect(await handshake(port(), {})).to.deep.equal({ error: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
      });

      it('takes TLS 1.2 with ECDHE and AEAD suites only', async () => {
        const tls12 = { ca, maxVersion: 'TLSv1.2' } as const;
        expect(await handshake(port(), { ...tls12, ciphers: 'ECDHE-RSA-AES128-GCM-SHA256' })).to.deep.include({ protocol: 'TLSv1.2', cipher: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256' });
        expect(await handshake(port(), { ...tls12, ciphers: 'ECDHE-RSA-CHACHA20-POLY1305' })).to.deep.include({ protocol: 'TLSv1.2', cipher: 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256' });
        // CBC with ECDHE, and static-RSA key exchange with GCM: each the server's handshake_failure alert.
        for (const ciphers of ['ECDHE-RSA-AES128-SHA256', 'ECDHE-RSA-AES256-SHA', 'AES128-GCM-SHA256']) {
          expect(await handshake(port(), { ...tls12, ciphers }), ciphers).to.deep.equal({ error: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE' });
        }
      });

      it('refuses TLS 1.0 and 1.1 with a protocol_version alert', async () => {
        for (const version of ['TLSv1', 'TLSv1.1'] as const) {
          const result = await handshake(port(), { ca, minVersion: version, maxVersion: version, ciphers: 'DEFAULT@SECLEVEL=0' });
          expect(result, version).to.deep.equal({ error: 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION' });
        }
      });
    });
  }

  it('answers no plain-HTTP request on the HTTPS port: the connection is dropped', async () => {
    let error: NodeJS.ErrnoException | undefined;
    await httpCall(service(device, 'web-admin').port, '/').catch((err: NodeJS.ErrnoException) => (error = err));
    expect(error?.code).to.equal('ECONNRESET');
  });
});

describe('simulator without TLS (insecure build)', () => {
  let device: SimulatedDevice;
  before(async () => {
    device = await startTestDevice({ mode: 'insecure' });
  });
  after(async () => {
    await device?.close();
  });

  for (const name of ['web-admin', 'telemetry']) {
    it(`${name} speaks its protocol in plaintext: a TLS ClientHello only gets the connection dropped`, async () => {
      const result = await handshake(service(device, name).port, { rejectUnauthorized: false });
      expect(result).to.deep.equal({ error: 'ECONNRESET' });
    });
  }
});
