import { readFileSync } from 'node:fs';
import { testCertificates } from '../certificates.js';
import { startBusyboxLogin } from '../busybox-telnetd.js';
import { startCoapServer } from '../coap-server.js';
import { startDropbear } from '../dropbear.js';
import { startNginx } from '../nginx.js';
import { startVsftpd } from '../vsftpd.js';
import { buildDevice, DEVICE_HOST, type ReferenceDevice } from './device.js';
import { freshSecret, htpasswdLine } from './secrets.js';

/** What the undeclared services accept: two of Mirai's universal defaults (catalogue/credentials/universal-defaults.yaml). */
export const CAMERA_DEFAULTS = { telnet: { username: 'root', password: 'xc3511' }, ssh: { username: 'root', password: '12345' } } as const;

/** The ports of the services the vendor left out of the profile. */
export const CAMERA_UNDECLARED = { telnet: 23, ssh: 2222, ftp: 21, coap: 5683 } as const;

/**
 * The camera reference device, in a network namespace of its own at 127.0.0.1: a tidy declared side and the
 * debug services a camera's firmware left behind, as in the Mirai years.
 * Declared:
 * - 443/tcp nginx HTTPS (TLS 1.2/1.3), the web admin behind basic auth with a strong per-device password;
 * - 80/tcp nginx redirecting every path to https://127.0.0.1.
 * Not declared:
 * - 23/tcp BusyBox telnetd whose login takes root:xc3511;
 * - 2222/tcp Dropbear with a 1024-bit RSA host key (made by dropbearkey at start), taking root:12345;
 * - 21/tcp vsftpd with anonymous logins (the "factory FTP"), read-only;
 * - 5683/udp and 5683/tcp libcoap coap-server-notls: plain CoAP, and the CoAP-over-TCP listener libcoap opens by itself.
 */
export function startCameraDevice(): Promise<ReferenceDevice> {
  return buildDevice('camera', async (device) => {
    const netns = device.netns.name;
    const certs = await testCertificates();
    device.file('certs/device-ca.pem', readFileSync(certs.root.certFile), 0o644);
    const webPassword = freshSecret();

    const htpasswd = device.file('nginx/htpasswd', htpasswdLine('admin', webPassword), 0o644);
    await device.add(
      startNginx(
        DEVICE_HOST,
        '',
        [
          `ssl_certificate ${certs.leaf.chainFile};`,
          `ssl_certificate_key ${certs.leaf.keyFile};`,
          'ssl_protocols TLSv1.2 TLSv1.3;',
          'auth_basic "IP camera";',
          `auth_basic_user_file ${htpasswd};`,
        ].join('\n    '),
        { ssl: true, netns, port: 443 },
      ),
    );
    await device.add(startNginx(DEVICE_HOST, '', `return 301 https://${DEVICE_HOST}$request_uri;`, { netns, port: 80 }));

    const { telnet, ssh, ftp, coap } = CAMERA_UNDECLARED;
    await device.add(startBusyboxLogin(DEVICE_HOST, { [CAMERA_DEFAULTS.telnet.username]: CAMERA_DEFAULTS.telnet.password }, { netns, port: telnet }));
    await device.add(startDropbear(DEVICE_HOST, { [CAMERA_DEFAULTS.ssh.username]: CAMERA_DEFAULTS.ssh.password }, { netns, port: ssh, hostKey: { type: 'rsa', bits: 1024 } }));
    await device.add(startVsftpd(DEVICE_HOST, {}, { netns, port: ftp, anonymous: { files: { 'factory-test.log': 'sensor calibration OK\n' } } }));
    await device.add(startCoapServer({ host: DEVICE_HOST, security: 'none', netns, port: coap }));

    const anchors = ['certs/device-ca.pem'];
    const profileFile = device.writeProfile({
      device: { vendor: 'jcstar reference', model: 'REF-CAMERA', firmware: '2.1.0', unit: 'REFC-0001', category: 'network-camera' },
      target: { host: DEVICE_HOST },
      scope: [`${DEVICE_HOST}/32`],
      services: [
        { name: 'web', protocol: 'https', port: 443, auth: 'basic', credential: 'web-admin', paths: ['/admin/'], trustAnchors: anchors },
        { name: 'web-redirect', protocol: 'http', port: 80, auth: 'none' },
      ],
      credentials: {
        'web-admin': { username: 'admin', password: '${env:WEB_ADMIN_PASSWORD}' },
      },
      declarations: {
        accessControl: {
          assets: ['video stream', 'recordings', 'device configuration', 'administrator credentials'],
          accessPaths: ['web administration over HTTPS 443 (basic auth); HTTP 80 only redirects to it'],
        },
        defaultPasswordScheme: { scheme: 'unique-per-device', format: '16 characters, upper/lower case and digits, printed on the unit label' },
      },
    });
    return { profileFile, env: { WEB_ADMIN_PASSWORD: webPassword }, secrets: [webPassword] };
  });
}
