import { expect } from 'chai';
import { GuardedNetwork } from '../../harness/net/network.js';
import { loadDefaultPolicy } from '../../harness/policy/load.js';
import { scanUdpPorts, udpScanSettings, type UdpScanSettings } from '../../harness/probes/udp/scan.js';
import { UDP_PORT_PAYLOADS } from '../../harness/probes/udp/table.js';
import { ScopeGuard, ScopeViolation } from '../../harness/scope/guard.js';
import { closedUdpPort, startUdpFake, type UdpAnswerer, type UdpFake } from '../support/udp-fake.js';
import { echoResponder, floodResponder, garbageResponder, hugeResponder, silentResponder } from '../support/udp-hostile.js';
import {
  MDNS_INSTANCE,
  SIP_SERVER,
  SSDP_LOCATION,
  SSDP_SERVER,
  WSD_TYPES,
  WSD_XADDRS,
  matterResponder,
  mdnsResponder,
  natPmpResponder,
  ntpResponder,
  sipResponder,
  ssdpResponder,
  tftpResponder,
  wsDiscoveryResponder,
} from '../support/udp-services.js';

/** The UDP inventory against in-process services, closed ports and hostile answerers on 127.0.121.x. */

const HOST = '127.0.121.1';
const net = () => new GuardedNetwork(new ScopeGuard([`${HOST}/32`]), { connectionsPerSecond: 1000, authAttemptsPerSecond: 1000, connectTimeoutMs: 2000 });
const signal = new AbortController().signal;
const settings = (probes: UdpScanSettings['probes'], timeoutMs = 300, minTimeoutMs = timeoutMs): UdpScanSettings => ({ probes, retries: 1, timeoutMs, minTimeoutMs, concurrency: 16 });
const payloadOf = (port: number) => UDP_PORT_PAYLOADS.get(port)!.name;

