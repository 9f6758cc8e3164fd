import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startDaemon, type Daemon } from './daemons.js';
import { tempDir } from './run-profile.js';

/** dnsmasq's Debian binary (dnsmasq-base); callers check requireBinaries for it first. */
export const DNSMASQ_BINARIES = { dnsmasq: 'dnsmasq-base' } as const;

export interface Dnsmasq extends Daemon {
  host: string;
  /** The DNS port (UDP and TCP); TFTP, when on, is always on 69. */
  port: number;
}

/**
 * Real dnsmasq in the foreground as a DNS forwarder with no upstream (answers what it knows, version.bind
 * among it), on host:port, with no configuration file and no DHCP. `tftp` also serves an empty TFTP root;
 * dnsmasq's TFTP port is fixed at 69, so TFTP is for a network namespace only (`netns`).
 */
export async function startDnsmasq(options: { host: string; port: number; tftp?: boolean; netns?: string }): Promise<Dnsmasq> {
  const args = ['-k', '-C', '/dev/null', '--no-resolv', '--no-hosts', '--bind-interfaces', `--listen-address=${options.host}`, `--port=${options.port}`, '--user=root', '--pid-file=', '--log-facility=-'];
  if (options.tftp) {
    const root = join(tempDir('jcstar-tftp-'), 'root');
    mkdirSync(root);
    args.push('--enable-tftp', `--tftp-root=${root}`);
  }
  // dnsmasq listens on TCP at the DNS port too, which startDaemon's readiness check sees.
  const daemon = await startDaemon('dnsmasq', args, options.host, options.port, options.netns ? { netns: options.netns, transport: 'tcp' } : {});
  return { ...daemon, host: options.host, port: options.port };
}
