import type { RemoteInfo, Socket as UdpSocket } from 'node:dgram';
import { Agent, type CoapRequestParams, type IncomingMessage } from 'coap';
import type { GuardedNetwork } from '../../net/network.js';
import { elapsed } from '../auth-observation.js';
import { parseLinkFormat, type CoreLink } from './link-format.js';

export interface CoapDiscoveryProbe {
  host: string;
  port: number;
  signal: AbortSignal;
  /** Per request: past it the resource counts as not answering (UDP has no connection to fail). */
  timeoutMs: number;
  /** Listed resources fetched, at most. */
  maxResources: number;
  /** Paths to fetch whether or not the device lists them. */
  paths?: string[];
}

export const DISCOVERY_PATH = '/.well-known/core';
const EXCERPT = 128;
/** Retransmissions of a confirmable GET before our own timeout ends the wait (RFC 7252 §4.2 backoff). */
const RETRANSMITS = 2;
/** Requests in a row without an answer after which the rest are skipped: the device stopped answering. */
const MAX_SILENT = 3;
/**
 * Bytes heard from the device over one probe. node-coap follows Block2 transfers and joins the blocks in
 * memory, so a device that serves a resource without end would grow jcstar's memory; past this the
 * socket stops listening and what is pending counts as unanswered.
 */
const RECEIVED_LIMIT = 256 * 1024;
/** Of a reply's payload, kept for link-format parsing and the checks. */
const PAYLOAD_LIMIT = 64 * 1024;

/** What the device-only socket has heard. */
interface Heard {
  bytes: number;
}

function overLimit(heard: Heard): string | null {
  return heard.bytes > RECEIVED_LIMIT ? `the device sent more than ${RECEIVED_LIMIT} bytes in this probe; jcstar stopped listening` : null;
}

export type CoapReply =
  | { outcome: 'answered'; code: string; contentFormat: string | null; bytes: number; excerpt: string; payload: string }
  | { outcome: 'no-answer' | 'aborted'; detail: string };

export interface CoapResourceReply {
  path: string;
  reply: CoapReply;
  sent: string;
  received: string;
  latencyMs: number;
}

export interface CoapDiscovery {
  discovery: CoapResourceReply;
  links: CoreLink[];
  /** Every resource fetched besides discovery: the listed ones (bounded), then `paths`. */
  resources: CoapResourceReply[];
  /** Targets not fetched: on another host, past maxResources, or after the device stopped answering. */
  skipped: string[];
}

function describeReply(reply: CoapReply): string {
  if (reply.outcome !== 'answered') return reply.detail;
  return [`${reply.code}${reply.contentFormat ? ` Content-Format: ${reply.contentFormat}` : ''}`, reply.excerpt].filter(Boolean).join('\n');
}

function formatOf(res: IncomingMessage): string | null {
  const value = res.headers['Content-Format'];
  return value === undefined || value === null ? null : String(value);
}

function get(agent: Agent, probe: CoapDiscoveryProbe, target: URL, heard: Heard): Promise<CoapResourceReply> {
  const started = process.hrtime.bigint();
  const path = `${target.pathname}${target.search}`;
  const sent = `CON GET coap://${probe.host}:${probe.port}${path}`;
  const params: CoapRequestParams = {
    host: probe.host,
    port: probe.port,
    pathname: target.pathname,
    ...(target.search ? { query: target.search.slice(1) } : {}),
    method: 'GET',
    confirmable: true,
    retrySend: RETRANSMITS,
  };
  return new Promise((resolve) => {
    // The agent sends on the guarded socket it was built with.
    const req = agent.request(params);
    let settled = false;
    const settle = (reply: CoapReply, pending: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      probe.signal.removeEventListener('abort', onAbort);
      // Stops node-coap's retransmission timers, which would otherwise send on a socket we close.
      if (pending) agent.abort(req);
      resolve({ path, reply, sent, received: describeReply(reply), latencyMs: elapsed(started) });
    };
    const onAbort = () => settle({ outcome: 'aborted', detail: 'aborted' }, true);
    const timer = setTimeout(() => settle({ outcome: 'no-answer', detail: overLimit(heard) ?? `no CoAP answer within ${probe.timeoutMs} ms` }, true), probe.timeoutMs);
    probe.signal.addEventListener('abort', onAbort, { once: true });
    req.on('response', (res: IncomingMessage) => {
      const payload = res.payload.subarray(0, PAYLOAD_LIMIT).toString('utf8');
      const excerpt = payload.length > EXCERPT ? `${payload.slice(0, EXCERPT)}…` : payload;
      settle({ outcome: 'answered', code: res.code, contentFormat: formatOf(res), bytes: res.payload.length, excerpt, payload }, false);
    });
    req.on('error', (err: Error) => settle({ outcome: 'no-answer', detail: err.message }, true));
    req.end();
  });
}