describe('UDP inventory scan (scanUdpPorts)', function () {
  this.timeout(20000);
  const fakes: UdpFake[] = [];
  const fake = async (answer: UdpAnswerer) => {
    const started = await startUdpFake(HOST, answer);
    fakes.push(started);
    return started;
  };
  afterEach(async () => {
    await Promise.all(fakes.splice(0).map((f) => f.close()));
  });

  async function scanOne(wellKnownPort: number, answer: UdpAnswerer) {
    const service = await fake(answer);
    const result = await scanUdpPorts(net(), HOST, settings([{ port: service.port, payload: payloadOf(wellKnownPort) }]), signal);
    expect(result.ports).to.have.length(1);
    return { entry: result.ports[0]!, service };
  }

  it('SSDP: an M-SEARCH answer is open, upnp, with SERVER, LOCATION and ST as details', async () => {
    const { entry } = await scanOne(1900, ssdpResponder);
    expect(entry).to.include({ state: 'open', reason: 'udp-response', payload: 'ssdp-msearch-all', transport: 'udp' });
    expect(entry.identity).to.include({ service: 'ssdp', protocol: 'upnp', product: SSDP_SERVER, banner: 'HTTP/1.1 200 OK', tls: false });
    expect(entry.identity!.details).to.include({ 'ssdp.server': SSDP_SERVER, 'ssdp.location': SSDP_LOCATION, 'ssdp.st': 'upnp:rootdevice' });
    expect(entry.identity!.exchanges[0]!.sent).to.match(/^M-SEARCH \* HTTP\/1\.1 HOST: 127\.0\.121\.1:\d+ MAN: "ssdp:discover" ST: ssdp:all/);
  });

  it('mDNS: the legacy unicast answer lists the service types and the TXT and SRV records it adds', async () => {
    const { entry } = await scanOne(5353, mdnsResponder);
    expect(entry).to.include({ state: 'open', reason: 'udp-response' });
    expect(entry.identity).to.include({ service: 'mdns', protocol: null });
    expect(entry.identity!.details).to.deep.equal({
      'mdns.services': '_hap._tcp.local _http._tcp.local',
      'mdns.instances': MDNS_INSTANCE,
      [`mdns.srv.${MDNS_INSTANCE}`]: 'cam.local:8080',
      'mdns.txt.md': 'CAM-100',
      'mdns.txt.fv': '1.2.3',
      'mdns.txt.id': 'AA:BB:CC:DD:EE:FF',
    });
  });

  it('Matter: a StandaloneAck of our unsecured StatusReport is open, matter', async () => {
    const { entry } = await scanOne(5540, matterResponder);
    expect(entry).to.include({ state: 'open', reason: 'udp-response', payload: 'matter-unsecured-status-report' });
    expect(entry.identity).to.include({ service: 'matter', banner: 'Matter StandaloneAck' });
  });

  it('WS-Discovery: ProbeMatches give the types and XAddrs', async () => {
    const { entry } = await scanOne(3702, wsDiscoveryResponder);
    expect(entry).to.include({ state: 'open', reason: 'udp-response' });
    expect(entry.identity).to.include({ service: 'ws-discovery', protocol: null });
    expect(entry.identity!.details).to.include({ 'wsd.types': WSD_TYPES, 'wsd.xaddrs': WSD_XADDRS });
  });

  it('NTP: a mode-4 answer echoing our transmit time gives stratum and refid', async () => {
    const { entry } = await scanOne(123, ntpResponder);
    expect(entry).to.include({ state: 'open', reason: 'udp-response' });
    expect(entry.identity).to.include({ service: 'ntp', banner: 'NTPv4 stratum 2' });
    expect(entry.identity!.details).to.deep.equal({ 'ntp.version': '4', 'ntp.stratum': '2', 'ntp.refid': '192.0.2.123' });
  });

  it('TFTP: the ERROR that comes from the server\'s own transfer port is heard, and the port is open', async () => {
    const { entry } = await scanOne(69, tftpResponder);
    expect(entry).to.include({ state: 'open', reason: 'udp-response', payload: 'tftp-rrq-absent-file' });
    expect(entry.identity).to.include({ service: 'tftp', banner: 'TFTP ERROR 1 File not found' });
    expect(entry.identity!.exchanges[0]!.sent).to.match(/^00016a63737461722d[0-9a-f]{24}006f6374657400$/);
  });

  it('SIP: an OPTIONS answer names the user agent and its methods', async () => {
    const { entry } = await scanOne(5060, sipResponder);
    expect(entry).to.include({ state: 'open', reason: 'udp-response' });
    expect(entry.identity).to.include({ service: 'sip', product: SIP_SERVER, banner: 'SIP/2.0 200 OK' });
    expect(entry.identity!.details).to.include({ 'sip.status': '200 OK', 'sip.allow': 'INVITE, ACK, CANCEL, OPTIONS, BYE' });
  });

  it('NAT-PMP: the external-address answer is open, nat-pmp', async () => {
    const { entry } = await scanOne(5351, natPmpResponder);
    expect(entry).to.include({ state: 'open', reason: 'udp-response' });
    expect(entry.identity).to.include({ service: 'nat-pmp', banner: 'NAT-PMP success' });
  });

  it('every payload to a closed port is closed (ICMP port unreachable), never open|filtered', async () => {
    const probes = await Promise.all([...UDP_PORT_PAYLOADS.values()].map(async (p) => ({ port: await closedUdpPort(HOST), payload: p.name })));
    const result = await scanUdpPorts(net(), HOST, settings(probes, 2000), signal);
    expect(result.ports.map((p) => [p.payload, p.state, p.reason, p.identity])).to.have.deep.members(probes.map((p) => [p.payload, 'closed', 'port-unreach', null]));
    // A refusal ends the port at once: nobody waits for the 2 s timeout.
    expect(result.durationMs).to.be.below(1500);
  });

  it('every payload to a silent port is open|filtered after the retries, never open', async () => {
    const silent = await Promise.all([...UDP_PORT_PAYLOADS.values()].map(async (p) => ({ service: await fake(silentResponder), payload: p.name })));
    const result = await scanUdpPorts(net(), HOST, settings(silent.map((s) => ({ port: s.service.port, payload: s.payload }))), signal);
    expect(result.ports.map((p) => [p.payload, p.state, p.reason, p.identity])).to.have.deep.members(silent.map((s) => [s.payload, 'open|filtered', 'no-response', null]));
    // The first send and one retry each.
    expect(silent.map((s) => s.service.received())).to.deep.equal(silent.map(() => 2));
  });

  it('an echo of any payload is open but recognised as nothing: the echo is named', async () => {
    const probes = await Promise.all([...UDP_PORT_PAYLOADS.values()].map(async (p) => ({ port: (await fake(echoResponder)).port, payload: p.name })));
    const result = await scanUdpPorts(net(), HOST, settings(probes), signal);
    for (const entry of result.ports) {
      expect(entry, entry.payload).to.include({ state: 'open', reason: 'udp-response' });
      expect(entry.identity, entry.payload).to.include({ service: 'unknown', protocol: null, banner: 'echoes the probe back' });
      expect(entry.identity!.details, entry.payload).to.include({ 'udp.echo': 'true' });
    }
  });

  it('garbage, a 65507-byte answer and a flood of datagrams are open and unknown, with bounded evidence', async () => {
    const [garbage, huge, flood] = [await fake(garbageResponder), await fake(hugeResponder), await fake(floodResponder)];
    const fakesInPortOrder = [garbage, huge, flood].sort((a, b) => a.port - b.port);
    const result = await scanUdpPorts(net(), HOST, settings(fakesInPortOrder.map((f) => ({ port: f.port, payload: 'coap-get-well-known-core' }))), signal);
    expect(result.ports.map((p) => [p.port, p.state, p.identity?.service])).to.deep.equal(fakesInPortOrder.map((f) => [f.port, 'open', 'unknown']));
    const hugeEntry = result.ports.find((p) => p.port === huge.port)!;
    expect(hugeEntry.identity!.details['udp.bytes']).to.equal('65507');
    expect(hugeEntry.identity!.exchanges[0]!.received.length).to.be.at.most(200);
    expect(JSON.stringify(result).length).to.be.below(4000);
  });

  it('every payload survives garbage and huge answers without recognising them', async () => {
    const [garbage, huge] = [await fake(garbageResponder), await fake(hugeResponder)];
    const probes = [garbage, huge].flatMap((f) => [...UDP_PORT_PAYLOADS.values()].map((p) => ({ port: f.port, payload: p.name })));
    // One probe at a time per fake port: the scan takes each probe as its own port entry.
    for (const probe of probes) {
      const result = await scanUdpPorts(net(), HOST, settings([probe]), signal);
      expect(result.ports[0], probe.payload).to.include({ state: 'open', reason: 'udp-response' });
      expect(result.ports[0]!.identity!.service, probe.payload).to.equal('unknown');
    }
  });

  it('once the host has answered on one port, a silent port waits four times that answer, not the full timeout', async () => {
    const [answering, silent] = [await fake(ntpResponder), await fake(silentResponder)];
    const result = await scanUdpPorts(net(), HOST, settings([{ port: answering.port, payload: 'ntp-client' }, { port: silent.port, payload: 'ntp-client' }], 3000, 100), signal);
    expect(result.ports.map((p) => p.state)).to.deep.equal(answering.port < silent.port ? ['open', 'open|filtered'] : ['open|filtered', 'open']);
    expect(silent.received()).to.equal(2);
    expect(result.durationMs).to.be.below(1500);
  });

  it('a host that answers nothing gets the full timeout on every send', async () => {
    const silent = await fake(silentResponder);
    const result = await scanUdpPorts(net(), HOST, settings([{ port: silent.port, payload: 'ntp-client' }], 400, 50), signal);
    expect(result.ports[0]).to.include({ state: 'open|filtered', reason: 'no-response' });
    expect(result.durationMs).to.be.at.least(800);
  });

  it('IPv6: an answer on ::1 is open and identified, a port with nothing bound is closed', async () => {
    const ssdp = await startUdpFake('::1', ssdpResponder);
    fakes.push(ssdp);
    const closed = await closedUdpPort('::1');
    const v6 = new GuardedNetwork(new ScopeGuard(['::1/128']), { connectionsPerSecond: 1000, authAttemptsPerSecond: 1000, connectTimeoutMs: 2000 });
    const result = await scanUdpPorts(v6, '::1', settings([{ port: ssdp.port, payload: 'ssdp-msearch-all' }, { port: closed, payload: 'ssdp-msearch-all' }]), signal);
    expect(result.ports.find((p) => p.port === ssdp.port)).to.include({ state: 'open', reason: 'udp-response' });
    expect(result.ports.find((p) => p.port === ssdp.port)!.identity!.details['ssdp.server']).to.equal(SSDP_SERVER);
    expect(result.ports.find((p) => p.port === ssdp.port)!.identity!.exchanges[0]!.sent).to.include('HOST: [::1]:');
    expect(result.ports.find((p) => p.port === closed)).to.include({ state: 'closed', reason: 'port-unreach' });
  });

  it('a host outside the scope is refused before any datagram leaves', async () => {
    const service = await fake(echoResponder);
    const outside = new GuardedNetwork(new ScopeGuard(['127.0.122.0/24']), { connectionsPerSecond: 1000, authAttemptsPerSecond: 1000, connectTimeoutMs: 2000 });
    const failure = await scanUdpPorts(outside, HOST, settings([{ port: service.port, payload: 'empty' }]), signal).catch((err: unknown) => err);
    expect(failure).to.be.instanceOf(ScopeViolation);
    expect(service.received()).to.equal(0);
  });

  it('an abort ends the scan with the abort, not with open|filtered ports', async () => {
    const service = await fake(silentResponder);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const failure = await scanUdpPorts(net(), HOST, settings([{ port: service.port, payload: 'empty' }], 5000), controller.signal).catch((err: unknown) => err);
    expect((failure as Error).name).to.equal('AbortError');
  });
});

