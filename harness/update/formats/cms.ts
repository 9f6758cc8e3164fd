import { X509Certificate, constants, createHash, generateKeyPairSync, randomBytes, verify } from 'node:crypto';
import forge from 'node-forge';

/**
 * CMS (PKCS#7) detached signatures as SWUpdate checks `sw-description.sig`: DER SignedData over the exact
 * bytes of sw-description, what `openssl cms -sign -binary -outform DER -nosmimecap` makes. jcstar signs with
 * a certificate it makes up (the wrong-key attempt) and verifies against the vendor's CA like
 * `openssl cms -verify -CAfile`: signed attributes with messageDigest, signature by the signer's key, and a
 * chain from the signer to the CA.
 */

const OID = {
  signedData: '1.2.840.113549.1.7.2',
  data: '1.2.840.113549.1.7.1',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  rsaEncryption: '1.2.840.113549.1.1.1',
  rsassaPss: '1.2.840.113549.1.1.10',
  ed25519: '1.3.101.112',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  anyExtendedKeyUsage: '2.5.29.37.0',
} as const;

const DIGESTS: Record<string, string> = {
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/** A SignedData this large or with this many parts is no sw-description signature. */
const MAX_SIGNATURE_BYTES = 64 * 1024;
const MAX_CERTIFICATES = 16;
const MAX_SIGNERS = 4;
const MAX_CHAIN_DEPTH = 8;

export interface SigningIdentity {
  /** PEM of the CA certificate a device would be given with `swupdate -k`. */
  caCertificatePem: string;
  signerCertificatePem: string;
  /** PEM PKCS#8 private key of the signer; never written into evidence. */
  signerKeyPem: string;
  /** The signer's subject, for descriptions. */
  signerSubject: string;
}

type CmsVerdict = { ok: true; signer: string } | { ok: false; reason: string };

function forgeKeyPair() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKey: forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()),
    publicKey: forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString()),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

function certificate(options: {
  subject: string;
  publicKey: forge.pki.PublicKey;
  issuer: forge.pki.Certificate | null;
  signingKey: forge.pki.rsa.PrivateKey;
  extensions: object[];
}): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = options.publicKey;
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - 24 * 3600 * 1000);
  cert.validity.notAfter = new Date(Date.now() + 10 * 365 * 24 * 3600 * 1000);
  const subject = [{ name: 'commonName', value: options.subject }, { name: 'organizationName', value: 'jcstar' }];
  cert.setSubject(subject);
  cert.setIssuer(options.issuer ? options.issuer.subject.attributes : subject);
  cert.setExtensions([...options.extensions, { name: 'subjectKeyIdentifier' }]);
  cert.sign(options.signingKey, forge.md.sha256.create());
  return cert;
}

/**
 * A CA and a signer that jcstar makes up on the spot (RSA 2048), the signer with extendedKeyUsage
 * emailProtection and codeSigning so that SWUpdate's purpose check, either way, is not what refuses it.
 */
