import type { GuardedNetwork } from '../../net/network.js';
import { classifyNetError } from '../../net/errors.js';

export interface PortObservation {
  port: number;
  state: 'open' | 'closed' | 'filtered';
  /** First bytes the service volunteered after connecting (printable excerpt), if any. */
  banner: string | null;
  detail: string;
}

export interface PortScanOptions {
  concurrency: number;
  timeoutMs: number;
  bannerWaitMs: number;
  signal: AbortSignal;
}

function printable(buf: Buffer): string {
  return buf.toString('latin1').replace(/[^\x20-\x7e\r\n\t]/g, '.').trim().slice(0, 200);
}

/** TCP connect scan: open (handshake completed), closed (refused) or filtered (no answer in time). */
export async function scanTcpPorts(net: GuardedNetwork, host: string, ports: number[], options: PortScanOptions): Promise<PortObservation[]> {
  const results: PortObservation[] = [];
  const queue = [...new Set(ports)].sort((a, b) => a - b);
  const worker = async () => {
    for (let port = queue.shift(); port !== undefined; port = queue.shift()) {
      options.signal.throwIfAborted();
      results.push(await probePort(net, host, port, options));
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, queue.length) }, worker));
  return results.sort((a, b) => a.port - b.port);
}

async function probePort(net: GuardedNetwork, host: string, port: number, options: PortScanOptions): Promise<PortObservation> {
  try {
    const socket = await net.connectTcp(host, port, { signal: options.signal, timeoutMs: options.timeoutMs });
    const banner = await new Promise<Buffer | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), options.bannerWaitMs);
      socket.once('data', (chunk: Buffer) => {
        clearTimeout(timer);
        resolve(chunk);
      });
      socket.once('close', () => {
        clearTimeout(timer);
        resolve(null);
      });
    });
    socket.destroy();
    return { port, state: 'open', banner: banner ? printable(banner) : null, detail: 'TCP handshake completed' };
  } catch (err) {
    const e = classifyNetError(err);
    if (e.failure === 'aborted') throw err;
    return { port, state: e.failure === 'refused' || e.failure === 'reset' ? 'closed' : 'filtered', banner: null, detail: e.message };
  }
}
