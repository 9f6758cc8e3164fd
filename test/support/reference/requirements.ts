import { requireBusyboxApplets } from '../busybox-telnetd.js';
import { requireBinaries, requireRoot } from '../daemons.js';

/** What a reference device needs: root (network namespaces, daemons on their real ports) and the Debian daemons. */
export function requireReferenceDevice(ctx: Mocha.Context, device: 'hardened' | 'weak' | 'camera'): void {
  requireRoot(ctx, 'the reference devices live in network namespaces the test creates');
  requireBinaries(ctx, {
    ip: 'iproute2',
    ss: 'iproute2',
    unshare: 'util-linux',
    openssl: 'openssl',
    nginx: 'nginx-light',
    sshd: 'openssh-server',
    'ssh-keygen': 'openssh-client',
    mosquitto: 'mosquitto',
    snmpd: 'snmpd',
    ...(device === 'hardened' ? { 'coap-server-openssl': 'libcoap3-bin' } : { 'coap-server-notls': 'libcoap3-bin' }),
    ...(device === 'camera' ? { dropbear: 'dropbear-bin', dropbearkey: 'dropbear-bin', vsftpd: 'vsftpd' } : {}),
  });
  if (device !== 'hardened') requireBusyboxApplets(ctx);
  else requireBinaries(ctx, { mosquitto_passwd: 'mosquitto', nft: 'nftables' });
}
