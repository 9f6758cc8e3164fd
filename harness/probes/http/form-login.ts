import { CookieJar } from 'tough-cookie';
import type { GuardedNetwork } from '../../net/network.js';
import { classifyNetError } from '../../net/errors.js';
import type { LoginSpec } from '../../profile/schema.js';
import { elapsed, type AuthObservation, type TrialCredential } from '../auth-observation.js';
import { findCsrfToken, showsLoginForm, visibleText, type CsrfToken } from './csrf.js';
import { describeRequest, describeResponse, holdOffSignal, httpExchange, maskRawCookies, originOf, type HttpResponse } from './exchange.js';

export interface FormLoginProbe {
  host: string;
  port: number;
  tls: boolean;
  login: LoginSpec;
  credential: TrialCredential;
  signal: AbortSignal;
  timeoutMs: number;
}

type Judgement = Pick<AuthObservation, 'outcome' | 'detail' | 'failure' | 'lockoutSignal'>;

const MAX_PAGE_REDIRECTS = 3;
/** Narrower than /locked/: "the account will be locked after 5 attempts" is a warning, not a lockout. */
const LOCKOUT_TEXT = /\b(?:is|been|are|account|user|temporarily)\s+locked\b|\blocked out\b|too many (?:\w+ ){0,2}(?:attempts|failures|tries)|try again later/i;
/** Django, Laravel, Rails, Flask-WTF and plain firmware wordings of "your CSRF token was refused". */
const CSRF_REFUSAL = /\b(?:csrf|xsrf)\b.{0,40}?\b(?:fail|invalid|missing|mismatch|expired|verif|check)|\b(?:invalid|missing|expired|bad)\s+(?:csrf|xsrf)\b|request forgery|authenticity token/i;

/** One form login, in the order a browser does it: fetch the page (cookies, CSRF token), post the form. */
class FormSession {
  private readonly jar = new CookieJar();
  readonly sent: string[] = [];
  readonly received: string[] = [];

  constructor(private readonly net: GuardedNetwork, private readonly probe: FormLoginProbe) {}

  url(path: string): URL {
    return new URL(path, originOf(this.probe));
  }

  async cookies(path: string): Promise<Map<string, string>> {
    return new Map((await this.jar.getCookies(this.url(path).href)).map((c) => [c.key, c.value]));
  }

  /** Throws NetError. Records the exchange, with `body.shown` standing in for the wire body. */
  async exchange(method: string, path: string, headers: Record<string, string>, body?: { wire: string; shown: string }): Promise<HttpResponse> {
    const url = this.url(path).href;
    const cookie = await this.jar.getCookieString(url);
    const { host, port, tls, signal, timeoutMs } = this.probe;
    const spec = {
      host,
      port,
      tls,
      signal,
      timeoutMs,
      method,
      path,
      headers: { ...headers, ...(cookie ? { Cookie: cookie } : {}) },
      ...(body ? { body: body.wire } : {}),
    };
    this.sent.push(describeRequest(spec, body?.shown));
    const res = await httpExchange(this.net, spec);
    this.received.push(describeResponse(res));
    const setCookie = res.headers['set-cookie'] ?? [];
    for (const c of setCookie) await this.jar.setCookie(c, url, { ignoreError: true });
    return res;
  }
}

function isRedirect(res: HttpResponse): boolean {
  return res.status >= 300 && res.status < 400 && typeof res.headers.location === 'string';
}

/** GET the login page, following a few same-origin redirects. Returns the page, or why there is no form to fill. */
async function fetchLoginPage(session: FormSession, path: string): Promise<{ page: HttpResponse } | { judgement: Judgement }> {
  let current = path;
  for (let hop = 0; ; hop++) {
    const page = await session.exchange('GET', current, { Accept: 'text/html,application/xhtml+xml' });
    const holdOff = holdOffSignal(page);
    if (holdOff) return { judgement: { outcome: 'locked', lockoutSignal: holdOff, detail: `login page GET ${current} answered ${holdOff}` } };
    if (page.status >= 200 && page.status < 300) return { page };
    if (!isRedirect(page) || hop === MAX_PAGE_REDIRECTS) {
      return { judgement: { outcome: 'error', failure: 'protocol', detail: `login page GET ${current} answered HTTP ${page.status}, so there is no form to fill` } };
    }
    const next = URL.parse(String(page.headers.location), session.url(current));
    if (!next || next.origin !== session.url('/').origin) {
      return { judgement: { outcome: 'error', failure: 'protocol', detail: `login page GET ${current} redirects off the device, to ${page.headers.location}` } };
    }
    current = next.pathname + next.search;
  }
}

function formBody(login: LoginSpec, credential: TrialCredential, csrf: CsrfToken | null): { wire: string; shown: string } {
  const passwordField = login.passwordField ?? 'password';
  const pairs: Array<[string, string]> = [[login.usernameField ?? 'username', credential.username]];
  if (csrf?.field) pairs.push([csrf.field, csrf.value]);
  const visible = pairs.map((pair) => new URLSearchParams([pair]).toString());
  return {
    wire: new URLSearchParams([...pairs, [passwordField, credential.password.reveal()]]).toString(),
    shown: [...visible, `${encodeURIComponent(passwordField)}=${credential.password}`].join('&'),
  };
}

