import { requireBusyboxApplets } from '../busybox-telnetd.js';
import { requireBinaries, requireRoot } from '../daemons.js';
import type { DebianBinary } from '../debian-binaries.js';

type Device = 'hardened' | 'weak' | 'camera' | 'updater';

/** The Debian programs each device starts, besides nginx and the namespace tools every one of them needs. */
const DAEMONS: Record<Device, Partial<Record<DebianBinary, string>>> = {
  hardened: {
    sshd: 'openssh-server',
    'ssh-keygen': 'openssh-client',
    mosquitto: 'mosquitto',
    mosquitto_passwd: 'mosquitto',
    snmpd: 'snmpd',
    'coap-server-openssl': 'libcoap3-bin',
    nft: 'nftables',
  },
  weak: { sshd: 'openssh-server', 'ssh-keygen': 'openssh-client', mosquitto: 'mosquitto', snmpd: 'snmpd', 'coap-server-notls': 'libcoap3-bin' },
  camera: { dropbear: 'dropbear-bin', dropbearkey: 'dropbear-bin', vsftpd: 'vsftpd', 'coap-server-notls': 'libcoap3-bin' },
  // swupdate and its image tools: requireSwupdateDevice.
  updater: {},
};

/** What a reference device needs: root (network namespaces, daemons on their real ports) and the Debian daemons. */
export function requireReferenceDevice(ctx: Mocha.Context, device: Device): void {
  requireRoot(ctx, 'the reference devices live in network namespaces the test creates');
  requireBinaries(ctx, { ip: 'iproute2', ss: 'iproute2', unshare: 'util-linux', openssl: 'openssl', nginx: 'nginx-light', ...DAEMONS[device] });
  if (device !== 'hardened') requireBusyboxApplets(ctx);
}
