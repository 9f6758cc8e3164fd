import { basicAuthorization } from '../probes/http/basic-auth.js';
import { Redactor } from '../evidence/redactor.js';
import { classifyNetError } from '../net/errors.js';
import { describeRequest, describeResponse, httpExchange, maskRawCookies, type HttpRequestSpec } from '../probes/http/exchange.js';
import type { DeviceActionSpec } from '../profile/update-schema.js';
import type { CheckContext } from '../suite/context.js';
import { fillMarker, type ActionFill, type ActionObservation } from './action-observation.js';
import { encodingFor } from '../checks/credential-change/template.js';

type HttpAction = Extract<DeviceActionSpec, { http: unknown }>['http'];

const ENCODE = { form: encodeURIComponent, json: (v: string) => JSON.stringify(v).slice(1, -1), raw: (v: string) => v };

/**
 * One request to a declared HTTP service, with the service's credential over HTTP Basic when it uses
 * Basic, without one when it needs none. Other logins (digest, form, token) are not replayed here.
 */
export async function runHttpAction(ctx: CheckContext, spec: HttpAction, fill: ActionFill): Promise<ActionObservation> {
  const action = `${spec.method} ${spec.path} on ${spec.service}`;
  const refuse = (detail: string): ActionObservation => {
    const evidence = ctx.evidence.record({ kind: 'note', summary: `${action}: ${detail}` });
    return { action, ok: false, detail, output: '', timedOut: false, evidenceSeq: evidence.seq };
  };
  const service = ctx.profile.services.find((s) => s.name === spec.service);
  if (!service || (service.protocol !== 'http' && service.protocol !== 'https')) return refuse(`${spec.service} is not a declared HTTP service`);
  const credential = service.credential === undefined ? undefined : ctx.profile.credentials[service.credential];
  const basic = service.auth === 'basic' && credential?.username !== undefined && credential.password !== undefined;
  if (!basic && service.auth !== 'none') return refuse(`jcstar sends device actions with HTTP Basic or without a login; ${service.name} uses ${service.auth}${service.auth === 'basic' ? ' but its credential has no username and password' : ''}`);
  const contentType = spec.contentType ?? 'application/json';
  const body = spec.body === undefined ? undefined : fillMarker(spec.body, fill, ENCODE[encodingFor(contentType)]);
  if (basic) await ctx.net.authAttempt(ctx.signal);
  const request: HttpRequestSpec = {
    host: ctx.profile.target.address,
    port: service.port,
    tls: service.protocol === 'https',
    method: spec.method,
    path: fillMarker(spec.path, fill, encodeURIComponent),
    headers: {
      ...(body === undefined ? {} : { 'Content-Type': contentType }),
      ...(basic ? { Authorization: basicAuthorization(credential.username!, credential.password!) } : {}),
    },
    ...(body === undefined ? {} : { body }),
    signal: ctx.signal,
    timeoutMs: ctx.policy.budgets.replyTimeoutMs,
  };
  const shown = { ...request.headers, ...(basic ? { Authorization: `Basic base64(${credential.username}:${credential.password})` } : {}) };
  const sent = describeRequest({ ...request, headers: shown }, body);
  const target = { host: request.host, port: service.port, protocol: service.protocol, transport: service.transport };
  try {
    const res = await httpExchange(ctx.net, request);
    const ok = res.status >= 200 && res.status < 300;
    const detail = `HTTP ${res.status}`;
    const evidence = ctx.evidence.record({
      kind: 'exchange',
      summary: `${action} → ${detail}`,
      target,
      sent,
      received: describeResponse(res),
      data: { action, status: res.status, ok },
      artifacts: [{ name: 'action-response.bin', bytes: maskRawCookies(res.raw), mediaType: 'application/octet-stream' }],
    });
    const redactor = new Redactor(ctx.profile.secrets);
    return { action, ok, detail, output: redactor.text(res.body.toString('utf8')), timedOut: false, evidenceSeq: evidence.seq };
  } catch (err) {
    const { message: detail } = classifyNetError(err);
    const evidence = ctx.evidence.record({ kind: 'exchange', summary: `${action} → ${detail}`, target, sent, data: { action, status: null, ok: false, detail } });
    return { action, ok: false, detail, output: '', timedOut: false, evidenceSeq: evidence.seq };
  }
}
