import { expect } from 'chai';
import { GuardedNetwork } from '../../harness/net/network.js';
import { scanUdpPorts, type UdpScanSettings } from '../../harness/probes/udp/scan.js';
import { ScopeGuard } from '../../harness/scope/guard.js';
import { CHRONYD_BINARIES, startChronyd, type Chronyd } from '../support/chrony.js';
import { COAP_SERVER_BINARIES, startCoapServer, type CoapServer } from '../support/coap-server.js';
import { freePort, requireBinaries } from '../support/daemons.js';
import { DNSMASQ_BINARIES, startDnsmasq, type Dnsmasq } from '../support/dnsmasq.js';
import { SNMPD_BINARIES, startSnmpd, type Snmpd } from '../support/snmpd.js';

/** The UDP inventory against real Debian daemons on loopback: libcoap (CoAP and DTLS), net-snmp's snmpd, dnsmasq, chrony. */

const HOST = '127.0.121.2';
const net = () => new GuardedNetwork(new ScopeGuard([`${HOST}/32`]), { connectionsPerSecond: 1000, authAttemptsPerSecond: 1000, connectTimeoutMs: 2000 });
const settings = (probes: UdpScanSettings['probes']): UdpScanSettings => ({ probes, retries: 1, timeoutMs: 1000, minTimeoutMs: 250, concurrency: 8 });
const signal = new AbortController().signal;

describe('UDP inventory against real daemons', function () {
  this.timeout(30000);

  describe('libcoap coap-server (pki: CoAP on p, DTLS on p + 1)', () => {
    let coap: CoapServer;
    before(async function () {
      requireBinaries(this, COAP_SERVER_BINARIES);
      coap = await startCoapServer({ host: HOST, security: 'pki' });
    });
    after(() => coap?.stop());

    it('CoAP: /.well-known/core is read, links listed; DTLS: the ClientHello draws a HelloVerifyRequest', async () => {
      const result = await scanUdpPorts(net(), HOST, settings([{ port: coap.plainPort, payload: 'coap-get-well-known-core' }, { port: coap.port, payload: 'dtls-client-hello' }]), signal);
      const [plain, secure] = result.ports;
      expect(plain).to.include({ state: 'open', reason: 'udp-response' });
      expect(plain!.identity).to.include({ service: 'coap', protocol: 'coap', tls: false });
      expect(plain!.identity!.details['coap.code']).to.equal('2.05');
      expect(plain!.identity!.details['coap.links']).to.include('/');
      expect(secure).to.include({ state: 'open', reason: 'udp-response' });
      expect(secure!.identity).to.include({ service: 'dtls', protocol: 'coaps', tls: true, banner: 'DTLS HelloVerifyRequest' });
    });
  });

  describe('net-snmp snmpd with no community and no user', () => {
    let snmpd: Snmpd;
    before(async function () {
      requireBinaries(this, SNMPD_BINARIES);
      snmpd = await startSnmpd({ host: HOST });
    });
    after(() => snmpd?.stop());

    it('SNMPv3 engine discovery draws a Report naming the engine (net-snmp, enterprise 8072)', async () => {
      const result = await scanUdpPorts(net(), HOST, settings([{ port: snmpd.port, payload: 'snmpv3-engine-discovery' }]), signal);
      const entry = result.ports[0]!;
      expect(entry).to.include({ state: 'open', reason: 'udp-response' });
      expect(entry.identity).to.include({ service: 'snmp', protocol: 'snmp' });
      expect(entry.identity!.details).to.include({ 'snmp.pdu': 'report', 'snmp.enterprise': '8072', 'snmp.report': '1.3.6.1.6.3.15.1.1.4.0' });
      expect(entry.identity!.details['snmp.engineId']).to.match(/^80001f88/);
      // No community is ever sent: the request (shown in hex) is a v3 message with an empty user name.
      expect(entry.identity!.exchanges[0]!.sent).to.match(/^[0-9a-f]+$/);
      expect(entry.identity!.exchanges[0]!.sent).to.not.include(Buffer.from('public').toString('hex'));
    });
  });

  describe('dnsmasq', () => {
    let dnsmasq: Dnsmasq;
    before(async function () {
      requireBinaries(this, DNSMASQ_BINARIES);
      dnsmasq = await startDnsmasq({ host: HOST, port: await freePort(HOST) });
    });
    after(() => dnsmasq?.stop());

    it('DNS: version.bind names dnsmasq and its version', async () => {
      const result = await scanUdpPorts(net(), HOST, settings([{ port: dnsmasq.port, payload: 'dns-version-bind' }]), signal);
      const entry = result.ports[0]!;
      expect(entry).to.include({ state: 'open', reason: 'udp-response' });
      expect(entry.identity).to.include({ service: 'dns' });
      expect(entry.identity!.product).to.match(/^dnsmasq-2\.\d+/);
      expect(entry.identity!.details['dns.rcode']).to.equal('NOERROR');
    });
  });

  describe('chrony', () => {
    let chronyd: Chronyd;
    before(async function () {
      requireBinaries(this, CHRONYD_BINARIES);
      chronyd = await startChronyd({ host: HOST, port: await freePort(HOST) });
    });
    after(() => chronyd?.stop());

    it('NTP: a client packet draws a server answer with stratum 8 and the local clock as reference', async () => {
      const result = await scanUdpPorts(net(), HOST, settings([{ port: chronyd.port, payload: 'ntp-client' }]), signal);
      const entry = result.ports[0]!;
      expect(entry).to.include({ state: 'open', reason: 'udp-response' });
      expect(entry.identity).to.include({ service: 'ntp', banner: 'NTPv4 stratum 8' });
      expect(entry.identity!.details).to.deep.equal({ 'ntp.version': '4', 'ntp.stratum': '8', 'ntp.refid': '127.127.1.1' });
    });
  });
});
