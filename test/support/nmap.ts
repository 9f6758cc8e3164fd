import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** `nmap -sT -p- -T4 -n -Pn` inside a network namespace: the open TCP ports of `host`, ascending. */
export async function nmapOpenTcp(netns: string, host: string): Promise<number[]> {
  const { stdout } = await run('ip', ['netns', 'exec', netns, 'nmap', '-sT', '-p-', '-T4', '-n', '-Pn', host, '-oX', '-'], { maxBuffer: 16 * 1024 * 1024, timeout: 10 * 60_000 });
  return [...stdout.matchAll(/<port protocol="tcp" portid="(\d+)"><state state="open"/g)].map((m) => Number(m[1])).sort((a, b) => a - b);
}

/** `nmap -sU` on the given ports inside a network namespace: each port's state and nmap's reason. */
export async function nmapUdpStates(netns: string, host: string, ports: number[], extraArgs: string[] = []): Promise<Map<number, { state: string; reason: string }>> {
  const { stdout } = await run('ip', ['netns', 'exec', netns, 'nmap', '-sU', '-n', '-Pn', ...extraArgs, '-p', ports.join(','), host, '-oX', '-'], { timeout: 120000 });
  const states = new Map<number, { state: string; reason: string }>();
  for (const m of stdout.matchAll(/<port protocol="udp" portid="(\d+)"><state state="([^"]+)" reason="([^"]+)"/g)) states.set(Number(m[1]), { state: m[2]!, reason: m[3]! });
  return states;
}

/**
 * UDP ports where nmap sends no payload a service answers (WS-Discovery 3702, SIP 5060, Matter 5540) or
 * does not match the answer to its probe (TFTP 69 answers from a port of its own): nmap says open|filtered
 * where jcstar, answered, says open.
 */
export const NMAP_CANNOT_SEE_THE_ANSWER: ReadonlySet<number> = new Set([69, 3702, 5060, 5540]);
