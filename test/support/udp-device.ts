import { execFile, execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { PortState, UdpScanResult } from '../../harness/inventory/types.js';
import { packageRoot } from '../../harness/paths.js';
import type { UdpScanSettings } from '../../harness/probes/udp/settings.js';
import { startChronyd } from './chrony.js';
import { startCoapServer } from './coap-server.js';
import { superviseDaemon, type Daemon } from './daemons.js';
import { startDnsmasq } from './dnsmasq.js';
import { createNetworkNamespace, type NetworkNamespace } from './netns.js';
import { nmapUdpStates } from './nmap.js';
import { startSnmpd } from './snmpd.js';

const run = promisify(execFile);

/** Debian daemons the UDP device runs, for requireBinaries. */
export const UDP_DEVICE_BINARIES = { 'coap-server-openssl': 'libcoap3-bin', openssl: 'openssl', snmpd: 'snmpd', dnsmasq: 'dnsmasq-base', chronyd: 'chrony', ip: 'iproute2', nmap: 'nmap', sh: 'dash' } as const;

/** The ports with no listener: the kernel answers ICMP port unreachable. */
const CLOSED = [5351, 9998];
/** A bound socket that never answers. */
const SILENT = 9999;
/** In-process services, by the fake's name. */
const FAKES: Record<number, string> = { 1900: 'ssdp', 3702: 'ws-discovery', 5060: 'sip', 5353: 'mdns', 5540: 'matter', [SILENT]: 'silent' };

export interface UdpDevice {
  netns: string;
  host: string;
  /** Every probed port with the payload jcstar sends it: the table's ports, plus the empty-datagram ones. */
  probes: UdpScanSettings['probes'];
  /** What answers on each probed port, as a fact of the fixture: open, closed or open|filtered (silent). */
  expected: Record<number, PortState>;
  stop(): Promise<void>;
}

/**
 * A device of UDP services in a network namespace of its own, at the ports a real device uses: libcoap
 * (CoAP 5683, DTLS 5684), snmpd (161, no community), dnsmasq (DNS 53, TFTP 69), chrony (NTP 123), in-process
 * SSDP, WS-Discovery, SIP, mDNS and Matter, a silent port, and closed ones. ICMP rate limiting is off in the
 * namespace, so that every closed port is reported as one. Needs root.
 */
export async function startUdpDevice(probes: UdpScanSettings['probes']): Promise<UdpDevice> {
  const host = '127.0.0.1';
  const ns: NetworkNamespace = createNetworkNamespace('udp');
  const daemons: Daemon[] = [];
  const stop = async () => {
    await Promise.all(daemons.map((d) => d.stop()));
    ns.remove();
  };
  try {
    execFileSync('ip', ['netns', 'exec', ns.name, 'sh', '-c', 'echo 0 > /proc/sys/net/ipv4/icmp_ratelimit']);
    daemons.push(await startCoapServer({ host, security: 'pki', netns: ns.name, port: 5683 }));
    daemons.push(await startSnmpd({ host, placement: { netns: ns.name, port: 161 } }));
    daemons.push(await startDnsmasq({ host, port: 53, tftp: true, netns: ns.name }));
    daemons.push(await startChronyd({ host, port: 123, netns: ns.name }));
    daemons.push(await startFakes(ns.name, Object.entries(FAKES).map(([port, name]) => `${name}=${port}`)));
  } catch (err) {
    await stop();
    throw err;
  }
  const expected: Record<number, PortState> = {};
  for (const { port } of probes) expected[port] = CLOSED.includes(port) ? 'closed' : port === SILENT ? 'open|filtered' : 'open';
  return { netns: ns.name, host, probes, expected, stop };
}

/** The extra ports the device adds to the payload table's, with an empty datagram: one closed, one silent. */
export const UDP_DEVICE_EXTRA_PORTS = [9998, SILENT];

async function startFakes(netns: string, specs: string[]): Promise<Daemon> {
  const child = spawn('ip', ['netns', 'exec', netns, process.execPath, join(packageRoot, 'dist', 'test', 'support', 'udp-fake-device.js'), ...specs], { stdio: ['pipe', 'pipe', 'pipe'] });
  const daemon = superviseDaemon(child);
  const ready = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), 5000);
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) {
        clearTimeout(timer);
        resolve(true);
      }
    });
    child.once('exit', () => resolve(false));
  });
  if (!ready) {
    await daemon.stop();
    throw new Error(`the UDP fakes did not start in ${netns} within 5 s: ${daemon.log()}`);
  }
  return daemon;
}

/** jcstar's scanUdpPorts inside the device's namespace, in a child process, with the given patience. */
export async function jcstarUdpScan(device: UdpDevice, patience: { retries: number; timeoutMs: number; minTimeoutMs: number }): Promise<UdpScanResult> {
  const settings: UdpScanSettings = { probes: device.probes, ...patience, concurrency: 16 };
  const script = join(packageRoot, 'dist', 'test', 'support', 'udp-scan-child.js');
  const { stdout } = await run('ip', ['netns', 'exec', device.netns, process.execPath, script, device.host, JSON.stringify(settings)], { timeout: 60000 });
  return JSON.parse(stdout) as UdpScanResult;
}

/** `nmap -sU -n -Pn` on the probed ports inside the device's namespace: each port's state and reason, from its XML. */
export async function nmapUdpScan(device: UdpDevice, extraArgs: string[] = []): Promise<Map<number, { state: string; reason: string }>> {
  return nmapUdpStates(device.netns, device.host, device.probes.map((p) => p.port), extraArgs);
}
