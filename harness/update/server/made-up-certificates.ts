import { X509Certificate, generateKeyPair, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { promisify } from 'node:util';
import forge from 'node-forge';

/**
 * Certificates jcstar makes up for its rogue update server. The man-in-the-middle attempt presents a
 * chain that names exactly what the genuine one names (the leaf's subject and subjectAltName, its
 * issuer's name) but is signed by a CA nobody trusts: a device that accepts it checks names, not trust.
 * RSA 2048 whatever the genuine key is, because node-forge signs only RSA; node:crypto makes the keys.
 */

/** A PEM chain (leaf first) and the leaf's PEM private key, as tls.createSecureContext takes them. */
export interface ServerCertificate {
  certificate: string;
  key: string;
}

const generateRsaKeyPair = promisify(generateKeyPair);
/** Backdated, so that a device whose clock runs behind refuses the certificate for its trust, not its dates. */
const BACKDATE_MS = 24 * 60 * 60 * 1000;
const VALIDITY_YEARS = 2;
const SUBJECT_ALT_NAME = '2.5.29.17';
/** node-forge functions its type definitions leave out. */
const forgeExtras = forge as unknown as {
  pki: { RDNAttributesAsArray(rdn: forge.asn1.Asn1): forge.pki.CertificateField[] };
  util: { bytesFromIP(ip: string): string | null };
};

interface KeyPair {
  publicKey: forge.pki.rsa.PublicKey;
  privateKey: forge.pki.rsa.PrivateKey;
  privatePem: string;
}

async function rsaKeyPair(): Promise<KeyPair> {
  const { publicKey, privateKey } = await generateRsaKeyPair('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { publicKey: forge.pki.publicKeyFromPem(publicKey), privateKey: forge.pki.privateKeyFromPem(privateKey), privatePem: privateKey };
}

/** The names a made-up chain copies: the leaf's subject and SAN (raw DER), its issuer's name. */
interface ChainNames {
  subject: forge.pki.CertificateField[];
  issuer: forge.pki.CertificateField[];
  subjectAltNameDer: string | null;
}

function certificate(publicKey: forge.pki.rsa.PublicKey, subject: forge.pki.CertificateField[], issuer: forge.pki.CertificateField[]): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  const serial = randomBytes(16);
  serial[0] = serial[0]! & 0x7f;
  cert.serialNumber = serial.toString('hex');
  const now = Date.now();
  cert.validity.notBefore = new Date(now - BACKDATE_MS);
  cert.validity.notAfter = new Date(now);
  cert.validity.notAfter.setUTCFullYear(cert.validity.notAfter.getUTCFullYear() + VALIDITY_YEARS);
  cert.setSubject(subject);
  cert.setIssuer(issuer);
  return cert;
}

async function chainNamed(names: ChainNames): Promise<ServerCertificate> {
  const [caKeys, leafKeys] = await Promise.all([rsaKeyPair(), rsaKeyPair()]);
  const ca = certificate(caKeys.publicKey, names.issuer, names.issuer);
  ca.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
  ]);
  ca.sign(caKeys.privateKey, forge.md.sha256.create());
  const leaf = certificate(leafKeys.publicKey, names.subject, names.issuer);
  leaf.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    ...(names.subjectAltNameDer === null ? [] : [{ id: SUBJECT_ALT_NAME, value: names.subjectAltNameDer }]),
  ]);
  leaf.sign(caKeys.privateKey, forge.md.sha256.create());
  return { certificate: forge.pki.certificateToPem(leaf) + forge.pki.certificateToPem(ca), key: leafKeys.privatePem };
}

function contextTag(node: forge.asn1.Asn1, tag: number): boolean {
  return node.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && node.type === tag;
}

/** Reads the names off the genuine leaf's DER; any key type, since only the TBS structure is read. */
function namesOf(leafPem: string): ChainNames {
  const der = new X509Certificate(leafPem).raw;
  const tbs = (forge.asn1.fromDer(forge.util.createBuffer(der.toString('binary'))).value as forge.asn1.Asn1[])[0]!;
  const fields = tbs.value as forge.asn1.Asn1[];
  // TBSCertificate: [0] version (optional), serial, signature, issuer, validity, subject, spki, …, [3] extensions.
  const first = contextTag(fields[0]!, 0) ? 1 : 0;
  const issuer = forgeExtras.pki.RDNAttributesAsArray(fields[first + 2]!);
  const subject = forgeExtras.pki.RDNAttributesAsArray(fields[first + 4]!);
  const extensions = fields.find((f) => contextTag(f, 3));
  let subjectAltNameDer: string | null = null;
  for (const extension of ((extensions?.value as forge.asn1.Asn1[] | undefined)?.[0]?.value ?? []) as forge.asn1.Asn1[]) {
    const parts = extension.value as forge.asn1.Asn1[];
    if (forge.asn1.derToOid(forge.util.createBuffer(parts[0]!.value as string)) !== SUBJECT_ALT_NAME) continue;
    const octets = parts[parts.length - 1]!;
    subjectAltNameDer = typeof octets.value === 'string' ? octets.value : forge.asn1.toDer((octets.value as forge.asn1.Asn1[])[0]!).getBytes();
  }
  return { subject, issuer, subjectAltNameDer };
}

/** A chain under a made-up CA with the genuine leaf's subject, SAN and issuer name: only trust differs. */
export async function untrustedLookalike(genuineChainPem: string): Promise<ServerCertificate> {
  return chainNamed(namesOf(genuineChainPem));
}

/** A certificate for `address` (an IP literal) under a made-up CA, for a server whose genuine certificate is unknown. */
export async function madeUpCertificateFor(address: string): Promise<ServerCertificate> {
  if (isIP(address) === 0) throw new Error(`expected an IP address, got "${address}"`);
  const altName = forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.SEQUENCE, true, [
    forge.asn1.create(forge.asn1.Class.CONTEXT_SPECIFIC, 7, false, forgeExtras.util.bytesFromIP(address)!),
  ]);
  return chainNamed({
    subject: [{ name: 'commonName', value: address }],
    issuer: [{ name: 'commonName', value: 'jcstar made-up update CA' }],
    subjectAltNameDer: forge.asn1.toDer(altName).getBytes(),
  });
}

/** SHA-256 fingerprint of a chain's first certificate, as openssl prints it (AA:BB:…), for evidence. */
export function leafFingerprint(chainPem: string): string {
  return new X509Certificate(chainPem).fingerprint256;
}
