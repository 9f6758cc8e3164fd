import type { GuardedNetwork } from '../../net/network.js';
import { classifyNetError, type NetFailure } from '../../net/errors.js';
import { elapsed } from '../auth-observation.js';

export interface SshAlgorithmsProbe {
  host: string;
  port: number;
  signal: AbortSignal;
  timeoutMs: number;
}

/** The name-lists of the server's SSH_MSG_KEXINIT (RFC 4253 §7.1), in the server's order of preference. */
export interface SshAlgorithms {
  kex: string[];
  hostKey: string[];
  encryptionCtoS: string[];
  encryptionStoC: string[];
  macCtoS: string[];
  macStoC: string[];
  compressionCtoS: string[];
  compressionStoC: string[];
}

interface Transcript {
  /** The server's identification line without CR LF, once it was read. */
  banner: string | null;
  latencyMs: number;
  sent: string;
  received: string;
  /** The bytes the server sent, verbatim, up to the end of its KEXINIT (or what came before the error). */
  rawReceived: Buffer;
}

export type SshAlgorithmsObservation =
  | ({ outcome: 'observed'; banner: string; software: string | null } & SshAlgorithms & Omit<Transcript, 'banner'>)
  | ({ outcome: 'error'; failure: NetFailure; detail: string } & Transcript);

const CLIENT_IDENTIFICATION = 'SSH-2.0-jcstar';
const SSH_MSG_KEXINIT = 20;
/** RFC 4253 §6.1: implementations must accept packets of 35000 bytes in total; nothing larger is needed here. */
const MAX_PACKET = 35000;
/** RFC 4253 §4.2: the identification line, CR LF included, is at most 255 characters. */
const MAX_LINE = 255;
/** Lines a server may send before its identification; bounded so a chatty or hostile peer cannot keep us reading. */
const MAX_PREAMBLE = 8192;

type Parsed = { done: false } | { done: true; banner: string; preamble: string[]; algorithms: SshAlgorithms; consumed: number };

class ProtocolError extends Error {
  constructor(message: string, readonly banner: string | null = null) {
    super(message);
  }
}

/**
 * Reads the algorithms an SSH server offers, by hand: the identification exchange (RFC 4253 §4.2) and
 * the server's first binary packet, its unencrypted KEXINIT. No key exchange follows, so nothing
 * depends on a library supporting the server's (possibly obsolete) algorithms.
 */
export async function probeSshAlgorithms(net: GuardedNetwork, probe: SshAlgorithmsProbe): Promise<SshAlgorithmsObservation> {
  const started = process.hrtime.bigint();
  const deadline = Date.now() + probe.timeoutMs;
  let buffer = Buffer.alloc(0);
  let banner: string | null = null;
  const failed = (failure: NetFailure, detail: string, received: string[] = []): SshAlgorithmsObservation => ({
    outcome: 'error',
    failure,
    detail,
    banner,
    latencyMs: elapsed(started),
    sent: CLIENT_IDENTIFICATION,
    received: received.join('\n'),
    rawReceived: buffer.subarray(0, MAX_PREAMBLE + MAX_PACKET),
  });

  let socket;
  try {
    socket = await net.connectTcp(probe.host, probe.port, { signal: probe.signal, timeoutMs: probe.timeoutMs });
  } catch (err) {
    const e = classifyNetError(err);
    return failed(e.failure, e.message);
  }

  return new Promise<SshAlgorithmsObservation>((resolve) => {
    let settled = false;
    const settle = (observation: SshAlgorithmsObservation) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      probe.signal.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(observation);
    };
    const onAbort = () => settle(failed('aborted', 'aborted'));
    const timer = setTimeout(
      () => settle(failed('timeout', `no complete SSH identification and KEXINIT within ${probe.timeoutMs} ms`, banner ? [banner] : [])),
      Math.max(0, deadline - Date.now()),
    );
    if (probe.signal.aborted) return onAbort();
    probe.signal.addEventListener('abort', onAbort, { once: true });

    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      let parsed: Parsed;
      try {
        parsed = parseServerHello(buffer);
      } catch (err) {
        const e = err as ProtocolError;
        banner = e.banner;
        return settle(failed('protocol', e.message, banner ? [banner] : []));
      }
      if (!parsed.done) return;
      const { algorithms } = parsed;
      settle({
        outcome: 'observed',
        banner: parsed.banner,
        software: softwareOf(parsed.banner),
        ...algorithms,
        latencyMs: elapsed(started),
        sent: CLIENT_IDENTIFICATION,
        received: [
          ...parsed.preamble,
          parsed.banner,
          `KEXINIT kex=${algorithms.kex} hostkey=${algorithms.hostKey} enc=${algorithms.encryptionCtoS}|${algorithms.encryptionStoC} ` +
            `mac=${algorithms.macCtoS}|${algorithms.macStoC} compression=${algorithms.compressionCtoS}|${algorithms.compressionStoC}`,
        ].join('\n'),
        rawReceived: buffer.subarray(0, parsed.consumed),
      });
    });
    socket.on('error', (err) => {
      const e = classifyNetError(err);
      settle(failed(e.failure, e.message));
    });
    socket.on('close', () => settle(failed('closed', 'connection closed before the server sent its identification and KEXINIT')));
    socket.write(`${CLIENT_IDENTIFICATION}\r\n`);
  });
}