/**
 * A UDP socket from the guarded network that hears the device only. node-coap answers any stray
 * datagram with a RST; to a sender outside the scope the guard would refuse that send by throwing
 * inside node-coap's event handler, so strays are dropped before node-coap sees them.
 */
function deviceOnlySocket(net: GuardedNetwork, host: string, heard: Heard): UdpSocket {
  const socket = net.udpSocket(host.includes(':') ? 'udp6' : 'udp4');
  const emit = socket.emit.bind(socket) as (event: string, ...args: unknown[]) => boolean;
  socket.emit = ((event: string, ...args: unknown[]) => {
    if (event !== 'message') return emit(event, ...args);
    if ((args[1] as RemoteInfo | undefined)?.address !== host) return false;
    heard.bytes += (args[0] as Buffer).length;
    return overLimit(heard) ? false : emit(event, ...args);
  }) as UdpSocket['emit'];
  return socket;
}

/**
 * GET /.well-known/core without credentials, then each resource it lists on the same host (at most
 * `maxResources`) and each extra path, one at a time (RFC 7252 NSTART = 1).
 */
export async function probeCoapResources(net: GuardedNetwork, probe: CoapDiscoveryProbe): Promise<CoapDiscovery> {
  const heard: Heard = { bytes: 0 };
  const socket = deviceOnlySocket(net, probe.host, heard);
  const agent = new Agent({ socket });
  agent.on('error', () => {});
  const base = new URL(`coap://${probe.host.includes(':') ? `[${probe.host}]` : probe.host}:${probe.port}${DISCOVERY_PATH}`);
  try {
    const discovery = await get(agent, probe, base, heard);
    const links = discovery.reply.outcome === 'answered' && discovery.reply.code.startsWith('2.') ? parseLinkFormat(discovery.reply.payload) : [];
    const targets: URL[] = [];
    const skipped: string[] = [];
    const seen = new Set([DISCOVERY_PATH]);
    for (const link of links) {
      let url: URL;
      try {
        url = new URL(link.target, base);
      } catch {
        skipped.push(link.target);
        continue;
      }
      const key = `${url.pathname}${url.search}`;
      if (url.protocol !== 'coap:' || url.host !== base.host || targets.length >= probe.maxResources) skipped.push(link.target);
      else if (!seen.has(key)) targets.push(url);
      seen.add(key);
    }
    // Declared paths are fetched even when the device lists them past maxResources.
    const queued = new Set(targets.map((t) => `${t.pathname}${t.search}`));
    for (const path of probe.paths ?? []) {
      if (path === DISCOVERY_PATH || queued.has(path)) continue;
      targets.push(new URL(path, base));
      queued.add(path);
      const at = skipped.indexOf(path);
      if (at !== -1) skipped.splice(at, 1);
    }
    const resources: CoapResourceReply[] = [];
    let silent = 0;
    for (const target of targets) {
      if (probe.signal.aborted) break;
      if (silent >= MAX_SILENT) {
        skipped.push(`${target.pathname}${target.search}`);
        continue;
      }
      const fetched = await get(agent, probe, target, heard);
      silent = fetched.reply.outcome === 'answered' ? 0 : silent + 1;
      resources.push(fetched);
    }
    return { discovery, links, resources, skipped };
  } finally {
    socket.close();
  }
}
