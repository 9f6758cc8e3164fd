import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { testCertificates } from '../certificates.js';
import { startCoapServer } from '../coap-server.js';
import { startMosquitto } from '../mosquitto.js';
import { startNginx } from '../nginx.js';
import { startOpenSsh } from '../openssh.js';
import { closePorts } from '../packet-filter.js';
import { tempDir } from '../run-profile.js';
import { startSnmpd } from '../snmpd.js';
import { issueClientCertificate } from './client-certificate.js';
import { buildDevice, DEVICE_HOST, type ReferenceDevice } from './device.js';
import { freshSecret, htpasswdLine } from './secrets.js';

/** TLS 1.2 suites with forward secrecy and AEAD only (Mozilla intermediate without DHE, which needs parameters). */
const STRONG_TLS12 = 'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305';

/** Modern OpenSSH algorithms only, and no login but a key. */
const KEY_ONLY_SSH = [
  'KbdInteractiveAuthentication no',
  'AuthenticationMethods publickey',
  'KexAlgorithms sntrup761x25519-sha512@openssh.com,curve25519-sha256,curve25519-sha256@libssh.org',
  'Ciphers chacha20-poly1305@openssh.com,aes256-gcm@openssh.com,aes128-gcm@openssh.com',
  'MACs hmac-sha2-512-etm@openssh.com,hmac-sha2-256-etm@openssh.com',
  'HostKeyAlgorithms ssh-ed25519,rsa-sha2-512,rsa-sha2-256',
];

/**
 * Login attempts (requests that carry credentials) limited to 10 a minute with a burst of 4, answered 429;
 * requests without credentials pass, since nginx does not limit an empty key.
 */
const LOGIN_RATE_LIMIT = `map $http_authorization $login_attempt { "" ""; default $binary_remote_addr; }
  limit_req_zone $login_attempt zone=logins:1m rate=10r/m;
  limit_req_status 429;`;

/**
 * The hardened reference device, in a network namespace of its own at 127.0.0.1: every service as a careful
 * vendor would configure it.
 * - 443/tcp nginx HTTPS (TLS 1.2/1.3, ECDHE+AEAD, HSTS), basic auth behind limit_req (429);
 * - 80/tcp nginx redirecting every path to https://127.0.0.1 (the same device);
 * - 22/tcp OpenSSH, public key only, modern algorithms, ed25519 and RSA-3072 host keys;
 * - 8883/tcp mosquitto over TLS demanding a client certificate and a password;
 * - 5684/udp libcoap coap-server with DTLS-PSK; the plain CoAP, CoAP-over-TCP and CoAP-over-TLS listeners libcoap
 *   opens by itself (5683/udp, 5683/tcp, 5684/tcp) are closed by an nftables filter in the namespace;
 * - 161/udp net-snmp, SNMPv3 authPriv only (SHA-256/AES), no community.
 * The profile declares every service and the ★1 declarations, with one unit.
 */