/** RFC 4253 §4.2: SSH-protoversion-softwareversion SP comments; null where the software part is empty. */
function softwareOf(banner: string): string | null {
  const software = banner.split(' ')[0]!.split('-').slice(2).join('-');
  return software === '' ? null : software;
}

function parseServerHello(buffer: Buffer): Parsed {
  const preamble: string[] = [];
  let offset = 0;
  for (;;) {
    const end = buffer.indexOf(0x0a, offset);
    const line = buffer.subarray(offset, end === -1 ? buffer.length : end + 1);
    if (isBinary(line) || line.length > (line.subarray(0, 4).toString('latin1') === 'SSH-' ? MAX_LINE : MAX_PREAMBLE)) {
      throw new ProtocolError(`not an SSH identification: first bytes ${hexPreview(buffer)}`);
    }
    if (end === -1) {
      if (offset > MAX_PREAMBLE) throw new ProtocolError(`no SSH identification within ${MAX_PREAMBLE} bytes`);
      return { done: false };
    }
    const text = line.toString('utf8').replace(/\r?\n$/, '');
    offset = end + 1;
    if (text.startsWith('SSH-')) return parsePacket(buffer, offset, text, preamble);
    preamble.push(text);
    if (offset > MAX_PREAMBLE) throw new ProtocolError(`no SSH identification within ${MAX_PREAMBLE} bytes`);
  }
}

/** Control characters other than tab, CR and LF, or bytes that are not UTF-8, mean this is no text line. */
function isBinary(line: Buffer): boolean {
  if (/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(line.toString('latin1'))) return true;
  try {
    // Streaming leaves a character cut off at the end of an unfinished line for the next chunk to complete.
    new TextDecoder('utf-8', { fatal: true }).decode(line, { stream: line.at(-1) !== 0x0a });
    return false;
  } catch {
    return true;
  }
}

function parsePacket(buffer: Buffer, start: number, banner: string, preamble: string[]): Parsed {
  if (!/^SSH-(2\.0|1\.99)-/.test(banner)) throw new ProtocolError(`server does not offer SSH protocol 2: ${banner}`, banner);
  if (buffer.length < start + 5) return { done: false };
  const packetLength = buffer.readUInt32BE(start);
  const paddingLength = buffer[start + 4]!;
  if (packetLength + 4 > MAX_PACKET || paddingLength + 1 >= packetLength) {
    throw new ProtocolError(`implausible first packet (packet_length ${packetLength}, padding_length ${paddingLength})`, banner);
  }
  if (buffer.length < start + 4 + packetLength) return { done: false };
  const payload = buffer.subarray(start + 5, start + 4 + packetLength - paddingLength);
  if (payload[0] !== SSH_MSG_KEXINIT) throw new ProtocolError(`first packet is message ${payload[0]}, not KEXINIT (20)`, banner);
  return { done: true, banner, preamble, algorithms: parseKexinit(payload, banner), consumed: start + 4 + packetLength };
}

function parseKexinit(payload: Buffer, banner: string): SshAlgorithms {
  let offset = 1 + 16; // message number, cookie
  const nameList = (): string[] => {
    if (offset + 4 > payload.length) throw new ProtocolError('KEXINIT truncated', banner);
    const length = payload.readUInt32BE(offset);
    offset += 4;
    if (offset + length > payload.length) throw new ProtocolError('KEXINIT name-list overruns the packet', banner);
    const text = payload.subarray(offset, offset + length).toString('latin1');
    offset += length;
    if (/[^\x21-\x7e]/.test(text)) throw new ProtocolError('KEXINIT name-list is not printable ASCII', banner);
    return text === '' ? [] : text.split(',');
  };
  return {
    kex: nameList(),
    hostKey: nameList(),
    encryptionCtoS: nameList(),
    encryptionStoC: nameList(),
    macCtoS: nameList(),
    macStoC: nameList(),
    compressionCtoS: nameList(),
    compressionStoC: nameList(),
  };
}

function hexPreview(buffer: Buffer): string {
  return buffer.subarray(0, 32).toString('hex').replace(/(..)/g, '$1 ').trim() + (buffer.length > 32 ? ' …' : '');
}
