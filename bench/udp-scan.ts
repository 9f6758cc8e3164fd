/**
 * Time of the UDP inventory against nmap -sU on the same ports of the same device: the UDP device of the
 * oracle test (its own network namespace; libcoap, snmpd, dnsmasq, chrony, in-process fakes, closed and silent
 * ports), the payload table's 12 ports plus one closed and one silent port with an empty datagram. jcstar
 * runs at the default policy (1 retry, 1 s per try); nmap at its default timing and at -T4. Each tool runs
 * in a child process inside the namespace, so both walls include a process start. Prints the states too:
 * a time counts only with the states the oracle test accepts. Needs root and the device's Debian daemons.
 *
 *   npm run bench:udp-scan [-- --rounds 3]
 */
import { parseArgs } from 'node:util';
import { loadDefaultPolicy } from '../harness/policy/load.js';
import { udpScanSettings } from '../harness/probes/udp/settings.js';
import { UDP_DEVICE_EXTRA_PORTS, jcstarUdpScan, nmapUdpScan, startUdpDevice } from '../test/support/udp-device.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' } } });
const rounds = Math.max(1, Math.min(Number(values.rounds), 10));
const policy = loadDefaultPolicy();
const settings = udpScanSettings({ ...policy, udpScan: { ...policy.udpScan, ports: UDP_DEVICE_EXTRA_PORTS } });

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = process.hrtime.bigint();
  const value = await work();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, value };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const device = await startUdpDevice(settings.probes);
try {
  const times: Record<string, number[]> = { jcstar: [], 'nmap -sU': [], 'nmap -sU -T4': [] };
  let states = '';
  for (let round = 0; round < rounds; round++) {
    const jcstar = await timed(() => jcstarUdpScan(device, settings));
    const nmap = await timed(() => nmapUdpScan(device));
    const nmapT4 = await timed(() => nmapUdpScan(device, ['-T4']));
    times.jcstar!.push(jcstar.ms);
    times['nmap -sU']!.push(nmap.ms);
    times['nmap -sU -T4']!.push(nmapT4.ms);
    process.stdout.write(`round ${round + 1}: jcstar ${(jcstar.ms / 1000).toFixed(2)} s (scan ${(jcstar.value.durationMs / 1000).toFixed(2)} s), nmap -sU ${(nmap.ms / 1000).toFixed(2)} s, nmap -sU -T4 ${(nmapT4.ms / 1000).toFixed(2)} s\n`);
    states = jcstar.value.ports.map((p) => `${p.port}: jcstar ${p.state}${p.identity ? ` (${p.identity.service})` : ''}, nmap ${nmap.value.get(p.port)?.state ?? '-'}`).join('\n');
  }
  process.stdout.write(`\n${states}\n\n| tool | median of ${rounds} |\n|---|---|\n`);
  for (const [tool, ms] of Object.entries(times)) process.stdout.write(`| ${tool} | ${(median(ms) / 1000).toFixed(2)} s |\n`);
  process.stdout.write(`jcstar / nmap -sU: ${(median(times.jcstar!) / median(times['nmap -sU']!)).toFixed(2)}; jcstar / nmap -sU -T4: ${(median(times.jcstar!) / median(times['nmap -sU -T4']!)).toFixed(2)}\n`);
} finally {
  await device.stop();
}
