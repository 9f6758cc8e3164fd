import { Client, type ServerHostKeyAlgorithm } from 'ssh2';
import type { GuardedNetwork } from '../../net/network.js';
import { classifyNetError, type NetFailure } from '../../net/errors.js';
import { elapsed } from '../auth-observation.js';

export interface SshHostKeyProbe {
  host: string;
  port: number;
  /** Host key algorithms to ask for, one connection each: usually the server's KEXINIT list. */
  algorithms: string[];
  signal: AbortSignal;
  timeoutMs: number;
}

export type HostKeyObservation =
  | { algorithm: string; outcome: 'observed'; keyType: string; bits: number; curve: string | null; latencyMs: number }
  | { algorithm: string; outcome: 'error'; failure: NetFailure; detail: string; latencyMs: number };

/**
 * The size of each host key a server offers: one SSH connection per host key algorithm, forcing that
 * algorithm, stopping at host key verification (the key blob, RFC 4253 §6.6) before any authentication.
 */
export async function probeSshHostKeySizes(net: GuardedNetwork, probe: SshHostKeyProbe): Promise<HostKeyObservation[]> {
  const observations: HostKeyObservation[] = [];
  for (const algorithm of probe.algorithms) observations.push(await observeHostKey(net, probe, algorithm));
  return observations;
}

async function observeHostKey(net: GuardedNetwork, probe: SshHostKeyProbe, algorithm: string): Promise<HostKeyObservation> {
  const started = process.hrtime.bigint();
  const failed = (failure: NetFailure, detail: string): HostKeyObservation => ({ algorithm, outcome: 'error', failure, detail, latencyMs: elapsed(started) });
  let socket;
  try {
    socket = await net.connectTcp(probe.host, probe.port, { signal: probe.signal, timeoutMs: probe.timeoutMs });
  } catch (err) {
    const e = classifyNetError(err);
    return failed(e.failure, e.message);
  }
  const client = new Client();
  return new Promise<HostKeyObservation>((resolve) => {
    let settled = false;
    const settle = (observation: HostKeyObservation) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      probe.signal.removeEventListener('abort', onAbort);
      client.end();
      socket.destroy();
      resolve(observation);
    };
    const onAbort = () => settle(failed('aborted', 'aborted'));
    const timer = setTimeout(() => settle(failed('timeout', `no ${algorithm} host key within ${probe.timeoutMs} ms`)), probe.timeoutMs);
    probe.signal.addEventListener('abort', onAbort, { once: true });
    client.on('error', (err: Error & { level?: string }) => {
      const e = classifyNetError(err);
      settle(failed(err.level === 'protocol' || err.level === 'handshake' ? 'protocol' : e.failure, err.message));
    });
    client.on('close', () => settle(failed('closed', `connection closed before the ${algorithm} host key arrived`)));
    try {
      client.connect({
        sock: socket,
        username: 'jcstar',
        ident: 'SSH-2.0-jcstar',
        readyTimeout: probe.timeoutMs,
        algorithms: { serverHostKey: [algorithm as ServerHostKeyAlgorithm] },
        hostVerifier: (key: Buffer) => {
          try {
            settle({ algorithm, outcome: 'observed', ...keySize(key), latencyMs: elapsed(started) });
          } catch (err) {
            settle(failed('protocol', (err as Error).message));
          }
          // Refusing the key ends the connection before anything is authenticated.
          return false;
        },
      });
    } catch (err) {
      // ssh2 throws synchronously for an algorithm it does not implement (certificates, sk-*, …).
      settle(failed('other', `cannot request ${algorithm}: ${(err as Error).message}`));
    }
  });
}

/** Type and size of an SSH public key blob (RFC 4253 §6.6, RFC 5656 §3.1, RFC 8709 §4). */
function keySize(blob: Buffer): { keyType: string; bits: number; curve: string | null } {
  let offset = 0;
  const field = (): Buffer => {
    if (offset + 4 > blob.length) throw new Error('host key blob truncated');
    const length = blob.readUInt32BE(offset);
    if (offset + 4 + length > blob.length) throw new Error('host key blob field overruns the blob');
    offset += 4 + length;
    return blob.subarray(offset - length, offset);
  };
  const keyType = field().toString('latin1');
  if (keyType === 'ssh-rsa') {
    field(); // public exponent
    return { keyType, bits: mpintBits(field()), curve: null };
  }
  if (keyType === 'ssh-dss') return { keyType, bits: mpintBits(field()), curve: null };
  if (keyType.startsWith('ecdsa-sha2-')) {
    const curve = field().toString('latin1');
    const bits = { nistp256: 256, nistp384: 384, nistp521: 521 }[curve];
    if (bits === undefined) throw new Error(`unknown ECDSA curve ${curve}`);
    return { keyType, bits, curve };
  }
  if (keyType === 'ssh-ed25519') return { keyType, bits: 256, curve: 'ed25519' };
  if (keyType === 'ssh-ed448') return { keyType, bits: 456, curve: 'ed448' };
  throw new Error(`unknown host key type ${keyType}`);
}

function mpintBits(mpint: Buffer): number {
  const first = mpint.findIndex((b) => b !== 0);
  return first === -1 ? 0 : (mpint.length - first - 1) * 8 + (32 - Math.clz32(mpint[first]!));
}
