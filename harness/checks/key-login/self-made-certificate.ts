import { generateKeyPair, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';
import type { ClientCertificate } from '../../net/network.js';
import { Secret } from '../../secrets/secret.js';

const generateRsaKeyPair = promisify(generateKeyPair);
/** Backdated, so that a device whose clock runs behind does not refuse it for its dates alone. */
const BACKDATE_MS = 24 * 60 * 60 * 1000;
const VALIDITY_MS = 2 * 24 * 60 * 60 * 1000;

/**
 * A client certificate nobody issued: self-signed, made fresh for one check and never written to disk.
 * A device that demands a certificate but accepts this one checks nothing. RSA, because node-forge
 * (already used for the simulator's certificates) signs only RSA; node:crypto makes the key natively.
 */
export async function selfMadeClientCertificate(): Promise<ClientCertificate> {
  const { publicKey, privateKey } = await generateRsaKeyPair('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = forge.pki.publicKeyFromPem(publicKey);
  const serial = randomBytes(16);
  serial[0] = serial[0]! & 0x7f;
  certificate.serialNumber = serial.toString('hex');
  const now = Date.now();
  certificate.validity.notBefore = new Date(now - BACKDATE_MS);
  certificate.validity.notAfter = new Date(now + VALIDITY_MS);
  const name = [{ name: 'commonName', value: `jcstar self-signed ${serial.subarray(0, 4).toString('hex')}` }];
  certificate.setSubject(name);
  certificate.setIssuer(name);
  certificate.setExtensions([
    { name: 'keyUsage', digitalSignature: true, critical: true },
    { name: 'extKeyUsage', clientAuth: true },
  ]);
  certificate.sign(forge.pki.privateKeyFromPem(privateKey), forge.md.sha256.create());
  return { certificate: new Secret(forge.pki.certificateToPem(certificate), 'self-made client certificate'), key: new Secret(privateKey, 'self-made client key') };
}
