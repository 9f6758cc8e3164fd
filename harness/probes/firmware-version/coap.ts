import { probeCoapResources } from '../coap/discovery.js';
import { probeDtlsPsk } from '../dtls/psk-handshake.js';
import { boundedText, urlHost, type ChannelRead, type ChannelTarget } from './channel.js';

/**
 * CoAP GET of `resource`: plain CoAP with node-coap on the device-only socket (after the discovery GET
 * the probe always makes), or CoAPS over a DTLS 1.2 PSK handshake with the declared identity and key.
 * Over DTLS the probe keeps the first 128 bytes of the answer, which holds a version string.
 */
export async function readOverCoap({ ctx, host, service, credential }: ChannelTarget, resource: string): Promise<ChannelRead> {
  const timeoutMs = ctx.policy.budgets.replyTimeoutMs;
  if (service.protocol === 'coaps') {
    const method = `GET coaps://${urlHost(host)}:${service.port}${resource}`;
    const psk = credential?.psk;
    if (!psk) return { method, answer: { reason: `${service.name} is CoAPS; jcstar reads it with a DTLS pre-shared key, and its credential declares none` }, sent: '', received: '' };
    await ctx.net.authAttempt(ctx.signal);
    const key = psk.keyFormat === 'hex' ? Buffer.from(psk.key.reveal(), 'hex') : Buffer.from(psk.key.reveal(), 'utf8');
    const result = await probeDtlsPsk(ctx.net, { host, port: service.port, timeoutMs, signal: ctx.signal, identity: psk.identity, key, path: resource });
    const read = (answer: ChannelRead['answer']): ChannelRead => ({
      method,
      answer,
      sent: `DTLS 1.2 PSK handshake as "${psk.identity}", then CoAP GET ${resource}`,
      received: result.transcript.join('\n'),
      data: { outcome: result.outcome },
    });
    if (result.outcome !== 'completed') return read({ reason: `DTLS-PSK handshake as "${psk.identity}": ${result.outcome}: ${'detail' in result ? result.detail : ''}` });
    const reply = result.reply;
    if (!reply || !('code' in reply)) return read({ reason: `GET ${resource} over DTLS: ${reply?.detail ?? 'no answer'}` });
    if (!reply.code.startsWith('2.')) return read({ reason: `GET ${resource} answered ${reply.code} with the declared key` });
    return read({ text: reply.excerpt.replace(/…$/, ''), truncated: reply.excerpt.endsWith('…') });
  }

  const method = `GET coap://${urlHost(host)}:${service.port}${resource}`;
  const found = await probeCoapResources(ctx.net, { host, port: service.port, signal: ctx.signal, timeoutMs, maxResources: 0, paths: [resource] });
  const fetched = found.resources.find((r) => r.path === resource) ?? found.discovery;
  const read = (answer: ChannelRead['answer']): ChannelRead => ({ method, answer, sent: [found.discovery, ...found.resources].map((r) => r.sent).join('\n'), received: [found.discovery, ...found.resources].map((r) => r.received).join('\n') });
  const reply = fetched.reply;
  if (reply.outcome !== 'answered') return read({ reason: `GET ${resource}: ${reply.detail}` });
  if (!reply.code.startsWith('2.')) return read({ reason: `GET ${resource} answered ${reply.code}` });
  return read(boundedText(Buffer.from(reply.payload, 'utf8')));
}
