import { basicAuthorization } from '../http/basic-auth.js';
import { classifyNetError } from '../../net/errors.js';
import { parseAuthHeader, strongestDigest } from '../digest/challenge.js';
import { digestAuthorization } from '../digest/response.js';
import { BODY_LIMIT, describeRequest, describeResponse, httpExchange, originOf, type HttpRequestSpec, type HttpResponse } from '../http/exchange.js';
import { type ChannelRead, type ChannelTarget } from './channel.js';

/**
 * GET `path` on a declared HTTP(S) service with its declared authentication: none, Basic, or Digest
 * (the challenge fetched first, as the Digest login probe does). The transcript shows the password as
 * its marker, never the header that carries it.
 */
export async function readOverHttp({ ctx, host, service, credential }: ChannelTarget, path: string): Promise<ChannelRead> {
  const tls = service.protocol === 'https';
  const method = `GET ${originOf({ host, port: service.port, tls })}${path}`;
  const spec: HttpRequestSpec = { host, port: service.port, tls, method: 'GET', path, headers: { Accept: '*/*' }, signal: ctx.signal, timeoutMs: ctx.policy.budgets.replyTimeoutMs };
  const sent: string[] = [];
  const replies: HttpResponse[] = [];
  const read = (answer: ChannelRead['answer'], status: number | null): ChannelRead => ({
    method,
    answer,
    sent: sent.join('\r\n\r\n'),
    received: replies.map((r) => describeResponse(r)).join('\r\n\r\n'),
    data: { status, auth: service.auth },
  });
  const get = async (authorization?: { header: string; shown: string }): Promise<HttpResponse> => {
    sent.push(describeRequest({ ...spec, headers: { ...spec.headers, ...(authorization ? { Authorization: authorization.shown } : {}) } }));
    const res = await httpExchange(ctx.net, { ...spec, headers: { ...spec.headers, ...(authorization ? { Authorization: authorization.header } : {}) } });
    replies.push(res);
    return res;
  };

  const auth = service.auth;
  if (auth !== 'none' && auth !== 'basic' && auth !== 'digest') {
    return read({ reason: `jcstar reads the version over HTTP with Basic, Digest or no authentication; ${service.name} declares ${auth}` }, null);
  }
  const password = credential?.password;
  const username = credential?.username;
  if (auth !== 'none' && (!password || username === undefined)) {
    return read({ reason: `${service.name} declares ${auth} authentication but no credential with a username and password` }, null);
  }
  try {
    let res: HttpResponse;
    if (auth === 'basic') {
      await ctx.net.authAttempt(ctx.signal);
      res = await get({ header: basicAuthorization(username!, password!), shown: `Basic base64(${username}:${password})` });
    } else {
      res = await get();
      if (auth === 'digest' && res.status === 401) {
        const offered = res.headers['www-authenticate'];
        const challenge = offered ? strongestDigest(parseAuthHeader(offered)) : null;
        if (!challenge) return read({ reason: `GET ${path} answered 401 without a Digest challenge jcstar can answer` }, 401);
        await ctx.net.authAttempt(ctx.signal);
        const answer = digestAuthorization({ challenge, method: 'GET', uri: path, username: username!, password: password! });
        res = await get({ header: answer.header, shown: answer.transcript });
      }
    }
    if (res.status < 200 || res.status >= 300) {
      const how = auth === 'none' ? 'without credentials (the service declares none)' : 'with the declared credential';
      return read({ reason: `GET ${path} answered ${res.status}${res.statusMessage ? ` ${res.statusMessage}` : ''} ${how}` }, res.status);
    }
    // The exchange keeps BODY_LIMIT (64 KiB) of the body: a full buffer means more was sent, unless Content-Length says not.
    const announced = Number(res.headers['content-length']);
    const truncated = Number.isFinite(announced) ? announced > res.body.length : res.body.length >= BODY_LIMIT;
    return read({ text: res.body.toString('utf8'), truncated }, res.status);
  } catch (err) {
    return read({ reason: `GET ${path}: ${classifyNetError(err).message}` }, null);
  }
}