export function startHardenedDevice(): Promise<ReferenceDevice> {
  return buildDevice('hardened', async (device) => {
    const netns = device.netns.name;
    const certs = await testCertificates();
    device.file('certs/device-ca.pem', readFileSync(certs.root.certFile), 0o644);
    const secrets = { web: freshSecret(), broker: freshSecret(), psk: freshSecret(), snmpAuth: freshSecret(), snmpPriv: freshSecret() };

    const htpasswd = device.file('nginx/htpasswd', htpasswdLine('admin', secrets.web), 0o644);
    await device.add(
      startNginx(
        DEVICE_HOST,
        LOGIN_RATE_LIMIT,
        [
          `ssl_certificate ${certs.leaf.chainFile};`,
          `ssl_certificate_key ${certs.leaf.keyFile};`,
          'ssl_protocols TLSv1.2 TLSv1.3;',
          `ssl_ciphers ${STRONG_TLS12};`,
          'ssl_prefer_server_ciphers off;',
          'add_header Strict-Transport-Security "max-age=63072000" always;',
          'limit_req zone=logins burst=4 nodelay;',
          'auth_basic "device administration";',
          `auth_basic_user_file ${htpasswd};`,
        ].join('\n    '),
        { ssl: true, netns, port: 443 },
      ),
    );
    await device.add(startNginx(DEVICE_HOST, '', `return 301 https://${DEVICE_HOST}$request_uri;`, { netns, port: 80 }));

    const clientKey = join(device.dir, 'keys', 'id_ed25519');
    mkdirSync(join(device.dir, 'keys'));
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'admin@hub', '-f', clientKey]);
    const authorizedKeys = tempDir('jcstar-ref-authorized-keys-');
    chmodSync(authorizedKeys, 0o755);
    writeFileSync(join(authorizedKeys, 'admin'), readFileSync(`${clientKey}.pub`), { mode: 0o644 });
    await device.add(
      startOpenSsh(DEVICE_HOST, { admin: freshSecret() }, [...KEY_ONLY_SSH, `AuthorizedKeysFile ${authorizedKeys}/%u`].join('\n'), {
        netns,
        port: 22,
        passwordAuthentication: false,
        hostKeys: [{ type: 'ed25519' }, { type: 'rsa', bits: 3072 }],
      }),
    );

    // Mosquitto reads the client CA after dropping to its own user: a folder it may read.
    const clientCa = tempDir('jcstar-ref-client-ca-');
    chmodSync(clientCa, 0o755);
    const client = issueClientCertificate(clientCa, 'hub-01');
    chmodSync(client.caFile, 0o644);
    device.file('certs/client.pem', readFileSync(client.certFile), 0o644);
    device.file('certs/client-key.pem', readFileSync(client.keyFile));
    await device.add(
      startMosquitto(DEVICE_HOST, { hub: secrets.broker }, {
        netns,
        port: 8883,
        tls: {
          certFile: certs.leaf.chainFile,
          keyFile: certs.leaf.keyFile,
          extra: [`cafile ${client.caFile}`, 'require_certificate true', 'tls_version tlsv1.2', `ciphers ${STRONG_TLS12}`],
        },
      }),
    );

    const coaps = await device.add(startCoapServer({ host: DEVICE_HOST, security: 'psk', netns, port: 5683, psk: secrets.psk }));
    // libcoap 4.3.1 has no switch for its plain CoAP (5683/udp), CoAP-over-TCP (5683/tcp) and CoAP-over-TLS
    // (5684/tcp) endpoints: the device's packet filter closes them, leaving DTLS on 5684/udp.
    closePorts(netns, { tcp: [coaps.plainPort, coaps.port], udp: [coaps.plainPort] });
    await device.add(
      startSnmpd({ host: DEVICE_HOST, users: [{ name: 'admin', auth: 'SHA-256', authPassword: secrets.snmpAuth, priv: 'AES', privPassword: secrets.snmpPriv }], placement: { netns, port: 161 } }),
    );

    const anchors = ['certs/device-ca.pem'];
    const profileFile = device.writeProfile({
      device: { vendor: 'jcstar reference', model: 'REF-HARDENED', firmware: '1.0.0', unit: 'REFH-0001', category: 'smart-home-hub' },
      target: { host: DEVICE_HOST },
      scope: [`${DEVICE_HOST}/32`],
      services: [
        { name: 'web', protocol: 'https', port: 443, auth: 'basic', credential: 'web-admin', paths: ['/admin/'], trustAnchors: anchors },
        { name: 'web-redirect', protocol: 'http', port: 80, auth: 'none' },
        { name: 'shell', protocol: 'ssh', port: 22, auth: 'publickey', credential: 'ssh-admin' },
        { name: 'telemetry', protocol: 'mqtts', port: 8883, auth: 'password', credential: 'broker', trustAnchors: anchors },
        { name: 'sensors', protocol: 'coaps', port: coaps.port, auth: 'psk', credential: 'coaps-psk' },
        { name: 'management', protocol: 'snmp', port: 161, auth: 'usm', credential: 'snmp-admin' },
      ],
      credentials: {
        'web-admin': { username: 'admin', password: '${env:WEB_ADMIN_PASSWORD}' },
        'ssh-admin': { username: 'admin', key: '${file:keys/id_ed25519}' },
        broker: { username: 'hub', password: '${env:BROKER_PASSWORD}', clientCertificate: '${file:certs/client.pem}', clientKey: '${file:certs/client-key.pem}' },
        'coaps-psk': { psk: { identity: 'hub-01', key: '${env:COAP_PSK}', keyFormat: 'text' } },
        'snmp-admin': { snmpv3: { user: 'admin', authProtocol: 'sha256', authPassword: '${env:SNMP_AUTH}', privProtocol: 'aes', privPassword: '${env:SNMP_PRIV}' } },
      },
      declarations: {
        accessControl: {
          assets: ['device configuration', 'telemetry', 'sensor readings', 'administrator credentials'],
          accessPaths: [
            'web administration over HTTPS 443 (basic auth, 10 login attempts a minute); HTTP 80 only redirects to it',
            'SSH 22, public key only',
            'MQTT over TLS 8883: client certificate and password',
            'CoAP over DTLS 5684: pre-shared key per device',
            'SNMPv3 161: authPriv user, no community',
          ],
        },
        defaultPasswordScheme: { scheme: 'unique-per-device', format: '16 characters, upper/lower case and digits, printed on the unit label' },
        authenticationChange: { procedure: 'Web UI > Security: administrator password, SSH keys, broker password, CoAP PSK and SNMPv3 keys' },
        bruteForceMitigation: { method: 'rate-limit', description: 'at most 10 login attempts a minute per client address (HTTP 429 beyond)' },
        vulnerabilityDisclosurePolicy: { url: 'https://example.com/security/disclosure', contact: 'security@example.com', acknowledgeWithinDays: 5, statusUpdateEveryDays: 30 },
        updateMechanism: { method: 'device-ui', description: 'Web UI > Maintenance > Firmware, signed images only' },
        updateProcedure: { url: 'https://example.com/support/update' },
        updateIntegrity: { mechanism: 'ECDSA P-256 signature verified before install', antiRollback: true },
        communicationProtection: { description: 'TLS 1.2/1.3 on HTTPS and MQTT, DTLS 1.2 PSK on CoAP, SSH, SNMPv3 authPriv', cryptoReference: 'CRYPTREC TLS 暗号設定ガイドライン 3.0.1' },
        resilience: { description: 'services restart on failure; rate limits on every login' },
        userDataDeletion: { method: 'Web UI > Maintenance > Factory reset' },
        supportPeriod: { endsOn: '2031-03-31', url: 'https://example.com/support/lifecycle' },
        productInformation: { url: 'https://example.com/products/ref-hardened', modelDesignation: 'REF-HARDENED' },
      },
    });
    const env = { WEB_ADMIN_PASSWORD: secrets.web, BROKER_PASSWORD: secrets.broker, COAP_PSK: secrets.psk, SNMP_AUTH: secrets.snmpAuth, SNMP_PRIV: secrets.snmpPriv };
    return { profileFile, env, secrets: [...Object.values(env), readFileSync(clientKey, 'utf8'), readFileSync(client.keyFile, 'utf8')] };
  });
}
