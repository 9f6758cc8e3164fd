import type { Duplex } from 'node:stream';
import type { ServiceIdentity } from '../../inventory/types.js';
import type { GuardedNetwork } from '../../net/network.js';
import type { Protocol } from '../../profile/schema.js';
import { classifyNetError } from '../../net/errors.js';
import { PROBE_ORDER, PROBE_ORDER_IN_TLS, RECOGNISERS, recogniserFor } from './catalogue.js';
import { converse, type Reply } from './conversation.js';
import { firstLine, printable } from './excerpt.js';
import { hintedService } from './port-hints.js';
import type { Layer, PortSession, Probe, Recogniser } from './recogniser.js';

/** Exchanges kept per identity: enough to show what recognised it, bounded against a chatty device. */
const MAX_EXCHANGES = 16;
/**
 * How long a port hinted to a client-first protocol (or a TLS session) gets to speak first. Servers that
 * greet do so as they accept; this short wait still catches an SSH or Telnet on an HTTP port before
 * jcstar sends to it.
 */
const SHORT_BANNER_WAIT_MS = 250;

/** A banner is in once a line ends, Telnet negotiation starts, or it is longer than any greeting. */
function bannerComplete(bytes: Buffer): boolean {
  return bytes.includes(0x0a) || (bytes[0] === 0xff && bytes.length >= 3) || bytes.length >= 1024;
}

class Session implements PortSession {
  constructor(
    readonly net: GuardedNetwork,
    readonly host: string,
    readonly port: number,
    readonly signal: AbortSignal,
    readonly replyTimeoutMs: number,
    readonly layer: Layer,
    readonly identity: ServiceIdentity,
  ) {}

  record(probe: string, sent: Buffer | string, received: Buffer | string): void {
    if (this.identity.exchanges.length >= MAX_EXCHANGES) return;
    this.identity.exchanges.push({ probe: this.layer.tls ? `tls/${probe}` : probe, sent: printable(sent), received: printable(received) });
  }

  speaks(plain: Protocol | null, overTls: Protocol | null): void {
    this.identity.protocol = this.layer.tls ? overTls : plain;
  }

  /** `signal` may end the wait sooner than the port's (a probe of a wave another probe has settled). */
  async exchange(probe: Probe, open?: Duplex, signal = this.signal): Promise<Reply & { sent: Buffer }> {
    const sent = probe.payload(this);
    let stream = open;
    try {
      stream ??= await this.layer.open();
    } catch (err) {
      this.record(probe.name, sent, `(no connection: ${classifyNetError(err).message})`);
      return { bytes: Buffer.alloc(0), end: 'error', sent };
    }
    try {
      const reply = await converse(stream, sent, { complete: probe.complete, waitMs: this.replyTimeoutMs, signal });
      this.record(probe.name, sent, reply.bytes.length > 0 ? reply.bytes : `(nothing: ${reply.end})`);
      return { ...reply, sent };
    } finally {
      stream.destroy();
    }
  }

  async identifyWithin(layer: Layer): Promise<void> {
    await identifyOnLayer(new Session(this.net, this.host, this.port, this.signal, this.replyTimeoutMs, layer, this.identity));
  }
}

/** Names the reply's protocol and lets its recogniser describe the service; false when no recogniser knows it. */
async function recognise(s: Session, reply: Buffer, probe: string | null): Promise<boolean> {
  const recogniser = RECOGNISERS.find((r) => r.recognises(reply, probe));
  if (recogniser === undefined) return false;
  await recogniser.describe(reply, s, probe);
  return true;
}

type Answered = { recogniser: Recogniser & { probe: Probe }; reply: Reply & { sent: Buffer } };

function echoes(reply: Reply & { sent: Buffer }): boolean {
  return reply.bytes.subarray(0, reply.sent.length).equals(reply.sent.subarray(0, reply.bytes.length));
}

/**
 * Settles a set of probe replies: an answer to a probe in that probe's own protocol wins (in probe
 * order), then any reply another recogniser knows. False when none is known; the first reply is the banner.
 */
