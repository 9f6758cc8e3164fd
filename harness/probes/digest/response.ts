import { createHash, randomBytes } from 'node:crypto';
import type { Secret } from '../../secrets/secret.js';
import type { DigestAlgorithm, DigestChallenge } from './challenge.js';

const HASHES: Record<string, string> = { MD5: 'md5', 'SHA-256': 'sha256', 'SHA-512-256': 'sha512-256' };

function hasher(algorithm: DigestAlgorithm): (text: string) => string {
  const name = HASHES[algorithm.replace(/-sess$/, '')]!;
  return (text) => createHash(name).update(text, 'utf8').digest('hex');
}

export interface DigestInputs {
  algorithm: DigestAlgorithm;
  username: string;
  realm: string;
  password: string;
  nonce: string;
  method: string;
  uri: string;
  /** Absent for an RFC 2069 exchange, which has no nc or cnonce either. */
  qop?: 'auth' | 'auth-int';
  nc?: string;
  cnonce?: string;
}

/**
 * The request-digest of RFC 7616 §3.4.1 (RFC 2617 §3.2.2.1). The requests jcstar signs carry no body,
 * so auth-int hashes the empty entity.
 */
export function digestResponse(d: DigestInputs): string {
  const H = hasher(d.algorithm);
  const secretHash = H(`${d.username}:${d.realm}:${d.password}`);
  const ha1 = d.algorithm.endsWith('-sess') ? H(`${secretHash}:${d.nonce}:${d.cnonce ?? ''}`) : secretHash;
  const ha2 = H(d.qop === 'auth-int' ? `${d.method}:${d.uri}:${H('')}` : `${d.method}:${d.uri}`);
  return d.qop ? H(`${ha1}:${d.nonce}:${d.nc}:${d.cnonce}:${d.qop}:${ha2}`) : H(`${ha1}:${d.nonce}:${ha2}`);
}

/** "auth" where offered, else "auth-int", else none (RFC 2069). */
export function chooseQop(offered: readonly string[]): 'auth' | 'auth-int' | undefined {
  if (offered.includes('auth')) return 'auth';
  if (offered.includes('auth-int')) return 'auth-int';
  return undefined;
}

function quote(value: string): string {
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}

export interface DigestRequest {
  challenge: DigestChallenge;
  method: string;
  uri: string;
  username: string;
  password: Secret;
  /** Fixed only by tests reproducing published examples. */
  cnonce?: string;
  nc?: number;
}

export interface DigestAuthorization {
  /** The Authorization field value for the wire. */
  header: string;
  /** The same value for transcripts: the response hash, derived from the password, shows as its marker. */
  transcript: string;
}

/** Answers a Digest challenge, field by field in the order of RFC 7616's examples. */
export function digestAuthorization(req: DigestRequest): DigestAuthorization {
  const { challenge: c } = req;
  const qop = chooseQop(c.qop);
  const nc = (req.nc ?? 1).toString(16).padStart(8, '0');
  const cnonce = req.cnonce ?? randomBytes(16).toString('hex');
  const username = c.userhash ? hasher(c.algorithm)(`${req.username}:${c.realm}`) : req.username;
  const response = digestResponse({
    algorithm: c.algorithm,
    username: req.username,
    realm: c.realm,
    password: req.password.reveal(),
    nonce: c.nonce,
    method: req.method,
    uri: req.uri,
    ...(qop ? { qop, nc, cnonce } : {}),
  });
  const fields = (responseValue: string): string =>
    [
      `username=${quote(username)}`,
      `realm=${quote(c.realm)}`,
      `uri=${quote(req.uri)}`,
      ...(c.namedAlgorithm ? [`algorithm=${c.algorithm}`] : []),
      `nonce=${quote(c.nonce)}`,
      ...(qop ? [`nc=${nc}`, `cnonce=${quote(cnonce)}`, `qop=${qop}`] : []),
      `response=${responseValue}`,
      ...(c.opaque !== undefined ? [`opaque=${quote(c.opaque)}`] : []),
      ...(c.userhash ? ['userhash=true'] : []),
    ].join(', ');
  return {
    header: `Digest ${fields(quote(response))}`,
    transcript: `Digest ${fields(`"<${c.algorithm} response over ${req.password}>"`)}`,
  };
}