export function makeSigningIdentity(name: string): SigningIdentity {
  const caKeys = forgeKeyPair();
  const ca = certificate({
    subject: `${name} CA`,
    publicKey: caKeys.publicKey,
    issuer: null,
    signingKey: caKeys.privateKey,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  const signerKeys = forgeKeyPair();
  const signer = certificate({
    subject: `${name} signer`,
    publicKey: signerKeys.publicKey,
    issuer: ca,
    signingKey: caKeys.privateKey,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', emailProtection: true, codeSigning: true },
    ],
  });
  return {
    caCertificatePem: forge.pki.certificateToPem(ca),
    signerCertificatePem: forge.pki.certificateToPem(signer),
    signerKeyPem: signerKeys.privateKeyPem,
    signerSubject: `CN=${name} signer, O=jcstar`,
  };
}

/** Detached DER SignedData over content, SHA-256, signed attributes contentType, messageDigest, signingTime. */
export function signCms(content: Buffer, signer: { certificatePem: string; keyPem: string }): Buffer {
  const p7 = forge.pkcs7.createSignedData();
  p7.content = forge.util.createBuffer(content.toString('binary'));
  const cert = forge.pki.certificateFromPem(signer.certificatePem);
  p7.addCertificate(cert);
  p7.addSigner({
    key: forge.pki.privateKeyFromPem(signer.keyPem) as forge.pki.rsa.PrivateKey,
    certificate: cert,
    digestAlgorithm: forge.pki.oids.sha256,
    authenticatedAttributes: [
      { type: forge.pki.oids.contentType, value: forge.pki.oids.data },
      { type: forge.pki.oids.messageDigest },
      { type: forge.pki.oids.signingTime },
    ],
  });
  p7.sign({ detached: true });
  return Buffer.from(forge.asn1.toDer(p7.toAsn1()).getBytes(), 'binary');
}

type Asn1 = forge.asn1.Asn1;

function children(node: Asn1 | undefined): Asn1[] {
  return node && Array.isArray(node.value) ? (node.value as Asn1[]) : [];
}
function bytesOf(node: Asn1 | undefined): Buffer {
  return node && typeof node.value === 'string' ? Buffer.from(node.value, 'binary') : Buffer.alloc(0);
}
function oidOf(node: Asn1 | undefined): string | null {
  if (!node || node.type !== forge.asn1.Type.OID || typeof node.value !== 'string') return null;
  try {
    return forge.asn1.derToOid(node.value);
  } catch {
    return null;
  }
}
/** Bit strings stay as read, so that a certificate re-encodes to its exact bytes. Throws on bad DER. */
function parseDer(der: Buffer): Asn1 {
  const fromDer = forge.asn1.fromDer as unknown as (bytes: string, options: { strict: boolean; decodeBitStrings: boolean }) => Asn1;
  return fromDer(der.toString('binary'), { strict: true, decodeBitStrings: false });
}
function derOf(node: Asn1): Buffer {
  return Buffer.from(forge.asn1.toDer(node).getBytes(), 'binary');
}
const isContext = (node: Asn1 | undefined, tag: number): boolean => node?.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && node.type === tag;

/** Issuer Name DER and serial number bytes of a certificate, to match a SignerInfo's issuerAndSerialNumber. */
function issuerAndSerial(certificateDer: Buffer): { issuer: Buffer; serial: Buffer } | null {
  try {
    const tbs = children(children(parseDer(certificateDer))[0]);
    const fields = isContext(tbs[0], 0) ? tbs.slice(1) : tbs;
    return { serial: bytesOf(fields[0]), issuer: derOf(fields[2]) };
  } catch {
    return null;
  }
}

function subjectOf(cert: X509Certificate): string {
  return cert.subject.split('\n').join(', ');
}

function trustAnchors(caPem: string): X509Certificate[] | { error: string } {
  const blocks = caPem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) return { error: 'the CA file holds no PEM certificate' };
  try {
    return blocks.slice(0, MAX_CERTIFICATES).map((pem) => new X509Certificate(pem));
  } catch {
    return { error: 'the CA file holds a certificate that does not parse' };
  }
}

function validAt(cert: X509Certificate, now: Date): boolean {
  return new Date(cert.validFrom) <= now && now <= new Date(cert.validTo);
}

/** The signer's chain, through the certificates the signature carries, to one of the anchors. */
function chainToAnchor(signer: X509Certificate, bag: X509Certificate[], anchors: X509Certificate[], now: Date): string | null {
  let current = signer;
  for (let depth = 0; depth < MAX_CHAIN_DEPTH; depth += 1) {
    if (!validAt(current, now)) return `certificate ${subjectOf(current)} is not valid now (${current.validFrom} to ${current.validTo})`;
    const anchor = anchors.find((a) => current.checkIssued(a) && current.verify(a.publicKey));
    if (anchor) return validAt(anchor, now) ? null : `the CA ${subjectOf(anchor)} is not valid now`;
    const issuer = bag.find((c) => c !== current && c.ca && current.checkIssued(c) && current.verify(c.publicKey));
    if (!issuer) return `the signer certificate ${subjectOf(signer)} does not chain to the given CA`;
    current = issuer;
  }
  return `the signer's chain is longer than ${MAX_CHAIN_DEPTH}`;
}

function signatureVerifies(cert: X509Certificate, algorithmOid: string | null, digest: string, data: Buffer, signature: Buffer): boolean {
  try {
    const type = cert.publicKey.asymmetricKeyType;
    if (type === 'ed25519') return algorithmOid === OID.ed25519 && verify(null, data, cert.publicKey, signature);
    if (type === 'rsa' && algorithmOid === OID.rsassaPss) {
      return verify(digest, data, { key: cert.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO }, signature);
    }
    return verify(digest, data, cert.publicKey, signature);
  } catch {
    return false;
  }
}

