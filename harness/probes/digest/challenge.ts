/**
 * One item of a WWW-Authenticate (challenge) or Authorization (credentials) field, RFC 7235 §2.1:
 * a scheme with either auth-params or a token68.
 */
export interface AuthItem {
  scheme: string;
  /** Parameter names in lower case, values unquoted and unescaped. */
  params: Record<string, string>;
  token68?: string;
}

export type DigestAlgorithm = 'MD5' | 'MD5-sess' | 'SHA-256' | 'SHA-256-sess' | 'SHA-512-256' | 'SHA-512-256-sess';

/** Strongest first: the order in which a client should pick among several Digest challenges (RFC 7616 §3.7). */
const DIGEST_ALGORITHMS: readonly DigestAlgorithm[] = ['SHA-512-256', 'SHA-512-256-sess', 'SHA-256', 'SHA-256-sess', 'MD5', 'MD5-sess'];

export interface DigestChallenge {
  realm: string;
  nonce: string;
  opaque?: string;
  algorithm: DigestAlgorithm;
  /** Whether the server named the algorithm; RFC 2069-era servers may choke on an algorithm they did not ask for. */
  namedAlgorithm: boolean;
  /** Offered qop values in lower case; empty for an RFC 2069 challenge. */
  qop: string[];
  stale: boolean;
  userhash: boolean;
}

const TOKEN = /[!#$%&'*+.^_`|~0-9A-Za-z-]+/y;
const TOKEN68 = /[A-Za-z0-9._~+/-]+=*/y;
const BARE_VALUE = /[^,\s]*/y;

/**
 * Parses every challenge or credentials item in a header field (or several, as separate fields).
 * Lenient the way devices need: tolerates missing commas between parameters, spaces around "=", and
 * unterminated quotes; ignores stray bytes rather than failing.
 */
export function parseAuthHeader(value: string | readonly string[]): AuthItem[] {
  const text = typeof value === 'string' ? value : value.join(', ');
  const items: AuthItem[] = [];
  let at = 0;
  const take = (pattern: RegExp): string | null => {
    pattern.lastIndex = at;
    const m = pattern.exec(text);
    if (!m) return null;
    at = pattern.lastIndex;
    return m[0];
  };
  const skip = (chars: string): void => {
    while (at < text.length && chars.includes(text[at]!)) at++;
  };
  const quoted = (): string => {
    let out = '';
    for (at++; at < text.length && text[at] !== '"'; at++) {
      if (text[at] === '\\' && at + 1 < text.length) at++;
      out += text[at];
    }
    at++;
    return out;
  };

  while (at < text.length) {
    skip(' \t\r\n,');
    const name = take(TOKEN);
    if (name === null) {
      at++;
      continue;
    }
    skip(' \t');
    if (text[at] === '=') {
      at++;
      skip(' \t');
      const val = text[at] === '"' ? quoted() : take(BARE_VALUE) ?? '';
      const current = items.at(-1);
      const key = name.toLowerCase();
      if (current && !(key in current.params)) current.params[key] = val;
      continue;
    }
    const item: AuthItem = { scheme: name, params: {} };
    items.push(item);
    const before = at;
    const token68 = take(TOKEN68);
    skip(' \t');
    if (token68 !== null && (at >= text.length || text[at] === ',')) item.token68 = token68;
    else at = before;
  }
  return items;
}

function digestAlgorithm(name: string | undefined): DigestAlgorithm | null {
  if (name === undefined) return 'MD5';
  return DIGEST_ALGORITHMS.find((a) => a.toLowerCase() === name.toLowerCase()) ?? null;
}

/** The Digest challenge an item carries, or null if it is not one jcstar can answer (no nonce, unknown algorithm). */
export function digestChallenge(item: AuthItem): DigestChallenge | null {
  if (item.scheme.toLowerCase() !== 'digest') return null;
  const { realm, nonce, opaque, algorithm: named, qop, stale, userhash } = item.params;
  const algorithm = digestAlgorithm(named);
  if (realm === undefined || nonce === undefined || algorithm === null) return null;
  return {
    realm,
    nonce,
    ...(opaque !== undefined ? { opaque } : {}),
    algorithm,
    namedAlgorithm: named !== undefined,
    qop: (qop ?? '').split(',').map((q) => q.trim().toLowerCase()).filter(Boolean),
    stale: stale?.toLowerCase() === 'true',
    userhash: userhash?.toLowerCase() === 'true',
  };
}

/** Among all challenges offered, the Digest one with the strongest algorithm jcstar supports, or null. */
export function strongestDigest(items: readonly AuthItem[]): DigestChallenge | null {
  const digests = items.map(digestChallenge).filter((c): c is DigestChallenge => c !== null);
  digests.sort((a, b) => DIGEST_ALGORITHMS.indexOf(a.algorithm) - DIGEST_ALGORITHMS.indexOf(b.algorithm));
  return digests[0] ?? null;
}
