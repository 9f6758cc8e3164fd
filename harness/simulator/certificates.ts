import { generateKeyPair, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import forge from 'node-forge';

/**
 * The secure build's PKI: a device CA of its own and, under it, the certificate its TLS services present.
 * Both RSA 2048 and signed with sha256, as the crypto rules ask; the leaf names the device's address as
 * an IP SAN, so a client that trusts the CA can verify the device without a DNS name.
 */

export interface DeviceCertificates {
  /** The CA certificate: what a client of the device trusts. */
  caPem: string;
  /** The device certificate, issued by the CA for the device's address. */
  certPem: string;
  /** The device certificate's private key (PKCS#1). */
  keyPem: string;
}

const generateRsaKeyPair = promisify(generateKeyPair);
const ORGANIZATION = { name: 'organizationName', value: 'ACME' };
/** Backdated, so that a client whose clock runs a little behind still sees the certificates as valid. */
const BACKDATE_MS = 60 * 60 * 1000;
const DEVICE_VALIDITY_YEARS = 1;
const CA_VALIDITY_YEARS = 10;

interface RsaKeyPair {
  publicKey: forge.pki.rsa.PublicKey;
  privateKey: forge.pki.rsa.PrivateKey;
  privatePem: string;
}

/** node:crypto generates the keys (native, off the main thread); forge only builds and signs the certificates. */
async function rsaKeyPair(): Promise<RsaKeyPair> {
  const { publicKey, privateKey } = await generateRsaKeyPair('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  return {
    publicKey: forge.pki.publicKeyFromPem(publicKey),
    privateKey: forge.pki.privateKeyFromPem(privateKey),
    privatePem: privateKey,
  };
}

/** A random positive serial number of 16 bytes (RFC 5280 §4.1.2.2: positive, at most 20 octets). */
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f;
  return bytes.toString('hex');
}

function certificate(publicKey: forge.pki.rsa.PublicKey, now: Date, years: number): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = serialNumber();
  cert.validity.notBefore = new Date(now.getTime() - BACKDATE_MS);
  cert.validity.notAfter = new Date(now.getTime());
  cert.validity.notAfter.setUTCFullYear(now.getUTCFullYear() + years);
  return cert;
}

/** Who the certificates name: the device's own CA and its services by default. */
export interface CertificateNames {
  ca: string;
  leaf: string;
}

const DEVICE_NAMES = (host: string): CertificateNames => ({ ca: 'ACME SIM-CAM device CA', leaf: `SIM-CAM ${host}` });

/** Issues a fresh CA and a server certificate for `host` (an IP literal), by default the device's own. */
export async function issueDeviceCertificates(host: string, now: Date = new Date(), names: CertificateNames = DEVICE_NAMES(host)): Promise<DeviceCertificates> {
  const [caKeys, deviceKeys] = await Promise.all([rsaKeyPair(), rsaKeyPair()]);

  const ca = certificate(caKeys.publicKey, now, CA_VALIDITY_YEARS);
  const caName = [ORGANIZATION, { name: 'commonName', value: names.ca }];
  ca.setSubject(caName);
  ca.setIssuer(caName);
  ca.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  ca.sign(caKeys.privateKey, forge.md.sha256.create());

  const device = certificate(deviceKeys.publicKey, now, DEVICE_VALIDITY_YEARS);
  device.setSubject([ORGANIZATION, { name: 'commonName', value: names.leaf }]);
  device.setIssuer(ca.subject.attributes);
  device.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [{ type: 7, ip: host }] },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes() },
  ]);
  device.sign(caKeys.privateKey, forge.md.sha256.create());

  return {
    caPem: forge.pki.certificateToPem(ca),
    certPem: forge.pki.certificateToPem(device),
    keyPem: deviceKeys.privatePem,
  };
}

export interface TrustAnchorFile {
  /** Absolute path of the CA's PEM, for a profile's `trustAnchors`. */
  path: string;
  /** Deletes the file and its folder; safe to call twice. */
  remove(): Promise<void>;
}

/** Writes the CA certificate to a scratch folder of its own, where a profile can name it. */
export async function writeTrustAnchorFile(caPem: string): Promise<TrustAnchorFile> {
  const dir = await mkdtemp(join(tmpdir(), 'jcstar-sim-ca-'));
  const path = join(dir, 'sim-cam-ca.pem');
  try {
    await writeFile(path, caPem, { mode: 0o644 });
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return { path, remove: () => rm(dir, { recursive: true, force: true }) };
}
