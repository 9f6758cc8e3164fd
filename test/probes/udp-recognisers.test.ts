import { expect } from 'chai';
import { CLASS, RR, dnsQuery, parseDnsAnswer } from '../../harness/probes/udp/dns-message.js';
import { UDP_PORT_PAYLOADS } from '../../harness/probes/udp/table.js';

/** The recognisers on hostile bytes: lying DNS counts, compression loops, truncated answers. None may throw or recognise. */

const target = { host: '127.0.0.1', port: 9 };

function answerTo(query: Buffer, body: Buffer, counts: [number, number, number, number]): Buffer {
  const header = Buffer.alloc(12);
  query.copy(header, 0, 0, 2);
  header.writeUInt16BE(0x8400, 2);
  counts.forEach((c, i) => header.writeUInt16BE(c, 4 + 2 * i));
  return Buffer.concat([header, body]);
}

describe('UDP recognisers on hostile answers', () => {
  it('a DNS answer whose name points at itself is no answer (compression loop), not a hang', () => {
    const query = dnsQuery('version.bind', RR.txt, CLASS.chaos);
    // One record whose owner name is a pointer to offset 12, where that same pointer sits.
    const loop = answerTo(query, Buffer.from([0xc0, 0x0c, 0, 16, 0, 3, 0, 0, 0, 0, 0, 0]), [0, 1, 0, 0]);
    expect(parseDnsAnswer(loop, query)).to.equal(null);
  });

  it('a DNS answer claiming 65535 records reads only what is there', () => {
    const query = dnsQuery('version.bind', RR.txt, CLASS.chaos);
    const rdata = Buffer.from([6, ...Buffer.from('evil-1')]);
    const record = Buffer.concat([Buffer.from([7, ...Buffer.from('version'), 4, ...Buffer.from('bind'), 0, 0, 16, 0, 3, 0, 0, 0, 0, 0, rdata.length]), rdata]);
    const answer = parseDnsAnswer(answerTo(query, record, [0, 65535, 65535, 65535]), query);
    expect(answer!.records).to.deep.equal([{ name: 'version.bind', type: 16, data: ['evil-1'], port: null }]);
  });

  it('a TXT string longer than its record is cut at the record, not read past it', () => {
    const query = dnsQuery('version.bind', RR.txt, CLASS.chaos);
    const rdata = Buffer.from([200, ...Buffer.from('abc')]);
    const record = Buffer.concat([Buffer.from([7, ...Buffer.from('version'), 4, ...Buffer.from('bind'), 0, 0, 16, 0, 3, 0, 0, 0, 0, 0, rdata.length]), rdata]);
    const answer = parseDnsAnswer(answerTo(query, record, [0, 1, 0, 0]), query);
    expect(answer!.records).to.deep.equal([{ name: 'version.bind', type: 16, data: ['abc'], port: null }]);
  });

  it('no payload recognises empty, one-byte, truncated or all-0xff answers, and none throws', () => {
    const answers = [Buffer.alloc(0), Buffer.from([0]), Buffer.alloc(3, 0x80), Buffer.alloc(48, 0xff), Buffer.alloc(2000, 0xff)];
    for (const payload of UDP_PORT_PAYLOADS.values()) {
      const request = payload.build(target);
      for (const answer of answers) expect(payload.recognise(answer, request), `${payload.name} on ${answer.length} bytes`).to.equal(null);
      // The request truncated at every length: an echo cut short is not an answer either.
      for (let cut = 0; cut < request.length; cut += 7) expect(payload.recognise(request.subarray(0, cut), request), `${payload.name} on its request cut at ${cut}`).to.equal(null);
    }
  });
});