describe('GuardedNetwork connected UDP sockets', function () {
  this.timeout(10000);

  it('connect passes the scope guard: an address outside it throws before anything is bound or sent', () => {
    const socket = net().udpSocket();
    try {
      expect(() => socket.connect(9, '127.0.122.1')).to.throw(ScopeViolation);
    } finally {
      socket.close();
    }
  });

  it('each datagram on a connected socket takes a token from the connection rate limit', async () => {
    const echo = await startUdpFake(HOST, echoResponder);
    const slow = new GuardedNetwork(new ScopeGuard([`${HOST}/32`]), { connectionsPerSecond: 5, authAttemptsPerSecond: 5, connectTimeoutMs: 2000 });
    const socket = slow.udpSocket();
    try {
      await new Promise<void>((resolve) => socket.connect(echo.port, HOST, () => resolve()));
      const started = Date.now();
      const third = new Promise<number>((resolve) => {
        let heard = 0;
        socket.on('message', () => ++heard === 3 && resolve(Date.now() - started));
      });
      for (let i = 0; i < 3; i++) socket.send(Buffer.from([i]));
      // 5 a second: the third datagram leaves 400 ms after the first.
      expect(await third).to.be.at.least(380);
    } finally {
      socket.close();
      await echo.close();
    }
  });
});

