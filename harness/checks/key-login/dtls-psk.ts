import { randomBytes } from 'node:crypto';
import { DISCOVERY_PATH } from '../../probes/coap/discovery.js';
import { probeDtlsPsk, type DtlsPskResult } from '../../probes/dtls/psk-handshake.js';
import type { PresharedKey, Service } from '../../profile/types.js';
import type { CheckContext } from '../../suite/context.js';

export interface PskHandshakeSeen {
  result: DtlsPskResult;
  seq: number;
}

/** The key's bytes as the profile spells them; revealed only into the handshake. */
function keyBytes(psk: PresharedKey): Buffer {
  return psk.keyFormat === 'hex' ? Buffer.from(psk.key.reveal(), 'hex') : Buffer.from(psk.key.reveal(), 'utf8');
}

/** Negative control: an identity the device cannot know and a random key; a PSK login must refuse it. */
export function observeRandomPsk(ctx: CheckContext, service: Service): Promise<PskHandshakeSeen> {
  const identity = `jcstar-${randomBytes(6).toString('hex')}`;
  return observe(ctx, service, 'negative control: unknown identity, random key', identity, randomBytes(16), DISCOVERY_PATH);
}

/** Positive control: the declared identity and key, then GET /.well-known/core over the secured association. */
export function observeDeclaredPsk(ctx: CheckContext, service: Service, psk: PresharedKey): Promise<PskHandshakeSeen> {
  return observe(ctx, service, `positive control: declared identity "${psk.identity}"`, psk.identity, keyBytes(psk), DISCOVERY_PATH);
}

async function observe(ctx: CheckContext, service: Service, role: string, identity: string, key: Buffer, path: string): Promise<PskHandshakeSeen> {
  await ctx.net.authAttempt(ctx.signal);
  const result = await probeDtlsPsk(ctx.net, { host: ctx.profile.target.address, port: service.port, timeoutMs: ctx.policy.budgets.replyTimeoutMs, signal: ctx.signal, identity, key, path });
  const seq = ctx.evidence.record({
    kind: 'observation',
    summary: `DTLS-PSK handshake, ${role} → ${describePskResult(result)}`,
    target: ctx.target,
    // The transcript reads flight by flight: what went out, then → what came back.
    sent: `DTLS 1.2 PSK handshake as "${identity}"${path ? `, then CoAP GET ${path}` : ''}`,
    received: result.transcript.join('\n') || null,
    data: {
      role,
      identity,
      outcome: result.outcome,
      ...(result.outcome === 'error' ? { failure: result.failure } : { suite: result.suite, identityHint: result.identityHint }),
      ...(result.outcome === 'refused' ? { stage: result.stage, alert: result.alert } : {}),
      ...(result.outcome === 'completed' ? { reply: result.reply } : {}),
      datagrams: result.datagrams,
    },
  }).seq;
  return { result, seq };
}

/** A handshake outcome as reasons and transcripts quote it. */
export function describePskResult(result: DtlsPskResult): string {
  if (result.outcome === 'error') return `no handshake: ${result.detail}`;
  if (result.outcome === 'refused') return `refused (${result.detail})`;
  if (result.outcome === 'went-past-unverified-finished') return `${result.suite} agreed, then the server ${result.detail}`;
  const reply = result.reply;
  const got = reply === null ? '' : 'code' in reply ? `; GET ${DISCOVERY_PATH} → ${reply.code} (${reply.bytes} bytes)` : `; ${reply.detail}`;
  return `handshake completed with ${result.suite}${got}`;
}

/** A random key that got through: S1.1-01 judges it; S1.1-02 and S1.1-04 cannot stand on the key. */
export function doesNotCheckKeys(service: Service, result: DtlsPskResult, seq: number): string {
  const what = result.outcome === 'completed' ? 'completed a DTLS-PSK handshake with a random key' : 'went on past the Finished of a handshake with a random key';
  return `${service.name} ${what} (evidence #${seq}): it does not check keys, an S1.1-01 finding`;
}
