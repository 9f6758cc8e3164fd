import { expect } from 'chai';
import { loadDebugServices } from '../../harness/inventory/debug-services.js';
import { discoveredServices } from '../../harness/inventory/discovered-services.js';
import { describeInterface, diffInterfaces } from '../../harness/inventory/interfaces.js';
import { AttackSurface } from '../../harness/inventory/surface.js';
import { DEVICE, profileFrom } from '../support/run-profile.js';
import { identity } from './identity-fixtures.js';

const HOST = '192.0.2.10';

async function profile() {
  return profileFrom({
    device: DEVICE,
    target: { host: HOST },
    scope: [`${HOST}/32`],
    services: [
      { name: 'web', protocol: 'https', port: 443, auth: 'basic' },
      { name: 'coap', protocol: 'coap', port: 5683, auth: 'none' },
      { name: 'rtsp', protocol: 'rtsp', port: 554, auth: 'digest' },
    ],
  });
}

function surface(): AttackSurface {
  const s = new AttackSurface();
  s.tcp = { host: HOST, ports: '1-65535', done: '1-65535', open: [23, 443, 2222, 5555], filtered: [], closedCount: 65531, durationMs: 1, attempts: 65535, resumedFrom: null };
  s.udp = {
    host: HOST,
    durationMs: 1,
    ports: [
      { port: 5683, transport: 'udp', state: 'open', reason: 'udp-response', payload: 'coap', identity: null },
      { port: 161, transport: 'udp', state: 'open', reason: 'udp-response', payload: 'snmp', identity: null },
      { port: 1900, transport: 'udp', state: 'open|filtered', reason: 'no-response', payload: 'ssdp', identity: null },
      { port: 123, transport: 'udp', state: 'closed', reason: 'port-unreach', payload: 'ntp', identity: null },
    ],
  };
  s.identify(identity(23, 'telnet', { protocol: 'telnet', auth: 'password', banner: 'cam login:' }));
  s.identify(identity(443, 'http', { protocol: 'https', tls: true, product: 'nginx/1.22.1' }));
  s.identify(identity(2222, 'ssh', { protocol: 'ssh', product: 'dropbear_2022.83', auth: 'password' }));
  s.identify(identity(5555, 'adb'));
  s.identify(identity(161, 'snmp', { transport: 'udp', protocol: 'snmp' }));
  s.identify(identity(5683, 'coap', { transport: 'udp', protocol: 'coap' }));
  return s;
}

describe('inventory: the interfaces found against the profile', () => {
  it('lists every open port and every answering UDP port, names undeclared ones and known debug services', async () => {
    const diff = diffInterfaces(await profile(), surface(), loadDebugServices());
    expect(diff.rows.map((r) => `${r.port}/${r.transport} ${r.state} ${r.declared ?? '-'}`)).to.deep.equal([
      '23/tcp open -',
      '161/udp open -',
      '443/tcp open web',
      '1900/udp open|filtered -',
      '2222/tcp open -',
      '5555/tcp open -',
      '5683/udp open coap',
    ]);
    expect(diff.undeclared.map(describeInterface)).to.deep.equal([
      '23/tcp telnet "cam login:" (known debug or factory service: Telnet, a login shell in plaintext)',
      '161/udp snmp',
      '2222/tcp ssh dropbear_2022.83',
      '5555/tcp adb (known debug or factory service: Android Debug Bridge, a developer shell)',
    ]);
    // A silent UDP port is never called open, and so never undeclared-open either.
    expect(diff.undeclared.some((r) => r.port === 1900)).to.equal(false);
    expect(diff.missing.map((m) => `${m.service.name} ${m.state}`)).to.deep.equal(['rtsp closed']);
  });

  it('reports a declared service outside the scanned range as not scanned, not as missing from the device', async () => {
    const s = surface();
    s.tcp = { ...s.tcp!, ports: '1-100', done: '1-100' };
    const diff = diffInterfaces(await profile(), s, loadDebugServices());
    expect(diff.missing.map((m) => `${m.service.name} ${m.state}`)).to.deep.equal(['rtsp not scanned']);
  });

  it('turns undeclared identified services into services the suites test, with the login identification saw', async () => {
    const services = discoveredServices(await profile(), surface().identities);
    expect(services.map((s) => [s.name, s.protocol, s.port, s.transport, s.auth])).to.deep.equal([
      ['undeclared-telnet-23', 'telnet', 23, 'tcp', 'password'],
      ['undeclared-snmp-161', 'snmp', 161, 'udp', 'community'],
      ['undeclared-ssh-2222', 'ssh', 2222, 'tcp', 'password'],
    ]);
    expect(services.every((s) => s.discovered !== undefined)).to.equal(true);
  });

  it('names a protocol found on its unusual transport with the transport (CoAP over TCP)', async () => {
    const s = new AttackSurface();
    s.identify(identity(5683, 'coap', { protocol: 'coap' }));
    expect(discoveredServices(await profile(), s.identities).map((x) => x.name)).to.deep.equal(['undeclared-coap-5683-tcp']);
  });
});
