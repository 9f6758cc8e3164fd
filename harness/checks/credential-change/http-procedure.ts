import { classifyNetError } from '../../net/errors.js';
import { describeRequest, describeResponse, httpExchange, maskRawCookies, type HttpRequestSpec } from '../../probes/http/exchange.js';
import type { CredentialChange } from '../../profile/schema.js';
import type { Service } from '../../profile/types.js';
import type { CheckContext } from '../../suite/context.js';
import { PROCEDURE_TIMEOUT_FACTOR, STEPS, type ProcedureResult } from './steps.js';
import { encodingFor, fillTemplate, type TemplateValues } from './template.js';

type HttpChange = Extract<CredentialChange, { http: unknown }>['http'];

const FORM = 'application/x-www-form-urlencoded';

/** The profile's change request, authenticated with the current value (HTTP Basic) unless it says `auth: none`. */
export async function changeOverHttp(ctx: CheckContext, service: Service, change: HttpChange, values: TemplateValues, step: 'change' | 'restore'): Promise<ProcedureResult> {
  const contentType = change.contentType ?? FORM;
  const body = fillTemplate(change.body, values, encodingFor(contentType));
  const basic = change.auth !== 'none';
  if (basic) await ctx.net.authAttempt(ctx.signal);
  const spec: HttpRequestSpec = {
    host: ctx.profile.target.address,
    port: service.port,
    tls: service.protocol === 'https',
    method: change.method,
    path: change.path,
    headers: {
      'Content-Type': contentType,
      ...(basic ? { Authorization: `Basic ${Buffer.from(`${values.username}:${values.oldPassword.reveal()}`).toString('base64')}` } : {}),
    },
    body: body.wire,
    signal: ctx.signal,
    timeoutMs: ctx.policy.budgets.replyTimeoutMs * PROCEDURE_TIMEOUT_FACTOR,
  };
  const shownHeaders: Record<string, string> = { 'Content-Type': contentType, ...(basic ? { Authorization: `Basic base64(${values.username}:${values.oldPassword})` } : {}) };
  const sent = describeRequest({ ...spec, headers: shownHeaders }, body.shown);
  const what = `${STEPS[step]}: ${change.method} ${change.path}`;
  try {
    const res = await httpExchange(ctx.net, spec);
    const ok = res.status >= 200 && res.status < 300;
    const detail = `HTTP ${res.status}`;
    const evidence = ctx.evidence.record({
      kind: 'exchange',
      summary: `${what} → ${detail}${ok ? '' : ' (the procedure failed)'}`,
      target: ctx.target,
      sent,
      received: describeResponse(res),
      data: { step, status: res.status, ok },
      artifacts: [{ name: `${step}-response.bin`, bytes: maskRawCookies(res.raw), mediaType: 'application/octet-stream' }],
    });
    return { ok, detail, evidenceSeq: evidence.seq };
  } catch (err) {
    const { message: detail } = classifyNetError(err);
    const evidence = ctx.evidence.record({ kind: 'exchange', summary: `${what} → ${detail}`, target: ctx.target, sent, data: { step, status: null, ok: false, detail } });
    return { ok: false, detail, evidenceSeq: evidence.seq };
  }
}
