import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { classifyNetError } from '../../net/errors.js';
import { PASSWORD_INPUT, showsLoginForm } from '../../probes/http/csrf.js';
import { describeRequest, describeResponse, holdOffSignal, httpExchange, maskRawCookies, originOf, type HttpResponse } from '../../probes/http/exchange.js';
import type { Service } from '../../profile/types.js';
import type { CheckContext } from '../../suite/context.js';
import { pass, type CheckOutcome } from '../../verdicts/outcome.js';
import { isHttpsOnDevice } from '../device-redirect.js';
import { retryAfterMs } from '../hold-off/recovery.js';
import { loadAdminPaths } from './admin-paths.js';
import { judgeAccess, subjectOf, type Reach, type Trial } from './judge.js';

/** Paths fetched per service, declared ones first. */
const MAX_PATHS = 32;
const MAX_REDIRECTS = 3;
/** Times a request held off by the device (429, 503) is asked again, and the longest pause before each. */
const MAX_HOLD_OFF_RETRIES = 3;
const MAX_HOLD_OFF_PAUSE_MS = 10_000;
/** Requests in a row without an answer after which the service is taken to have stopped answering. */
const MAX_UNANSWERED = 3;
const HEADERS = { Accept: '*/*' };

interface Fetched {
  requests: string[];
  responses: HttpResponse[];
  /** The last response, after same-origin redirects. */
  final: HttpResponse | null;
  error: string | null;
}

/**
 * GET without credentials, following same-origin redirects (a login redirect, a trailing slash). A device
 * that holds the client off (429, 503) is asked again after a doubling pause, a few times.
 */
async function getWithoutCredentials(ctx: CheckContext, service: Service, path: string): Promise<Fetched> {
  let fetched = await getOnce(ctx, service, path);
  for (let retry = 0, pause = ctx.policy.holdOff.firstPollMs; retry < MAX_HOLD_OFF_RETRIES && fetched.final && holdOffSignal(fetched.final); retry++, pause *= 2) {
    const signal = holdOffSignal(fetched.final)!;
    // A Retry-After of hours would only run the check out of its budget: the pause is capped.
    const wait = Math.min(retryAfterMs(signal) ?? pause, MAX_HOLD_OFF_PAUSE_MS);
    ctx.evidence.record({ kind: 'note', summary: `GET ${path} was held off (${signal}); asking again in ${wait / 1000} s`, target: ctx.target });
    await sleep(wait, undefined, { signal: ctx.signal });
    const again = await getOnce(ctx, service, path);
    fetched = { ...again, requests: [...fetched.requests, ...again.requests], responses: [...fetched.responses, ...again.responses] };
  }
  return fetched;
}

async function getOnce(ctx: CheckContext, service: Service, path: string): Promise<Fetched> {
  const host = ctx.profile.target.address;
  const tls = service.protocol === 'https';
  const origin = originOf({ host, port: service.port, tls });
  const fetched: Fetched = { requests: [], responses: [], final: null, error: null };
  let next: string | null = path;
  for (let hop = 0; next !== null && hop <= MAX_REDIRECTS; hop++) {
    const spec = { host, port: service.port, tls, method: 'GET', path: next, headers: HEADERS, signal: ctx.signal, timeoutMs: ctx.policy.budgets.replyTimeoutMs };
    fetched.requests.push(describeRequest(spec));
    try {
      fetched.final = await httpExchange(ctx.net, spec);
    } catch (err) {
      fetched.error = classifyNetError(err).message;
      return fetched;
    }
    fetched.responses.push(fetched.final);
    const location = fetched.final.headers.location;
    next = null;
    if (fetched.final.status >= 300 && fetched.final.status < 400 && location) {
      const target = URL.parse(location, `${origin}${path}`);
      if (target?.origin === origin) next = `${target.pathname}${target.search}`;
    }
  }
  return fetched;
}

interface Classified {
  reach: Reach;
  answer: string;
  /** The answer was a redirect to HTTPS on the device itself: nothing served here. */
  toHttps?: boolean;
}