function newCookies(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...after].filter(([name, value]) => value !== '' && before.get(name) !== value).map(([name]) => name);
}

interface LoginResult {
  res: HttpResponse;
  loginPaths: Set<string>;
  freshCookies: string[];
}

/** The device's answer to the posted form, as a credential verdict, a lockout, or an error, with its reason. */
function judge(login: LoginSpec, { res, loginPaths, freshCookies }: LoginResult, base: URL): Judgement {
  const body = res.body.toString('utf8');
  const text = visibleText(body);
  const location = typeof res.headers.location === 'string' ? res.headers.location : undefined;
  const status = `HTTP ${res.status}${location ? ` → ${location}` : ''}`;
  const cookies = freshCookies.length ? `, new cookie ${freshCookies.join(', ')}` : '';
  // Patterns see the body and, for a redirect, where it points.
  const matches = (pattern: string) => [body, ...(location === undefined ? [] : [location])].some((target) => new RegExp(pattern).test(target));

  const holdOff = holdOffSignal(res);
  if (holdOff) return { outcome: 'locked', lockoutSignal: holdOff, detail: `${status}: the device is holding logins off` };
  // Some frameworks answer a refused token with 200 and the form again, so 2xx counts as well as 4xx.
  if (!isRedirect(res) && res.status < 500 && CSRF_REFUSAL.test(text)) {
    return { outcome: 'error', failure: 'protocol', detail: `${status} "${text.slice(0, 80)}": the device refused the form's CSRF token, so the credential was not judged` };
  }
  if (login.failurePattern && matches(login.failurePattern)) return { outcome: 'rejected', detail: `${status}: failurePattern matched` };
  if (login.successPattern && matches(login.successPattern)) return { outcome: 'accepted', detail: `${status}${cookies}: successPattern matched` };
  const lockoutText = LOCKOUT_TEXT.exec(text);
  if (lockoutText) return { outcome: 'locked', lockoutSignal: lockoutText[0], detail: `${status}: the page says "${lockoutText[0]}"` };
  if (res.status === 401 || res.status === 403) return { outcome: 'rejected', detail: `${status}: refused` };
  if (location !== undefined && isRedirect(res)) {
    const target = URL.parse(location, base);
    if (!target) return { outcome: 'error', failure: 'protocol', detail: `${status}: the redirect's Location is not a URL` };
    return loginPaths.has(target.pathname)
      ? { outcome: 'rejected', detail: `${status}${cookies}: redirected back to the login page` }
      : { outcome: 'accepted', detail: `${status}${cookies}: redirected away from the login page` };
  }
  if (res.status >= 200 && res.status < 300) {
    if (showsLoginForm(body, login.usernameField ?? 'username', login.passwordField ?? 'password')) {
      return { outcome: 'rejected', detail: `${status}${cookies}: the login form is shown again` };
    }
    if (freshCookies.length) return { outcome: 'accepted', detail: `${status}${cookies}, and no login form on the page` };
    return { outcome: 'error', failure: 'protocol', detail: `${status} without a login form, a redirect or a new cookie: cannot tell; set successPattern or failurePattern` };
  }
  return { outcome: 'error', failure: 'protocol', detail: `${status}: neither a login verdict nor a lockout` };
}

/**
 * One form login with `credential`: GET the login page for its cookies and CSRF token, then POST the
 * form. Never throws. The transcript shows the password as its marker and no cookie value.
 */
export async function probeFormLogin(net: GuardedNetwork, probe: FormLoginProbe): Promise<AuthObservation> {
  const started = process.hrtime.bigint();
  const { login, credential } = probe;
  const session = new FormSession(net, probe);
  const observation = (judgement: Judgement, latencyMs: number, raw?: Buffer): AuthObservation => ({
    ...judgement,
    latencyMs,
    sent: session.sent.join('\r\n\r\n'),
    received: session.received.join('\r\n\r\n'),
    ...(raw ? { rawReceived: maskRawCookies(raw) } : {}),
  });
  try {
    const fetched = await fetchLoginPage(session, login.page ?? login.path);
    if ('judgement' in fetched) return observation(fetched.judgement, elapsed(started));
    const csrf = findCsrfToken(fetched.page.body.toString('utf8'), login.csrfField);
    const before = await session.cookies(login.path);
    const headers: Record<string, string> = {
      Accept: 'text/html,application/xhtml+xml',
      'Content-Type': 'application/x-www-form-urlencoded',
      Origin: session.url('/').origin,
      Referer: session.url(login.page ?? login.path).href,
      ...(csrf && !csrf.field ? { 'X-CSRF-Token': csrf.value } : {}),
    };
    const res = await session.exchange('POST', login.path, headers, formBody(login, credential, csrf));
    const loginPaths = new Set([session.url(login.path).pathname, session.url(login.page ?? login.path).pathname]);
    const judgement = judge(login, { res, loginPaths, freshCookies: newCookies(before, await session.cookies(login.path)) }, session.url(login.path));
    const missingCsrf = login.csrfField && !csrf ? ` (no CSRF input "${login.csrfField}" on the login page)` : '';
    return observation({ ...judgement, detail: `POST ${login.path} ${judgement.detail}${missingCsrf}` }, res.latencyMs, res.raw);
  } catch (err) {
    const e = classifyNetError(err);
    return observation({ outcome: 'error', failure: e.failure, detail: e.message }, elapsed(started));
  }
}
