import { sign, verify, type KeyObject } from 'node:crypto';

/** DSSE (Dead Simple Signing Envelope) v1, as in github.com/secure-systems-lab/dsse: protocol.md and envelope.md. */
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

export interface DsseEnvelope {
  payloadType: string;
  payload: string;
  signatures: Array<{ keyid: string; sig: string }>;
}

/** PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, lengths in ASCII decimal bytes. */
export function pae(payloadType: string, body: Buffer): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `), type, Buffer.from(` ${body.length} `), body]);
}

export function signEnvelope(payloadType: string, body: Buffer, privateKey: KeyObject, keyid: string): DsseEnvelope {
  const sig = sign(null, pae(payloadType, body), privateKey);
  return { payloadType, payload: body.toString('base64'), signatures: [{ keyid, sig: sig.toString('base64') }] };
}

/** Standard base64 in its one canonical spelling: any other spelling of the same bytes is a changed envelope. */
function decodeBase64(text: unknown): Buffer | null {
  if (typeof text !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : null;
}

export class EnvelopeError extends Error {
  override name = 'EnvelopeError';
}

/** Parses the envelope strictly: exactly the DSSE fields, canonical base64, at least one signature. */
export function parseEnvelope(bytes: Buffer): { envelope: DsseEnvelope; body: Buffer; sigs: Array<{ keyid: string; sig: Buffer }> } {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new EnvelopeError('attestation.dsse.json is not JSON');
  }
  const env = json as Partial<DsseEnvelope> | null;
  if (typeof env !== 'object' || env === null || Array.isArray(env)) throw new EnvelopeError('attestation.dsse.json is not a DSSE envelope');
  const keys = Object.keys(env).sort().join(',');
  if (keys !== 'payload,payloadType,signatures') throw new EnvelopeError(`attestation.dsse.json has fields ${keys}, not payload, payloadType and signatures`);
  if (typeof env.payloadType !== 'string') throw new EnvelopeError('attestation.dsse.json: payloadType is not a string');
  const body = decodeBase64(env.payload);
  if (!body) throw new EnvelopeError('attestation.dsse.json: payload is not canonical base64');
  if (!Array.isArray(env.signatures) || env.signatures.length === 0) throw new EnvelopeError('attestation.dsse.json holds no signature');
  const sigs = env.signatures.map((s, i) => {
    const sig = decodeBase64((s as { sig?: unknown })?.sig);
    const keyid = (s as { keyid?: unknown })?.keyid ?? '';
    const extra = Object.keys(s ?? {}).filter((k) => k !== 'keyid' && k !== 'sig');
    if (!sig || typeof keyid !== 'string' || extra.length > 0) throw new EnvelopeError(`attestation.dsse.json: signature ${i + 1} is malformed`);
    return { keyid, sig };
  });
  return { envelope: env as DsseEnvelope, body, sigs };
}

/** The keyids of the signatures that verify with `publicKey`. */
export function verifiedKeyIds(payloadType: string, body: Buffer, sigs: Array<{ keyid: string; sig: Buffer }>, publicKey: KeyObject): string[] {
  const message = pae(payloadType, body);
  return sigs.filter(({ sig }) => verify(null, message, publicKey, sig)).map(({ keyid }) => keyid);
}
