import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import type { TcpScanResult } from '../../harness/inventory/types.js';
import { packageRoot } from '../../harness/paths.js';
import { superviseDaemon, type Daemon } from './daemons.js';
import { nmapOpenTcp } from './nmap.js';
import { createNetworkNamespace, type NetworkNamespace } from './netns.js';

const run = promisify(execFile);
const SUPPORT = join(packageRoot, 'dist', 'test', 'support');

/** A network namespace whose 127.0.0.1 listens on exactly the given TCP ports (needs root). */
export interface TcpScanTarget {
  netns: NetworkNamespace;
  host: string;
  ports: number[];
  stop(): Promise<void>;
}

export async function startTcpScanTarget(name: string, ports: number[]): Promise<TcpScanTarget> {
  const host = '127.0.0.1';
  const netns = createNetworkNamespace(name);
  let listeners: Daemon | null = null;
  const stop = async () => {
    await listeners?.stop();
    netns.remove();
  };
  try {
    const child = spawn('ip', ['netns', 'exec', netns.name, process.execPath, join(SUPPORT, 'listen-ports.js'), host, ...ports.map(String)], { stdio: ['ignore', 'pipe', 'pipe'] });
    listeners = superviseDaemon(child);
    for (let i = 0; i < 100 && !listeners.log().includes('ready'); i++) {
      if (child.exitCode !== null) break;
      await sleep(50);
    }
    if (!listeners.log().includes('ready')) throw new Error(`listeners did not start in ${netns.name}: ${listeners.log()}`);
  } catch (err) {
    await stop();
    throw err;
  }
  return { netns, host, ports, stop };
}

export interface TimedScan<T> {
  result: T;
  /** Wall time of the scanning process, start-up included. */
  wallMs: number;
}

/** `nmap -sT -p- -T4 -n -Pn` inside the target's namespace: the open TCP ports it reports. */
export async function nmapConnectScan(target: TcpScanTarget): Promise<TimedScan<number[]>> {
  const started = performance.now();
  const result = await nmapOpenTcp(target.netns.name, target.host);
  return { result, wallMs: performance.now() - started };
}

/** jcstar's full TCP scan at a policy speed, in its own node process inside the target's namespace. */
export async function jcstarTcpScan(target: TcpScanTarget, speed: 'gentle' | 'fast'): Promise<TimedScan<TcpScanResult>> {
  const started = performance.now();
  const { stdout } = await run('ip', ['netns', 'exec', target.netns.name, process.execPath, join(SUPPORT, 'scan-tcp-cli.js'), target.host, speed], { maxBuffer: 16 * 1024 * 1024, timeout: 10 * 60_000 });
  return { result: JSON.parse(stdout) as TcpScanResult, wallMs: performance.now() - started };
}
