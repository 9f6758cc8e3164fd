import type { GuardedNetwork } from '../../net/network.js';
import { classifyNetError } from '../../net/errors.js';
import { Redactor } from '../../evidence/redactor.js';
import type { LoginSpec } from '../../profile/schema.js';
import { Secret } from '../../secrets/secret.js';
import { elapsed, type AuthObservation, type TrialCredential } from '../auth-observation.js';
import { describeRequest, describeResponse, holdOffSignal, httpExchange, maskRawCookies, type HttpResponse } from './exchange.js';

export interface TokenLoginProbe {
  host: string;
  port: number;
  tls: boolean;
  login: LoginSpec;
  credential: TrialCredential;
  signal: AbortSignal;
  timeoutMs: number;
}

type Judgement = Pick<AuthObservation, 'outcome' | 'detail' | 'failure'>;

/** Keys whose string values are likely live credentials, masked even where the profile points elsewhere. */
const TOKEN_LIKE_KEY = /token|jwt|secret|session|bearer|auth/i;
/** Shorter values ("ok", "en") would mask unrelated text all over the transcript. */
const MIN_TOKEN_LIKE = 8;
const MAX_DEPTH = 16;

/** The value at a dotted path ("data.accessToken") of parsed JSON, own properties only. */
function valueAt(json: unknown, path: string): unknown {
  let current = json;
  for (const key of path.split('.')) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** [dotted path, value] of every long string under a token-like key. */
function tokenLikeFields(json: unknown, prefix = '', depth = 0): Array<[string, string]> {
  if (depth > MAX_DEPTH || typeof json !== 'object' || json === null) return [];
  return Object.entries(json).flatMap(([key, value]): Array<[string, string]> => {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') return TOKEN_LIKE_KEY.test(key) && value.length >= MIN_TOKEN_LIKE ? [[path, value]] : [];
    return tokenLikeFields(value, path, depth + 1);
  });
}

function parseJson(body: string): { json: unknown } | null {
  try {
    return { json: JSON.parse(body) };
  } catch {
    return null;
  }
}

function count(haystack: Buffer, needle: string): number {
  let n = 0;
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + needle.length)) n++;
  return n;
}

/**
 * The tokens in the forms they travel in (as is, JSON-escaped, with escaped slashes) as secrets, so the
 * transcript shows a marker instead of a live credential.
 */
function tokenRedactor(tokens: string[]): Redactor {
  const forms = new Set(tokens.flatMap((t) => [t, JSON.stringify(t).slice(1, -1), t.replaceAll('/', '\\/')]));
  return new Redactor([...forms].map((form) => new Secret(form, 'access-token')));
}

interface Answer {
  res: HttpResponse;
  json: { json: unknown } | null;
  tokenField: string;
  token: string | null;
  tokenLike: string[];
}

function judge(login: LoginSpec, { res, json, tokenField, token, tokenLike }: Answer): Judgement {
  const status = `HTTP ${res.status}`;
  if (login.failurePattern && new RegExp(login.failurePattern).test(res.body.toString('utf8'))) return { outcome: 'rejected', detail: `${status}: failurePattern matched` };
  if (res.status >= 200 && res.status < 300) {
    if (token) return { outcome: 'accepted', detail: `${status} with a token in "${tokenField}"` };
    if (!json) return { outcome: 'error', failure: 'protocol', detail: `${status} but the body is not JSON, so there is no "${tokenField}" to read` };
    const hint = tokenLike.length ? ` (token-like fields: ${tokenLike.join(', ')})` : '';
    return { outcome: 'rejected', detail: `${status} without a token in "${tokenField}"${hint}` };
  }
  if (res.status === 401 || res.status === 403) return { outcome: 'rejected', detail: `${status}: refused` };
  return { outcome: 'error', failure: 'protocol', detail: `${status}: neither a login verdict nor a lockout` };
}

/**
 * One JSON API login: POST {usernameField: u, passwordField: p} to `login.path`; a non-empty string at
 * `tokenField` in a 2xx answer means accepted. Never throws. No token is recorded, nor any long string
 * under a token-like key: transcripts show a marker and the raw response has them overwritten.
 */
export async function probeTokenLogin(net: GuardedNetwork, probe: TokenLoginProbe): Promise<AuthObservation> {
  const started = process.hrtime.bigint();
  const { login, credential } = probe;
  const usernameField = login.usernameField ?? 'username';
  const passwordField = login.passwordField ?? 'password';
  const tokenField = login.tokenField ?? 'token';
  const spec = {
    host: probe.host,
    port: probe.port,
    tls: probe.tls,
    signal: probe.signal,
    timeoutMs: probe.timeoutMs,
    method: 'POST',
    path: login.path,
    headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
    body: JSON.stringify({ [usernameField]: credential.username, [passwordField]: credential.password.reveal() }),
  };
  const sent = describeRequest(spec, JSON.stringify({ [usernameField]: credential.username, [passwordField]: credential.password }));
  let res: HttpResponse;
  try {
    res = await httpExchange(net, spec);
  } catch (err) {
    const e = classifyNetError(err);
    return { outcome: 'error', failure: e.failure, detail: e.message, latencyMs: elapsed(started), sent, received: '' };
  }
  const json = parseJson(res.body.toString('utf8'));
  const found = valueAt(json?.json, tokenField);
  const token = typeof found === 'string' && found !== '' ? found : null;
  const tokenLike = tokenLikeFields(json?.json);
  const holdOff = holdOffSignal(res);
  const judgement: Judgement = holdOff
    ? { outcome: 'locked', detail: `${holdOff}: the device is holding logins off` }
    : judge(login, { res, json, tokenField, token, tokenLike: tokenLike.map(([path]) => path) });
  const tokens = [...new Set([...(token ? [token] : []), ...tokenLike.map(([, value]) => value)])];
  const redactor = tokenRedactor(tokens);
  // A token split across chunks of a chunked body would escape the masking; then the raw bytes stay out.
  const rawMaskable = tokens.every((t) => count(res.raw, t) >= count(res.body, t));
  return {
    ...judgement,
    ...(holdOff ? { lockoutSignal: holdOff } : {}),
    detail: `POST ${login.path} ${judgement.detail}${rawMaskable ? '' : ' (raw response withheld: the token could not be masked in it)'}`,
    latencyMs: res.latencyMs,
    sent,
    // Masked before the excerpt is cut, which could otherwise leave the token's head behind.
    received: redactor.text(describeResponse(res, redactor.text(res.body.toString('utf8')))),
    ...(rawMaskable ? { rawReceived: redactor.bytes(maskRawCookies(res.raw)) } : {}),
  };
}
