import { expect } from 'chai';
import { ChoiceNotOfferedError, enumerateSuites, type HelloAnswer } from '../../harness/probes/tls/enumerate-suites.js';

/** A server model: the suites it accepts, and whether it picks by its own order or the client's. */
function server(accepts: number[], serverOrder: boolean) {
  const offers: number[][] = [];
  const tryHello = async (suites: readonly number[]): Promise<HelloAnswer> => {
    offers.push([...suites]);
    const pick = serverOrder ? accepts.find((s) => suites.includes(s)) : suites.find((s) => accepts.includes(s));
    return pick === undefined ? { outcome: 'refused', detail: 'handshake_failure' } : { outcome: 'chose', suite: pick };
  };
  return { tryHello, offers };
}

describe('enumerateSuites', () => {
  const candidates = Array.from({ length: 300 }, (_, i) => i + 1);

  it('finds every accepted suite and the server order, offering at most 128 suites per hello', async () => {
    const accepts = [250, 7, 130];
    const { tryHello, offers } = server(accepts, true);
    const result = await enumerateSuites(tryHello, candidates);
    expect(result).to.deep.equal({ accepted: [250, 7, 130], order: 'server' });
    expect(Math.max(...offers.map((o) => o.length))).to.equal(128);
    // Chunk 1: 7, refused; chunk 2: 250, 130, refused; chunk 3: refused; 2 to test preference; 1 to order.
    expect(offers).to.have.length(2 + 3 + 1 + 2 + 1);
  });

  it('reports client preference when the order of the offer decides', async () => {
    const { tryHello } = server([5, 9, 11], false);
    const result = await enumerateSuites(tryHello, candidates);
    expect(result).to.deep.equal({ accepted: [5, 9, 11], order: 'client' });
  });

  it('reports no order when a reordered hello is refused, or when the server follows neither order', async () => {
    const flaky = server([5, 9], false);
    let hellos = 0;
    const refusesTheBackwardHello = async (suites: readonly number[]): Promise<HelloAnswer> => (++hellos === 4 ? { outcome: 'refused', detail: 'handshake_failure' } : flaky.tryHello(suites));
    expect(await enumerateSuites(refusesTheBackwardHello, [5, 9])).to.deep.equal({ accepted: [5, 9], order: 'unknown' });
    // Always the second suite offered: it depends on the client's order without following it.
    const contrary = async (suites: readonly number[]): Promise<HelloAnswer> => ({ outcome: 'chose', suite: suites[Math.min(1, suites.length - 1)]! });
    expect(await enumerateSuites(contrary, [5, 9])).to.deep.equal({ accepted: [9, 5], order: 'unknown' });
  });

  it('has no preference to report with a single suite, and nothing when everything is refused', async () => {
    expect(await enumerateSuites(server([42], true).tryHello, candidates)).to.deep.equal({ accepted: [42], order: 'unknown' });
    expect(await enumerateSuites(server([], true).tryHello, candidates)).to.deep.equal({ accepted: [], order: 'unknown' });
  });

  it('refuses to believe a server that chooses a suite it was not offered', async () => {
    const liar = async (): Promise<HelloAnswer> => ({ outcome: 'chose', suite: 0xc02f });
    let error: unknown;
    await enumerateSuites(liar, [1, 2, 3]).catch((e) => (error = e));
    expect(error).to.be.instanceOf(ChoiceNotOfferedError).with.property('message', 'the server chose 0xc02f, which was not offered');
  });
});
