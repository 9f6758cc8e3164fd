import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import type { UdpAnswerer } from './udp-fake.js';

/**
 * In-process UDP services for which Debian has no daemon that is easy to run on a free loopback port:
 * each answers the way the real protocol does, and only to a request of its protocol.
 */

export const SSDP_SERVER = 'Linux/5.10 UPnP/1.0 IpCam/2.1';
export const SSDP_LOCATION = 'http://127.0.0.1:49152/description.xml';

export const ssdpResponder: UdpAnswerer = (request) => {
  if (!request.toString('latin1').startsWith('M-SEARCH * HTTP/1.1')) return [];
  return [
    Buffer.from(
      `HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=1800\r\nEXT:\r\nLOCATION: ${SSDP_LOCATION}\r\nSERVER: ${SSDP_SERVER}\r\n` +
        'ST: upnp:rootdevice\r\nUSN: uuid:2f402f80-da50-11e1-9b23-00178809ea66::upnp:rootdevice\r\n\r\n',
    ),
  ];
};

/** mDNS names and records the fake announces: a HomeKit camera with its TXT record. */
export const MDNS_INSTANCE = 'Cam-100._hap._tcp.local';
export const MDNS_TXT = ['md=CAM-100', 'fv=1.2.3', 'id=AA:BB:CC:DD:EE:FF'];

function name(text: string): Buffer {
  return Buffer.concat([...text.split('.').map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)])), Buffer.from([0])]);
}

function record(owner: string, type: number, rdata: Buffer): Buffer {
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(type, 0);
  fixed.writeUInt16BE(1, 2);
  fixed.writeUInt32BE(4500, 4);
  fixed.writeUInt16BE(rdata.length, 8);
  return Buffer.concat([name(owner), fixed, rdata]);
}

/** Answers a legacy unicast query for _services._dns-sd._udp.local (RFC 6762 §6.7: same ID, question repeated). */
export const mdnsResponder: UdpAnswerer = (request) => {
  if (request.length < 12 || request[2]! & 0x80 || request.readUInt16BE(4) !== 1 || !request.includes(name('_services._dns-sd._udp.local'))) return [];
  const question = request.subarray(12);
  const srv = Buffer.concat([Buffer.from([0, 0, 0, 0, 0x1f, 0x90]), name('cam.local')]);
  const txt = Buffer.concat(MDNS_TXT.map((t) => Buffer.concat([Buffer.from([t.length]), Buffer.from(t)])));
  const answers = [record('_services._dns-sd._udp.local', 12, name('_hap._tcp.local')), record('_services._dns-sd._udp.local', 12, name('_http._tcp.local'))];
  const additional = [record('_hap._tcp.local', 12, name(MDNS_INSTANCE)), record(MDNS_INSTANCE, 33, srv), record(MDNS_INSTANCE, 16, txt)];
  const header = Buffer.alloc(12);
  request.copy(header, 0, 0, 2);
  header.writeUInt16BE(0x8400, 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(answers.length, 6);
  header.writeUInt16BE(additional.length, 10);
  return [Buffer.concat([header, question, ...answers, ...additional])];
};

/** Acknowledges a reliable Matter message on the unsecured session with an MRP StandaloneAck, as connectedhomeip does. */
export const matterResponder: UdpAnswerer = (request) => {
  if (request.length < 22 || request[0] !== 0x04 || request.readUInt16LE(1) !== 0 || !(request[16]! & 0x04)) return [];
  const header = Buffer.alloc(16);
  header[0] = 0x01; // DSIZ 1: the destination is the initiator's 8-byte node ID
  randomBytes(4).copy(header, 4);
  request.copy(header, 8, 8, 16);
  const exchange = Buffer.alloc(10);
  exchange[0] = 0x02; // A: acknowledges; not the initiator
  exchange[1] = 0x10; // StandaloneAck
  request.copy(exchange, 2, 18, 20);
  exchange.writeUInt16LE(0, 4);
  request.copy(exchange, 6, 4, 8);
  return [Buffer.concat([header, exchange])];
};

export const WSD_TYPES = 'dn:NetworkVideoTransmitter tds:Device';
export const WSD_XADDRS = 'http://127.0.0.1/onvif/device_service';

export const wsDiscoveryResponder: UdpAnswerer = (request) => {
  const text = request.toString('utf8');
  const messageId = /<(?:\w+:)?MessageID>([^<]+)</.exec(text)?.[1];
  if (!/<(?:\w+:)?Probe\b/.test(text) || !messageId) return [];
  return [
    Buffer.from(
      '<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://www.w3.org/2003/05/soap-envelope" xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:dn="http://www.onvif.org/ver10/network/wsdl">' +
        `<SOAP-ENV:Header><wsa:RelatesTo>${messageId}</wsa:RelatesTo><wsa:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</wsa:Action></SOAP-ENV:Header>` +
        `<SOAP-ENV:Body><d:ProbeMatches><d:ProbeMatch><d:Types>${WSD_TYPES}</d:Types><d:Scopes>onvif://www.onvif.org/hardware/CAM-100</d:Scopes>` +
        `<d:XAddrs>${WSD_XADDRS}</d:XAddrs><d:MetadataVersion>1</d:MetadataVersion></d:ProbeMatch></d:ProbeMatches></SOAP-ENV:Body></SOAP-ENV:Envelope>`,
    ),
  ];
};

/** A stratum-2 NTP server synchronised to 192.0.2.123 (a documentation address: never contacted). */
export const ntpResponder: UdpAnswerer = (request) => {
  if (request.length < 48 || (request[0]! & 0x07) !== 3) return [];
  const reply = Buffer.alloc(48);
  reply[0] = (4 << 3) | 4;
  reply[1] = 2;
  reply[2] = 6;
  reply[3] = 0xec;
  Buffer.from([192, 0, 2, 123]).copy(reply, 12);
  request.copy(reply, 24, 40, 48);
  return [reply];
};

/** A TFTP server that has no such file: ERROR 1 from a fresh port of its own (its transfer ID, RFC 1350 §4). */
export const tftpResponder: UdpAnswerer = (request, from, server) => {
  if (request.length < 4 || request.readUInt16BE(0) !== 1) return [];
  const transfer = createSocket('udp4');
  transfer.on('error', () => {});
  transfer.bind(0, server.address().address, () => {
    transfer.send(Buffer.concat([Buffer.from([0, 5, 0, 1]), Buffer.from('File not found\0')]), from.port, from.address, () => transfer.close());
  });
  return [];
};

export const SIP_SERVER = 'DoorBell-SIP/1.4';

export const sipResponder: UdpAnswerer = (request) => {
  const text = request.toString('latin1');
  if (!text.startsWith('OPTIONS sip:')) return [];
  const echoed = text.split('\r\n').filter((l) => /^(Via|From|To|Call-ID|CSeq):/i.test(l));
  return [Buffer.from(`SIP/2.0 200 OK\r\n${echoed.join('\r\n')}\r\nServer: ${SIP_SERVER}\r\nAllow: INVITE, ACK, CANCEL, OPTIONS, BYE\r\nContent-Length: 0\r\n\r\n`)];
};

export const natPmpResponder: UdpAnswerer = (request) => {
  if (request.length !== 2 || request[0] !== 0 || request[1] !== 0) return [];
  return [Buffer.from([0, 128, 0, 0, 0, 0, 0x0e, 0x10, 192, 0, 2, 1])];
};
