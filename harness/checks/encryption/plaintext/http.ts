import { classifyNetError } from '../../../net/errors.js';
import { isHttpsOnDevice } from '../../device-redirect.js';
import { describeRequest, describeResponse, httpExchange, originOf, type HttpResponse } from '../../../probes/http/exchange.js';
import type { Service } from '../../../profile/types.js';
import type { CheckContext } from '../../../suite/context.js';
import { fail, inconclusive, notApplicable, pass, type CheckOutcome } from '../../../verdicts/outcome.js';

const MAX_PATHS = 16;
/** Same-origin plaintext hops followed before the answer is judged (a trailing slash, /admin → /login). */
const MAX_REDIRECTS = 3;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const HEADERS = { Accept: 'text/html,*/*' };

/** Answers that deliver the page, a credential challenge, or the login endpoint itself (405 to a GET) in plaintext. */
function served(status: number): boolean {
  return (status >= 200 && status < 300) || status === 401 || status === 405 || status === 407;
}

type Finding = 'redirected' | 'served' | 'unclear' | 'unanswered';

interface PathResult {
  path: string;
  role: 'login' | 'page';
  finding: Finding;
  /** In a few words: "200", "301 → https://…", "404 after 1 redirect(s)". */
  answer: string;
  seq: number;
}

/** The login page (or endpoint) and the protected paths, or / when the profile names none. */
function pathsOf(service: Service): Array<{ path: string; role: PathResult['role'] }> {
  const login = service.login?.page ?? service.login?.path;
  const paths = [...(login ? [{ path: login, role: 'login' as const }] : []), ...(service.paths ?? []).map((path) => ({ path, role: 'page' as const }))];
  const unique = paths.filter((p, i) => paths.findIndex((q) => q.path === p.path) === i);
  return (unique.length ? unique : [{ path: '/', role: 'page' as const }]).slice(0, MAX_PATHS);
}

/** GET over plain HTTP, following same-origin plaintext redirects; stops at the first redirect to https. */
async function fetchPlain(ctx: CheckContext, service: Service, path: string, role: PathResult['role']): Promise<PathResult> {
  const host = ctx.profile.target.address;
  const origin = originOf({ host, port: service.port, tls: false });
  const requests: string[] = [];
  const responses: HttpResponse[] = [];
  let finding: Finding = 'unanswered';
  let answer = '';
  let next: string | null = path;
  for (let hop = 0; next !== null && hop <= MAX_REDIRECTS; hop++) {
    const spec = { host, port: service.port, tls: false, method: 'GET', path: next, headers: HEADERS, signal: ctx.signal, timeoutMs: ctx.policy.budgets.replyTimeoutMs };
    requests.push(describeRequest(spec));
    let res: HttpResponse;
    try {
      res = await httpExchange(ctx.net, spec);
    } catch (err) {
      [finding, answer, next] = ['unanswered', classifyNetError(err).message, null];
      break;
    }
    responses.push(res);
    const via = hop ? ` after ${hop} redirect(s)` : '';
    const location: URL | null = res.headers.location ? URL.parse(res.headers.location, `${origin}${next}`) : null;
    next = null;
    if (REDIRECTS.has(res.status) && isHttpsOnDevice(ctx, location)) [finding, answer] = ['redirected', `${res.status} → ${location!.href}${via}`];
    else if (REDIRECTS.has(res.status) && location?.protocol === 'https:') [finding, answer] = ['unclear', `${res.status} → ${location.href}${via}, HTTPS on another host than the device`];
    else if (REDIRECTS.has(res.status) && location?.origin === origin && hop < MAX_REDIRECTS) next = `${location.pathname}${location.search}`;
    else if (REDIRECTS.has(res.status) && location?.origin === origin) [finding, answer] = ['unclear', `${res.status}${via}, still redirecting in plaintext`];
    else if (REDIRECTS.has(res.status)) [finding, answer] = ['unclear', `${res.status} → ${res.headers.location ?? '(no Location)'}${via}, not to HTTPS`];
    else [finding, answer] = [served(res.status) ? 'served' : 'unclear', `${res.status}${via}`];
  }
  const evidence = ctx.evidence.record({
    kind: 'exchange',
    summary: `${role === 'login' ? 'login' : 'protected path'} ${path} over plain HTTP → ${answer}`,
    target: ctx.target,
    sent: requests.join('\r\n\r\n'),
    received: [...responses.map((r) => describeResponse(r)), ...(finding === 'unanswered' ? [answer] : [])].join('\r\n\r\n'),
    data: { path, role, finding, statuses: responses.map((r) => r.status), location: responses.at(-1)?.headers.location ?? null },
  });
  return { path, role, finding, answer, seq: evidence.seq };
}

function list(results: PathResult[]): string {
  return results.map((r) => `${r.path} (${r.answer}; evidence #${r.seq})`).join(', ');
}

/**
 * S1.1-12 on a plain-HTTP service: its login and protected pages must only redirect to HTTPS. A page, a
 * 401 challenge or the login endpoint answered in plaintext puts the credential or the asset on the wire.
 */
export async function checkHttpPlaintext(ctx: CheckContext, service: Service): Promise<CheckOutcome> {
  const publicPaths = new Map((service.public ?? []).map((p) => [p.resource, p.justification]));
  const results: PathResult[] = [];
  const skipped: string[] = [];
  for (const { path, role } of pathsOf(service)) {
    if (ctx.signal.aborted) break;
    const justification = publicPaths.get(path);
    if (justification !== undefined) {
      ctx.evidence.record({ kind: 'note', summary: `${path} is declared public, so plain HTTP there is not judged: "${justification}"`, target: ctx.target, data: { path, justification } });
      skipped.push(`${path} ("${justification}")`);
      continue;
    }
    results.push(await fetchPlain(ctx, service, path, role));
  }
  const plaintext = results.filter((r) => r.finding === 'served');
  if (plaintext.length) {
    const each = plaintext.map((r) => `HTTP ${r.role} ${r.path} served over plaintext (${r.answer}), no redirect to HTTPS (evidence #${r.seq})`);
    return fail(`${service.name}: ${each.join('; ')}`);
  }
  if (!results.length) return notApplicable(`${service.name}: every path to check is declared public: ${skipped.join(', ')}`);
  const open = results.filter((r) => r.finding !== 'redirected');
  if (open.length === results.length && open.every((r) => r.finding === 'unanswered')) return inconclusive(`${service.name} did not answer over plain HTTP: ${list(open)}`);
  if (open.length) {
    const hint = service.login || service.paths?.length ? '' : '; declare the login and protected paths under services[].login and services[].paths';
    return inconclusive(`${service.name}: neither served in plaintext nor redirected to HTTPS, so the plaintext exposure is undecided: ${list(open)}${hint}`);
  }
  return pass(`${service.name}: every login and protected path redirects to HTTPS: ${list(results)}${skipped.length ? `; public by declaration: ${skipped.join(', ')}` : ''}`);
}