function verifySigner(info: Asn1, content: Buffer, bag: X509Certificate[], bagDers: Buffer[], anchors: X509Certificate[], now: Date): CmsVerdict {
  const fields = children(info);
  const [, sid, digestAlgorithm] = fields;
  const rest = fields.slice(3);
  const signedAttrs = isContext(rest[0], 0) ? rest.shift() : undefined;
  const [signatureAlgorithm, signatureValue] = rest;
  const digest = DIGESTS[oidOf(children(digestAlgorithm)[0]) ?? ''];
  if (!digest) return { ok: false, reason: `the signer uses digest ${oidOf(children(digestAlgorithm)[0]) ?? '(unreadable)'}, not SHA-2` };
  if (isContext(sid, 0)) return { ok: false, reason: 'the signer is named by subject key identifier, which jcstar does not match (openssl names it by issuer and serial)' };
  const [issuerName, serial] = children(sid);
  if (!issuerName || !serial) return { ok: false, reason: 'the SignerInfo has no issuer and serial number' };
  const wanted = { issuer: derOf(issuerName), serial: bytesOf(serial) };
  const index = bagDers.findIndex((der) => {
    const id = issuerAndSerial(der);
    return id !== null && id.issuer.equals(wanted.issuer) && id.serial.equals(wanted.serial);
  });
  if (index < 0) return { ok: false, reason: 'the signature does not carry the signer certificate' };
  const signer = bag[index];
  const contentDigest = createHash(digest).update(content).digest();
  let signedBytes = content;
  if (signedAttrs) {
    const attributes = new Map(children(signedAttrs).map((a) => [oidOf(children(a)[0]) ?? '', children(children(a)[1])[0]]));
    if (oidOf(attributes.get(OID.contentType)) !== OID.data) return { ok: false, reason: 'the signed attributes do not state content type data' };
    if (!bytesOf(attributes.get(OID.messageDigest)).equals(contentDigest)) {
      return { ok: false, reason: `the signed messageDigest is not the ${digest} of sw-description: the signed content changed` };
    }
    // The signature covers the attributes DER-encoded as a SET, not under their [0] tag.
    signedBytes = derOf(forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.SET, true, children(signedAttrs)));
  }
  if (!signatureVerifies(signer, oidOf(children(signatureAlgorithm)[0]), digest, signedBytes, bytesOf(signatureValue))) {
    return { ok: false, reason: `the CMS signature does not verify with the key of ${subjectOf(signer)}` };
  }
  const chainProblem = chainToAnchor(signer, bag, anchors, now);
  if (chainProblem) return { ok: false, reason: chainProblem };
  const purposes = signer.keyUsage;
  if (purposes && !purposes.some((p) => p === OID.emailProtection || p === OID.codeSigning || p === OID.anyExtendedKeyUsage)) {
    return { ok: false, reason: `the signer certificate's extendedKeyUsage (${purposes.join(', ')}) allows neither emailProtection nor codeSigning` };
  }
  return { ok: true, signer: subjectOf(signer) };
}

/** Verifies a detached CMS signature over content against the CA PEM; never throws. */
export function verifyCms(signatureDer: Buffer, content: Buffer, caPem: string, now: Date = new Date()): CmsVerdict {
  if (signatureDer.length > MAX_SIGNATURE_BYTES) return { ok: false, reason: `the signature is ${signatureDer.length} bytes, more than a CMS signature needs` };
  const anchors = trustAnchors(caPem);
  if ('error' in anchors) return { ok: false, reason: anchors.error };
  let root: Asn1;
  try {
    root = parseDer(signatureDer);
  } catch {
    return { ok: false, reason: 'the signature is not DER' };
  }
  const [contentType, explicit] = children(root);
  if (oidOf(contentType) !== OID.signedData || !isContext(explicit, 0)) return { ok: false, reason: 'the signature is not CMS SignedData' };
  const signedData = children(children(explicit)[0]);
  const encapsulated = children(signedData[2]);
  if (oidOf(encapsulated[0]) !== OID.data) return { ok: false, reason: 'the signed content type is not data' };
  if (encapsulated.length > 1) {
    const embedded = bytesOf(children(encapsulated[1])[0]);
    if (!embedded.equals(content)) return { ok: false, reason: 'the signature embeds content other than sw-description' };
  }
  const certificateSet = signedData.slice(3).find((n) => isContext(n, 0));
  const bagDers = children(certificateSet).slice(0, MAX_CERTIFICATES).map(derOf);
  let bag: X509Certificate[];
  try {
    bag = bagDers.map((der) => new X509Certificate(der));
  } catch {
    return { ok: false, reason: 'the signature carries a certificate that does not parse' };
  }
  const signerInfos = children(signedData[signedData.length - 1]);
  if (signerInfos.length === 0) return { ok: false, reason: 'the signature has no signer' };
  if (signerInfos.length > MAX_SIGNERS) return { ok: false, reason: `the signature has ${signerInfos.length} signers` };
  let first: CmsVerdict | null = null;
  for (const info of signerInfos) {
    let verdict: CmsVerdict;
    try {
      verdict = verifySigner(info, content, bag, bagDers, anchors, now);
    } catch {
      // node:crypto throws on a certificate whose public key does not decode.
      verdict = { ok: false, reason: 'the signature carries a certificate whose public key does not decode' };
    }
    if (!verdict.ok) return verdict;
    first ??= verdict;
  }
  return first!;
}
