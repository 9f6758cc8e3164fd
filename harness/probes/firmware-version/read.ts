import { classifyNetError } from '../../net/errors.js';
import type { VersionReadSpec } from '../../profile/update-schema.js';
import type { CheckContext } from '../../suite/context.js';
import type { VersionReading } from '../../update/types.js';
import type { ChannelRead, ChannelTarget } from './channel.js';
import { readOverCoap } from './coap.js';
import { extractVersion, type VersionExtraction } from './extract.js';
import { readOverHttp } from './http.js';
import { readOverMqtt } from './mqtt.js';
import { readOverSnmp } from './snmp.js';
import { readOverSsh } from './ssh.js';

/** The protocols each channel speaks, so that a read never goes over a service of another kind. */
const CHANNEL_PROTOCOLS = {
  http: ['http', 'https'],
  ssh: ['ssh'],
  snmp: ['snmp'],
  mqtt: ['mqtt', 'mqtts'],
  coap: ['coap', 'coaps'],
} as const;

type Channel = keyof typeof CHANNEL_PROTOCOLS;

function channelOf(spec: VersionReadSpec): { channel: Channel; service: string; extraction: VersionExtraction; read: (target: ChannelTarget) => Promise<ChannelRead> } {
  if ('http' in spec) return { channel: 'http', service: spec.http.service, extraction: spec.http, read: (t) => readOverHttp(t, spec.http.path) };
  if ('ssh' in spec) return { channel: 'ssh', service: spec.ssh.service, extraction: spec.ssh, read: (t) => readOverSsh(t, spec.ssh.command) };
  if ('snmp' in spec) return { channel: 'snmp', service: spec.snmp.service, extraction: spec.snmp, read: (t) => readOverSnmp(t, spec.snmp.oid) };
  if ('mqtt' in spec) return { channel: 'mqtt', service: spec.mqtt.service, extraction: spec.mqtt, read: (t) => readOverMqtt(t, spec.mqtt.topic) };
  return { channel: 'coap', service: spec.coap.service, extraction: spec.coap, read: (t) => readOverCoap(t, spec.coap.resource) };
}

function describeExtraction({ jsonPointer, pattern }: VersionExtraction): string {
  return [jsonPointer ?? '', pattern ? `~ /${pattern}/` : ''].filter(Boolean).join(' ');
}

/**
 * Reads the firmware version the device runs, as the profile's `update.version` says, over the declared
 * service with its declared credential. Records one evidence item (kind exchange) with the version read
 * or why none was; never throws. Checks judge the reading: a probe only reports it.
 */
export async function readFirmwareVersion(ctx: CheckContext, spec: VersionReadSpec): Promise<VersionReading> {
  const { channel, service: name, extraction, read } = channelOf(spec);
  const how = describeExtraction(extraction);
  const at = new Date().toISOString();
  const service = ctx.profile.services.find((s) => s.name === name);
  const accepted: readonly string[] = CHANNEL_PROTOCOLS[channel];
  if (!service || !accepted.includes(service.protocol)) {
    const reason = service
      ? `update.version reads over ${channel}, but service ${name} is ${service.protocol}`
      : `update.version names service ${name}, which the profile does not declare`;
    const method = `${channel} on ${name}`;
    ctx.evidence.record({ kind: 'note', summary: `Firmware version not read: ${reason}`, target: ctx.target, data: { channel, service: name, ok: false, reason } });
    return { ok: false, reason, method, at };
  }
  const credential = service.credential ? (ctx.profile.credentials[service.credential] ?? null) : null;
  const host = ctx.profile.target.address;
  let got: ChannelRead;
  try {
    got = await read({ ctx, host, service, credential });
  } catch (err) {
    // The channels report their own failures; this is a wait for the rate limit cut short by the check's end.
    got = { method: `${channel} on ${name}`, answer: { reason: classifyNetError(err).message }, sent: '', received: '' };
  }
  const method = how ? `${got.method} ${how}` : got.method;
  const extracted = 'reason' in got.answer ? { ok: false as const, reason: got.answer.reason } : extractVersion(got.answer.text, extraction);
  const truncated = 'truncated' in got.answer && got.answer.truncated;
  const data = { channel, service: name, method, ok: extracted.ok, ...(extracted.ok ? { version: extracted.version } : { reason: extracted.reason }), truncated, ...got.data };
  ctx.evidence.record({
    kind: 'exchange',
    summary: `Firmware version over ${channel} (${method}) → ${extracted.ok ? `"${extracted.version}"` : `not read: ${extracted.reason}`}${truncated ? ' (answer cut at 64 KiB)' : ''}`,
    target: { host, port: service.port, protocol: service.protocol, transport: service.transport },
    sent: got.sent || null,
    received: got.received || null,
    data,
  });
  return extracted.ok ? { ok: true, version: extracted.version, method, at } : { ok: false, reason: extracted.reason, method, at };
}
