import forge from 'node-forge';
import { signatureAlgorithmOf, RSASSA_PSS_OID } from './certificate-signature-algorithms.js';

/**
 * The X.509 fields node:crypto does not expose in a usable form, read from the DER with node-forge's
 * ASN.1 layer. forge's certificate parser is not used: it refuses every key that is not RSA.
 */
export interface CertificateFields {
  signatureAlgorithm: string;
  signatureHash: string | null;
  notBefore: Date;
  notAfter: Date;
  /** DNS and IP entries of the subjectAltName extension, e.g. "DNS:camera.example", "IP:127.0.0.1"; null without the extension. */
  subjectAltNames: string[] | null;
}

const { Class, Type } = forge.asn1;
const SUBJECT_ALT_NAME_OID = '2.5.29.17';
/** RFC 5280 §4.2.1.6 GeneralName tags. */
const DNS_NAME = 2;
const IP_ADDRESS = 7;

type Asn1 = forge.asn1.Asn1;

function children(node: Asn1 | undefined, what: string): Asn1[] {
  if (!node || !Array.isArray(node.value)) throw new Error(`${what} is not a constructed value`);
  return node.value;
}

function bytes(node: Asn1 | undefined, what: string): string {
  if (!node || typeof node.value !== 'string') throw new Error(`${what} is not a primitive value`);
  return node.value;
}

function universal(node: Asn1 | undefined, type: number, what: string): Asn1 {
  if (!node || node.tagClass !== Class.UNIVERSAL || node.type !== type) throw new Error(`${what} has an unexpected tag`);
  return node;
}

function oidOf(node: Asn1 | undefined, what: string): string {
  return forge.asn1.derToOid(bytes(universal(node, Type.OID, what), what));
}

function timeOf(node: Asn1 | undefined, what: string): Date {
  const type = node?.tagClass === Class.UNIVERSAL ? node.type : null;
  const value = bytes(node, what);
  const date = type === Type.UTCTIME ? forge.asn1.utcTimeToDate(value) : type === Type.GENERALIZEDTIME ? forge.asn1.generalizedTimeToDate(value) : null;
  if (date === null || Number.isNaN(date.getTime())) throw new Error(`${what} is not a valid time`);
  return date;
}

/** RSASSA-PSS-params (RFC 4055 §3.1): the hash is the optional [0] hashAlgorithm. */
function pssHashOid(parameters: Asn1 | undefined): string | null {
  if (!parameters || !Array.isArray(parameters.value)) return null;
  const hashAlgorithm = parameters.value.find((p) => p.tagClass === Class.CONTEXT_SPECIFIC && p.type === 0);
  if (!hashAlgorithm) return null;
  return oidOf(children(children(hashAlgorithm, 'PSS hashAlgorithm')[0], 'PSS hashAlgorithm')[0], 'PSS hash OID');
}

/** An iPAddress SAN in its usual text form (RFC 5952 for IPv6); null when it is neither 4 nor 16 bytes. */
function ipAddressText(raw: string): string | null {
  const octets = Buffer.from(raw, 'binary');
  if (octets.length === 4) return [...octets].join('.');
  if (octets.length !== 16) return null;
  const groups = Array.from({ length: 8 }, (_, i) => octets.readUInt16BE(i * 2).toString(16));
  // The URL standard serialises IPv6 hosts as RFC 5952 does (longest zero run as ::); node:net is off limits to probes.
  return new URL(`http://[${groups.join(':')}]`).hostname.slice(1, -1);
}

function subjectAltNamesOf(extensionValue: string): string[] {
  const names = children(forge.asn1.fromDer(extensionValue, true), 'subjectAltName');
  return names.flatMap((name) => {
    if (name.tagClass !== Class.CONTEXT_SPECIFIC) return [];
    if (name.type === DNS_NAME) return [`DNS:${bytes(name, 'dNSName')}`];
    if (name.type === IP_ADDRESS) {
      const ip = ipAddressText(bytes(name, 'iPAddress'));
      // An address of another length is malformed; no host could match it.
      return ip ? [`IP:${ip}`] : [];
    }
    return [];
  });
}

/** The subjectAltName entries among a TBSCertificate's [3] extensions; null when it has no such extension. */
function findSubjectAltNames(tbsFields: Asn1[]): string[] | null {
  const wrapper = tbsFields.find((f) => f.tagClass === Class.CONTEXT_SPECIFIC && f.type === 3);
  if (!wrapper) return null;
  for (const extension of children(children(wrapper, 'extensions')[0], 'extensions')) {
    const [id, ...rest] = children(extension, 'extension');
    if (oidOf(id, 'extension ID') !== SUBJECT_ALT_NAME_OID) continue;
    // extnValue is the last field; `critical` may come before it.
    return subjectAltNamesOf(bytes(universal(rest.at(-1), Type.OCTETSTRING, 'extnValue'), 'extnValue'));
  }
  return null;
}

/** Reads the fields; throws an Error naming what is malformed when the DER is not a certificate's shape. */
export function readCertificateFields(der: Buffer): CertificateFields {
  const certificate = forge.asn1.fromDer(forge.util.createBuffer(der.toString('binary')), true);
  const [tbs, signatureAlgorithm] = children(universal(certificate, Type.SEQUENCE, 'Certificate'), 'Certificate');
  const tbsFields = children(universal(tbs, Type.SEQUENCE, 'TBSCertificate'), 'TBSCertificate');
  // The version is an optional [0]; the serial number, signature, issuer and validity follow it.
  const validityAt = tbsFields[0]?.tagClass === Class.CONTEXT_SPECIFIC ? 4 : 3;
  const [notBefore, notAfter] = children(universal(tbsFields[validityAt], Type.SEQUENCE, 'Validity'), 'Validity');
  const [algorithmId, parameters] = children(universal(signatureAlgorithm, Type.SEQUENCE, 'signatureAlgorithm'), 'signatureAlgorithm');
  const algorithmOid = oidOf(algorithmId, 'signature algorithm');
  const signature = signatureAlgorithmOf(algorithmOid, algorithmOid === RSASSA_PSS_OID ? pssHashOid(parameters) : null);
  return {
    signatureAlgorithm: signature.name,
    signatureHash: signature.hash,
    notBefore: timeOf(notBefore, 'notBefore'),
    notAfter: timeOf(notAfter, 'notAfter'),
    subjectAltNames: findSubjectAltNames(tbsFields),
  };
}
