/**
 * Full TCP scan time: `nmap -sT -p- -T4 -n -Pn` against jcstar's scan at the fast and at the default gentle
 * speed, on the same target: a network namespace whose 127.0.0.1 listens on a handful of scattered ports.
 * Each tool runs as its own process inside the namespace, and its wall time (start-up included) counts;
 * jcstar's own scan time (durationMs) is printed too. A time counts only when the open set equals nmap's.
 * Rounds alternate the tools, so that a busy moment of the machine does not fall on one tool only; the
 * median of the rounds is compared. Needs root and Debian nmap.
 *
 *   npm run bench:tcp-scan [-- --rounds 5 --no-gentle]
 */
import { parseArgs } from 'node:util';
import { jcstarTcpScan, nmapConnectScan, startTcpScanTarget } from '../test/support/tcp-scan-target.js';

const LISTENING = [2, 22, 80, 5683, 31337, 65535];
const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' }, 'no-gentle': { type: 'boolean', default: false } } });
const rounds = Math.max(1, Math.min(Number(values.rounds), 20));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const same = (a: number[], b: number[]) => a.length === b.length && a.every((p, i) => p === b[i]);

const target = await startTcpScanTarget('bench', LISTENING);
try {
  const nmapMs: number[] = [];
  const fastMs: number[] = [];
  const fastScanMs: number[] = [];
  let allMatch = true;
  for (let round = 1; round <= rounds; round++) {
    const nmap = await nmapConnectScan(target);
    const fast = await jcstarTcpScan(target, 'fast');
    const match = same(fast.result.open, nmap.result) && same(nmap.result, LISTENING);
    allMatch &&= match;
    nmapMs.push(nmap.wallMs);
    fastMs.push(fast.wallMs);
    fastScanMs.push(fast.result.durationMs);
    console.log(`round ${round}: nmap ${seconds(nmap.wallMs)}, jcstar fast ${seconds(fast.wallMs)} (scan ${seconds(fast.result.durationMs)}, ${fast.result.attempts} attempts), open sets ${match ? 'match' : `DIFFER: nmap ${nmap.result}, jcstar ${fast.result.open}`}`);
  }
  console.log(`\nmedian of ${rounds}: nmap -sT -p- -T4 ${seconds(median(nmapMs))}; jcstar fast ${seconds(median(fastMs))} (scan ${seconds(median(fastScanMs))})`);
  console.log(`ratio jcstar fast / nmap: ${(median(fastMs) / median(nmapMs)).toFixed(2)} (goal ≤ 1.2)`);
  // nmap has two speeds on loopback: when one probe times out on a busy machine it sees a drop and slows down.
  console.log(`fastest round of each: nmap ${seconds(Math.min(...nmapMs))}, jcstar fast ${seconds(Math.min(...fastMs))}, ratio ${(Math.min(...fastMs) / Math.min(...nmapMs)).toFixed(2)}`);
  if (!values['no-gentle']) {
    const gentle = await jcstarTcpScan(target, 'gentle');
    const match = same(gentle.result.open, LISTENING);
    allMatch &&= match;
    console.log(`jcstar gentle (default): ${seconds(gentle.wallMs)} (scan ${seconds(gentle.result.durationMs)}), open set ${match ? 'matches' : `DIFFERS: ${gentle.result.open}`}`);
  }
  console.log(`open sets: ${allMatch ? 'all equal to nmap\'s' : 'NOT all equal'} (${LISTENING.join(', ')})`);
  if (!allMatch) process.exitCode = 1;
} finally {
  await target.stop();
}
