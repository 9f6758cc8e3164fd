import type { DefaultCredential } from '../../credentials/universal-defaults.js';
import { classifyNetError } from '../../net/errors.js';
import { describeRequest, describeResponse, httpExchange, maskRawCookies, type HttpRequestSpec } from '../../probes/http/exchange.js';
import type { Service } from '../../profile/types.js';
import type { CheckContext } from '../../suite/context.js';
import { classifyFirstUse, type FirstUseObservation } from './first-use.js';

/**
 * One GET of a protected path, without credentials or with one universal default over HTTP Basic, and
 * its evidence. Only GET: submitting the setup form would set a password, which cannot be undone.
 */
export async function requestAtFirstUse(ctx: CheckContext, service: Service, path: string, offered: DefaultCredential | null): Promise<FirstUseObservation> {
  if (offered) await ctx.net.authAttempt(ctx.signal);
  const headers: Record<string, string> = offered ? { Authorization: `Basic ${Buffer.from(`${offered.username}:${offered.password.reveal()}`).toString('base64')}` } : {};
  const spec: HttpRequestSpec = {
    host: ctx.profile.target.address,
    port: service.port,
    tls: service.protocol === 'https',
    method: 'GET',
    path,
    headers,
    signal: ctx.signal,
    timeoutMs: ctx.policy.budgets.replyTimeoutMs,
  };
  const shownHeaders: Record<string, string> = offered ? { Authorization: `Basic base64(${offered.username}:${offered.password})` } : {};
  const sent = describeRequest({ ...spec, headers: shownHeaders });
  const what = `GET ${path} ${offered ? `with universal default ${offered.id}` : 'without credentials'}`;
  const defaultId = offered?.id ?? null;
  try {
    const res = await httpExchange(ctx.net, spec);
    const { answer, detail } = classifyFirstUse(res.status, res.headers);
    const evidence = ctx.evidence.record({
      kind: 'exchange',
      summary: `${what} → ${detail}: ${answer}`,
      target: ctx.target,
      sent,
      received: describeResponse(res),
      data: { path, default: defaultId, status: res.status, answer },
      artifacts: [{ name: `first-use-${defaultId ?? 'anonymous'}-response.bin`, bytes: maskRawCookies(res.raw), mediaType: 'application/octet-stream' }],
    });
    return { path, defaultId, answer, detail, evidenceSeq: evidence.seq };
  } catch (err) {
    const { message: detail } = classifyNetError(err);
    const evidence = ctx.evidence.record({ kind: 'exchange', summary: `${what} → ${detail}`, target: ctx.target, sent, data: { path, default: defaultId, answer: 'error', detail } });
    return { path, defaultId, answer: 'error', detail, evidenceSeq: evidence.seq };
  }
}
