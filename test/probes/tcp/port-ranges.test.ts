import { expect } from 'chai';
import { formatPortRanges, parsePortRanges } from '../../../harness/probes/tcp/port-ranges.js';

describe('TCP port ranges (nmap syntax)', () => {
  it('reads lists and ranges, sorted without repeats, and writes them back shortest', () => {
    expect(parsePortRanges('80,22,8000-8003,22')).to.deep.equal([22, 80, 8000, 8001, 8002, 8003]);
    expect(formatPortRanges(parsePortRanges('80,22,8000-8003,22'))).to.equal('22,80,8000-8003');
    expect(parsePortRanges('1-65535')).to.have.length(65535);
    expect(formatPortRanges(parsePortRanges('1-65535'))).to.equal('1-65535');
  });

  it('reads open ends as nmap does, and "" as no port', () => {
    expect(parsePortRanges('-')).to.have.length(65535);
    expect(parsePortRanges('-3')).to.deep.equal([1, 2, 3]);
    expect(parsePortRanges('65534-')).to.deep.equal([65534, 65535]);
    expect(parsePortRanges('')).to.deep.equal([]);
    expect(formatPortRanges([])).to.equal('');
  });

  it('refuses what nmap refuses', () => {
    for (const bad of ['0', '65536', '80-22', '22,,80', 'ssh', '1-2-3', '22 80']) {
      expect(() => parsePortRanges(bad), bad).to.throw(/invalid port range/);
    }
  });
});