describe('UDP scan settings from the policy (udpScanSettings)', () => {
  it('probes every port of the payload table with its payload, at the policy\'s patience', () => {
    const s = udpScanSettings(loadDefaultPolicy());
    expect(s.probes).to.deep.equal([
      { port: 53, payload: 'dns-version-bind' },
      { port: 69, payload: 'tftp-rrq-absent-file' },
      { port: 123, payload: 'ntp-client' },
      { port: 161, payload: 'snmpv3-engine-discovery' },
      { port: 1900, payload: 'ssdp-msearch-all' },
      { port: 3702, payload: 'ws-discovery-probe' },
      { port: 5060, payload: 'sip-options' },
      { port: 5351, payload: 'nat-pmp-external-address' },
      { port: 5353, payload: 'mdns-services-ptr' },
      { port: 5540, payload: 'matter-unsecured-status-report' },
      { port: 5683, payload: 'coap-get-well-known-core' },
      { port: 5684, payload: 'dtls-client-hello' },
    ]);
    expect(s).to.include({ retries: 1, timeoutMs: 1000, minTimeoutMs: 250, concurrency: 16 });
  });

  it('adds the policy\'s extra ports with an empty datagram, once, and keeps a table port\'s payload', () => {
    const policy = loadDefaultPolicy();
    const s = udpScanSettings({ ...policy, udpScan: { ...policy.udpScan, ports: [9999, 161, 9999] } });
    expect(s.probes.filter((p) => p.port === 9999 || p.port === 161)).to.deep.equal([
      { port: 161, payload: 'snmpv3-engine-discovery' },
      { port: 9999, payload: 'empty' },
    ]);
  });

  it('probes each declared UDP service with its protocol\'s payload, and only those and the extra ports without the table', () => {
    const policy = loadDefaultPolicy();
    const declared = [
      { port: 15683, protocol: 'coap' as const, transport: 'udp' as const },
      { port: 1161, protocol: 'snmp' as const, transport: 'udp' as const },
      { port: 8443, protocol: 'https' as const, transport: 'tcp' as const },
    ];
    const s = udpScanSettings({ ...policy, udpScan: { ...policy.udpScan, payloadTable: false, ports: [9999] } }, declared);
    expect(s.probes).to.deep.equal([
      { port: 1161, payload: 'snmpv3-engine-discovery' },
      { port: 9999, payload: 'empty' },
      { port: 15683, payload: 'coap-get-well-known-core' },
    ]);
  });
});