async function settle(s: Session, answered: Answered[]): Promise<boolean> {
  const useful = answered.filter(({ reply }) => reply.bytes.length > 0);
  if (useful.length === 0 && answered.every(({ reply }) => reply.end === 'closed')) s.identity.details['reply'] = 'closes every connection without a byte';
  const echoed = useful.filter(({ reply }) => echoes(reply));
  if (echoed.length > 0) s.identity.details['reply'] = 'echoes what it is sent';
  const spoken = useful.filter((a) => !echoed.includes(a));
  const own = spoken.find(({ recogniser, reply }) => recogniser.recognises(reply.bytes, recogniser.probe.name));
  if (own !== undefined) {
    await own.recogniser.describe(own.reply.bytes, s, own.recogniser.probe.name);
    return true;
  }
  for (const { recogniser, reply } of spoken) if (await recognise(s, reply.bytes, recogniser.probe.name)) return true;
  s.identity.banner ??= spoken[0] ? firstLine(spoken[0].reply.bytes) : null;
  return false;
}

function withProbe(r: Recogniser): r is Recogniser & { probe: Probe } {
  return r.probe !== undefined;
}

function probeOrder(s: Session): { hinted: (Recogniser & { probe: Probe }) | undefined; rest: Array<Recogniser & { probe: Probe }> } {
  const base = (s.layer.tls ? PROBE_ORDER_IN_TLS : PROBE_ORDER).filter(withProbe);
  const hint = recogniserFor(hintedService(s.port, s.layer.tls, s.identity.details['tls.alpn']) ?? '');
  const hinted = hint !== undefined && withProbe(hint) ? hint : undefined;
  return { hinted, rest: base.filter((r) => r !== hinted) };
}

/**
 * Listens first (server-first protocols greet unasked), then sends the hinted probe on that quiet
 * connection, then every other probe at once, each on a fresh connection: a service that answers only
 * its own protocol costs one reply, not a timeout per probe. Unrecognised replies stay in the
 * exchanges; the first line of one is the banner.
 */
async function identifyOnLayer(s: Session): Promise<void> {
  let stream: Duplex;
  try {
    stream = await s.layer.open();
  } catch (err) {
    // Inside TLS the layer has noted why the handshake failed.
    if (!s.layer.tls) s.identity.details['connect'] = printable(classifyNetError(err).message, 200);
    return;
  }
  try {
    // After the first open: inside TLS, the server's ALPN pick is the best hint.
    const { hinted, rest } = probeOrder(s);
    // Inside TLS the plain banner wait has passed already, and the one server-first protocol met there
    // (implicit FTPS) greets as the handshake ends.
    const waitMs = hinted !== undefined || s.layer.tls ? Math.min(SHORT_BANNER_WAIT_MS, s.replyTimeoutMs) : s.replyTimeoutMs;
    const banner = await converse(stream, null, { complete: bannerComplete, waitMs, signal: s.signal });
    if (banner.bytes.length > 0) {
      s.record('banner', '', banner.bytes);
      if (await recognise(s, banner.bytes, null)) return;
      s.identity.banner ??= firstLine(banner.bytes);
    }
    let reusable = banner.end === 'quiet' ? stream : undefined;
    if (hinted !== undefined && !s.signal.aborted) {
      const reply = await s.exchange(hinted.probe, reusable);
      reusable = undefined;
      if (await settle(s, [{ recogniser: hinted, reply }])) return;
    }
    if (s.signal.aborted) return;
    // The first answer in a probe's own protocol settles the wave: the others need not wait their timeout.
    const settled = new AbortController();
    const signal = AbortSignal.any([s.signal, settled.signal]);
    const answered = await Promise.all(rest.map(async (recogniser, i) => {
      const reply = await s.exchange(recogniser.probe, i === 0 ? reusable : undefined, signal);
      if (!echoes(reply) && recogniser.recognises(reply.bytes, recogniser.probe.name)) settled.abort();
      return { recogniser, reply };
    }));
    await settle(s, answered);
  } finally {
    stream.destroy();
  }
}

export function blankIdentity(port: number): ServiceIdentity {
  return { port, transport: 'tcp', service: 'unknown', tls: false, protocol: null, product: null, banner: null, auth: null, details: {}, exchanges: [], durationMs: 0 };
}

/** Identifies one open TCP port into `identity`, which holds what was learnt so far whenever `signal` aborts. */
export async function identifyPort(net: GuardedNetwork, host: string, port: number, replyTimeoutMs: number, signal: AbortSignal, identity: ServiceIdentity): Promise<void> {
  const plain: Layer = { tls: false, open: () => net.connectTcp(host, port, { signal, timeoutMs: replyTimeoutMs }) };
  await identifyOnLayer(new Session(net, host, port, signal, replyTimeoutMs, plain, identity));
}
