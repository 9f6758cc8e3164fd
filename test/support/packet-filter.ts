import { execFileSync } from 'node:child_process';

/** Ports a device's packet filter answers as closed: a TCP reset, an ICMP port unreachable. */
export interface ClosedPorts {
  tcp: number[];
  udp: number[];
}

/**
 * An nftables input filter in network namespace `netns` that closes `ports`, as a vendor's firewall closes the
 * listeners a library opens by itself and cannot be told not to: a scan then sees them closed, as nmap would.
 * The namespace's removal takes the filter with it.
 */
export function closePorts(netns: string, ports: ClosedPorts): void {
  const set = (list: number[]) => `{ ${list.join(', ')} }`;
  const rules = [
    ports.tcp.length ? `tcp dport ${set(ports.tcp)} reject with tcp reset` : '',
    ports.udp.length ? `udp dport ${set(ports.udp)} reject` : '',
  ].filter(Boolean);
  const ruleset = `table inet device-filter {\n  chain input {\n    type filter hook input priority filter; policy accept;\n    ${rules.join('\n    ')}\n  }\n}\n`;
  execFileSync('ip', ['netns', 'exec', netns, 'nft', '-f', '-'], { input: ruleset });
}