function classify(ctx: CheckContext, service: Service, fetched: Fetched, declared: boolean, catchAll: Buffer | null): Classified {
  const res = fetched.final;
  if (!res) return { reach: 'unanswered', answer: fetched.error ?? 'no answer' };
  const status = `HTTP ${res.status}${res.statusMessage ? ` ${res.statusMessage}` : ''}`;
  const via = fetched.responses.length > 1 ? ` after ${fetched.responses.length - 1} redirect(s)` : '';
  const html = res.body.toString('utf8');
  const loginForm = showsLoginForm(html, service.login?.usernameField ?? 'username', service.login?.passwordField ?? 'password');
  if (res.status >= 200 && res.status < 300) {
    if (loginForm) return { reach: 'refused', answer: `${status}${via}, a login form` };
    if (declared) return { reach: 'reached', answer: `${status}${via}` };
    // A common path counts only when it shows content of its own: not a login page, not the page served for any path.
    if (res.body.length === 0) return { reach: 'other', answer: `${status}${via}, empty` };
    if (PASSWORD_INPUT.test(html)) return { reach: 'refused', answer: `${status}${via}, a page asking for a password` };
    if (catchAll?.equals(res.body)) return { reach: 'absent', answer: `${status}${via}, the same page as a random path` };
    return { reach: 'reached', answer: `${status}${via}` };
  }
  if ([401, 403, 407].includes(res.status)) return { reach: 'refused', answer: `${status}${via}` };
  if ([404, 410].includes(res.status)) return { reach: 'absent', answer: `${status}${via}` };
  const location = res.headers.location ? URL.parse(String(res.headers.location), `${originOf({ host: ctx.profile.target.address, port: service.port, tls: service.protocol === 'https' })}/`) : null;
  if (res.status >= 300 && res.status < 400 && isHttpsOnDevice(ctx, location)) {
    return { reach: 'refused', answer: `${status}${via}, redirect to ${location!.href}: nothing served here`, toHttps: true };
  }
  if (res.status >= 300 && res.status < 400) return { reach: 'other', answer: `${status}, redirect to ${String(res.headers.location ?? '(no Location)')} not followed` };
  return { reach: 'other', answer: `${status}${via}` };
}

function record(ctx: CheckContext, path: string, role: string, fetched: Fetched, classified: Classified) {
  const res = fetched.final;
  return ctx.evidence.record({
    kind: 'observation',
    summary: `${role}: GET ${path} without credentials → ${classified.answer}: ${classified.reach}`,
    target: ctx.target,
    sent: fetched.requests.join('\r\n\r\n'),
    received: [...fetched.responses.map((r) => describeResponse(r)), ...(fetched.error ? [fetched.error] : [])].join('\r\n\r\n'),
    data: { resource: path, role, reach: classified.reach, status: res?.status ?? null, redirects: fetched.responses.length - (res ? 1 : 0) },
    artifacts: classified.reach === 'reached' && res ? [{ name: `unauthenticated-${path.replace(/[^A-Za-z0-9]+/g, '-')}-response.bin`, bytes: maskRawCookies(res.raw), mediaType: 'application/octet-stream' }] : [],
  });
}

/** S1.1-01 on an HTTP(S) service: the declared protected paths, then the common admin paths, without credentials. */
export async function checkHttpAccess(ctx: CheckContext, service: Service): Promise<CheckOutcome> {
  const declared = service.paths ?? [];
  const catalogue = loadAdminPaths();
  const paths = [...declared.map((path) => ({ path, declared: true })), ...catalogue.paths.filter((p) => !declared.includes(p.path)).map(({ path }) => ({ path, declared: false }))].slice(0, MAX_PATHS);

  // Negative control: what the device serves for a path no device has, so a catch-all page is not mistaken for an admin page.
  const randomPath = `/jcstar-${randomBytes(6).toString('hex')}`;
  const control = await getWithoutCredentials(ctx, service, randomPath);
  const controlStatus = control.final?.status ?? 0;
  const catchAll = control.final && controlStatus >= 200 && controlStatus < 300 && control.final.body.length ? control.final.body : null;
  record(ctx, randomPath, 'negative control', control, { reach: catchAll ? 'other' : 'absent', answer: control.final ? `HTTP ${controlStatus}` : (control.error ?? 'no answer') });

  const trials: Trial[] = [];
  let allToHttps = true;
  let unanswered = control.final ? 0 : 1;
  for (const { path, declared: isDeclared } of paths) {
    if (ctx.signal.aborted) break;
    if (unanswered >= MAX_UNANSWERED) {
      const note = ctx.evidence.record({ kind: 'note', summary: `${service.name} stopped answering after ${unanswered} requests in a row; ${path} and the paths after it were not tried`, target: ctx.target });
      trials.push({ resource: path, reach: 'unanswered', protected: isDeclared, answer: `not tried: no answer to ${unanswered} requests in a row`, seq: note.seq });
      break;
    }
    const fetched = await getWithoutCredentials(ctx, service, path);
    unanswered = fetched.final ? 0 : unanswered + 1;
    const classified = classify(ctx, service, fetched, isDeclared, catchAll);
    allToHttps &&= classified.toHttps === true;
    const evidence = record(ctx, path, isDeclared ? 'declared protected path' : `common admin path (${catalogue.version})`, fetched, classified);
    // Common paths that are absent or unreachable say nothing about this device's access control.
    if (!isDeclared && classified.reach !== 'reached' && classified.reach !== 'refused') continue;
    trials.push({ resource: path, reach: classified.reach, protected: isDeclared, answer: classified.answer, seq: evidence.seq });
  }
  if (allToHttps && trials.length > 0 && !ctx.signal.aborted) {
    return pass(`${service.name}: nothing served without credentials: every one of the ${trials.length} path(s) tried redirects to HTTPS on the device (e.g. ${trials[0]!.resource}: ${trials[0]!.answer}; evidence #${trials[0]!.seq})`);
  }
  return judgeAccess(ctx, subjectOf(service), trials, declared.length ? '' : 'declare the protected paths under services[].paths');
}
