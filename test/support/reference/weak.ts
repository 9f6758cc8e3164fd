import { startBusyboxLogin } from '../busybox-telnetd.js';
import { startCoapServer } from '../coap-server.js';
import { startMosquitto } from '../mosquitto.js';
import { startNginx } from '../nginx.js';
import { startOpenSsh } from '../openssh.js';
import { startSnmpd } from '../snmpd.js';
import { buildDevice, DEVICE_HOST, type ReferenceDevice } from './device.js';
import { freshSecret, htpasswdLine } from './secrets.js';

/** Legacy algorithms Debian's OpenSSH 9.2 still agrees to offer, and a 1024-bit RSA host key. */
const LEGACY_SSH = [
  'KexAlgorithms +diffie-hellman-group1-sha1,diffie-hellman-group14-sha1',
  'Ciphers +aes128-cbc,3des-cbc',
  'MACs +hmac-sha1',
  'HostKeyAlgorithms +ssh-rsa',
  'MaxAuthTries 10',
];

/**
 * The weak reference device, in a network namespace of its own at 127.0.0.1: the hardened device's opposite on
 * every point.
 * - 80/tcp nginx over plain HTTP, basic auth accepting admin:admin (a universal default), no rate limit;
 * - 22/tcp OpenSSH with password login (the declared maint account, and a leftover support:support, a
 *   universal default), group1 key exchange, CBC and 3DES, hmac-sha1, a 1024-bit RSA host key, no brute-force protection;
 * - 1883/tcp mosquitto with anonymous access, declared as a password login;
 * - 5683/udp libcoap coap-server-notls (plain CoAP);
 * - 161/udp net-snmp v2c with community public;
 * - 23/tcp BusyBox telnetd with a login, declared nowhere.
 * The profile declares nothing for the document-evaluated items.
 */
export function startWeakDevice(): Promise<ReferenceDevice> {
  return buildDevice('weak', async (device) => {
    const netns = device.netns.name;
    const maintPassword = freshSecret();

    const htpasswd = device.file('nginx/htpasswd', htpasswdLine('admin', 'admin'), 0o644);
    await device.add(startNginx(DEVICE_HOST, '', `auth_basic "device administration";\n    auth_basic_user_file ${htpasswd};`, { netns, port: 80 }));
    await device.add(startOpenSsh(DEVICE_HOST, { maint: maintPassword, support: 'support' }, LEGACY_SSH.join('\n'), { netns, port: 22, hostKeys: [{ type: 'rsa', bits: 1024 }] }));
    await device.add(startMosquitto(DEVICE_HOST, 'anonymous', { netns, port: 1883 }));
    await device.add(startCoapServer({ host: DEVICE_HOST, security: 'none', netns, port: 5683 }));
    await device.add(startSnmpd({ host: DEVICE_HOST, communities: ['public'], placement: { netns, port: 161 } }));
    await device.add(startBusyboxLogin(DEVICE_HOST, { admin: 'admin' }, { netns, port: 23 }));

    const profileFile = device.writeProfile({
      device: { vendor: 'jcstar reference', model: 'REF-WEAK', firmware: '0.9.0', unit: 'REFW-0001', category: 'router' },
      target: { host: DEVICE_HOST },
      scope: [`${DEVICE_HOST}/32`],
      services: [
        { name: 'web', protocol: 'http', port: 80, auth: 'basic', credential: 'web-admin', paths: ['/admin/'] },
        { name: 'shell', protocol: 'ssh', port: 22, auth: 'password', credential: 'maint' },
        // The vendor believes the broker wants a password; mosquitto's allow_anonymous says otherwise.
        { name: 'telemetry', protocol: 'mqtt', port: 1883, auth: 'password' },
        { name: 'sensors', protocol: 'coap', port: 5683, auth: 'none' },
        { name: 'management', protocol: 'snmp', port: 161, auth: 'community', credential: 'snmp-community' },
      ],
      credentials: {
        'web-admin': { username: 'admin', password: '${env:WEB_ADMIN_PASSWORD}' },
        maint: { username: 'maint', password: '${env:MAINT_PASSWORD}' },
        'snmp-community': { password: '${env:SNMP_COMMUNITY}' },
      },
    });
    // admin and public are universal defaults, which jcstar leaves readable on purpose; maint's password is the one to guard.
    return { profileFile, env: { WEB_ADMIN_PASSWORD: 'admin', MAINT_PASSWORD: maintPassword, SNMP_COMMUNITY: 'public' }, secrets: [maintPassword] };
  });
}
