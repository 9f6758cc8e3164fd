import { expect } from 'chai';
import type { UdpScanResult } from '../../harness/inventory/types.js';
import { loadDefaultPolicy } from '../../harness/policy/load.js';
import { udpScanSettings } from '../../harness/probes/udp/settings.js';
import { requireBinaries, requireRoot } from '../support/daemons.js';
import { UDP_DEVICE_BINARIES, UDP_DEVICE_EXTRA_PORTS, jcstarUdpScan, nmapUdpScan, startUdpDevice, type UdpDevice } from '../support/udp-device.js';
import { NMAP_CANNOT_SEE_THE_ANSWER } from '../support/nmap.js';

/**
 * nmap -sU as the oracle of the UDP inventory: the same ports of one device (its own network namespace,
 * real daemons and fakes at the ports a device uses), scanned by both, must get the same states.
 *
 * Where nmap has no payload for a port it sends an empty datagram, which WS-Discovery (3702), SIP (5060)
 * and Matter (5540) services ignore: nmap then says open|filtered where jcstar, having been answered, says
 * open. TFTP (69) answers from a transfer port of its own (RFC 1350 §4), which nmap does not match to its
 * probe, so it says open|filtered there too while jcstar hears the ERROR. jcstar must be at least as
 * specific on these ports, and never say open without an answer.
 */

describe('UDP inventory vs nmap -sU (oracle)', function () {
  this.timeout(180000);
  let device: UdpDevice;
  let jcstar: UdpScanResult;
  let nmap: Map<number, { state: string; reason: string }>;

  before(async function () {
    requireRoot(this, 'the device lives in a network namespace, and nmap -sU needs raw sockets');
    requireBinaries(this, UDP_DEVICE_BINARIES);
    const policy = loadDefaultPolicy();
    const settings = udpScanSettings({ ...policy, udpScan: { ...policy.udpScan, ports: UDP_DEVICE_EXTRA_PORTS } });
    device = await startUdpDevice(settings.probes);
    jcstar = await jcstarUdpScan(device, settings);
    nmap = await nmapUdpScan(device);
  });
  after(() => device?.stop());

  it('jcstar finds every fixture service open, the listener-less ports closed and the silent one open|filtered', () => {
    expect(Object.fromEntries(jcstar.ports.map((p) => [p.port, p.state]))).to.deep.equal(device.expected);
  });

  it('jcstar\'s state equals nmap\'s on every probed port, except open where nmap cannot draw or see the answer', () => {
    expect([...nmap.keys()].sort((a, b) => a - b)).to.deep.equal(jcstar.ports.map((p) => p.port));
    for (const entry of jcstar.ports) {
      const oracle = nmap.get(entry.port)!;
      if (NMAP_CANNOT_SEE_THE_ANSWER.has(entry.port) && oracle.state === 'open|filtered') expect(entry.state, `${entry.port}/udp`).to.equal('open');
      else expect(entry.state, `${entry.port}/udp (nmap: ${oracle.state} ${oracle.reason})`).to.equal(oracle.state);
    }
  });

  it('jcstar says open only with an answer it read, and names the service of each', () => {
    for (const entry of jcstar.ports) {
      if (entry.state !== 'open') {
        expect(entry.identity, `${entry.port}/udp`).to.equal(null);
        continue;
      }
      expect(entry.reason).to.equal('udp-response');
      expect(entry.identity!.exchanges[0]!.received, `${entry.port}/udp`).to.not.equal('');
    }
    expect(Object.fromEntries(jcstar.ports.filter((p) => p.identity).map((p) => [p.port, p.identity!.service]))).to.deep.equal({
      53: 'dns',
      69: 'tftp',
      123: 'ntp',
      161: 'snmp',
      1900: 'ssdp',
      3702: 'ws-discovery',
      5060: 'sip',
      5353: 'mdns',
      5540: 'matter',
      5683: 'coap',
      5684: 'dtls',
    });
  });
});
