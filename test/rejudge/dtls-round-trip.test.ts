import { expect } from 'chai';
import { loadBaseCryptoRules } from '../../harness/crypto/load.js';
import { readRecords } from '../../harness/evidence/store.js';
import type { VerdictRecord } from '../../harness/evidence/records.js';
import { rejudgeRun } from '../../harness/rejudge/rejudge.js';
import { COAP_SERVER_BINARIES, startCoapServer, type CoapServer } from '../support/coap-server.js';
import { requireBinaries } from '../support/daemons.js';
import { DEVICE, runProfile } from '../support/run-profile.js';

const HOST = '127.0.61.7';
const CHECK = 'S1.1-12/crypto/coaps';

describe('re-judging a DTLS observation recorded from real libcoap coap-server (PSK)', function () {
  this.timeout(120000);
  let server: CoapServer;
  before(async function () {
    requireBinaries(this, COAP_SERVER_BINARIES);
    server = await startCoapServer({ host: HOST, security: 'psk' });
  });
  after(() => server?.stop());

  it('reads the stored observation back through JSON and judges it to the same verdict and reason; without ARIA on any list it FAILs', async () => {
    const document = {
      device: DEVICE,
      target: { host: HOST },
      scope: [`${HOST}/32`],
      services: [{ name: 'coaps', protocol: 'coaps', port: server.port, auth: 'psk' }],
      policy: { budgets: { replyTimeoutMs: 1000 }, portScan: { tcpPorts: '' } },
    };
    const { runDir, results } = await runProfile(document, { only: ['S1.1-12'] });
    const live = results.checks.find((c) => c.id === CHECK)!;
    expect(live.verdict, live.reason).to.equal('PASS');
    expect(live.warnings.map((w) => w.replace(/ \(.*$/, ''))).to.deep.equal(['accepts TLS_PSK_WITH_ARIA_128_GCM_SHA256 on DTLSv1.2', 'accepts TLS_PSK_WITH_ARIA_256_GCM_SHA384 on DTLSv1.2']);
    expect(live.evidence.find((e) => e.kind === 'observation')!.data).to.include({ judge: 'dtls', service: 'coaps' });

    const { rejudge, records } = rejudgeRun(readRecords(runDir), { crypto: loadBaseCryptoRules(), policy: null }, { runDir, evidenceSha256: 'x' });
    expect(rejudge.rejudged).to.deep.equal([CHECK]);
    expect(rejudge.changes).to.deep.equal([]);
    const again = records.find((r): r is VerdictRecord => r.type === 'verdict' && r.checkId === CHECK)!;
    expect([again.verdict, again.reason, again.warnings ?? []]).to.deep.equal([live.verdict, live.reason, live.warnings]);

    // A rule set that no longer lists ARIA fails it: anything on no list fails.
    const stricter = structuredClone(loadBaseCryptoRules());
    stricter.rules.version = 'crypto-2027.01-test';
    for (const group of stricter.rules.dtls.cipherSuites.warn) group.items = group.items.filter((s) => !s.includes('ARIA'));
    stricter.rules.dtls.cipherSuites.warn = stricter.rules.dtls.cipherSuites.warn.filter((g) => g.items.length > 0);
    const strict = rejudgeRun(readRecords(runDir), { crypto: stricter, policy: null }, { runDir, evidenceSha256: 'x' });
    expect(strict.rejudge.changes.map((c) => [c.checkId, c.from, c.to])).to.deep.equal([[CHECK, 'PASS', 'FAIL']]);
    expect(strict.rejudge.changes[0]!.reason).to.match(/^accepts TLS_PSK_WITH_ARIA_128_GCM_SHA256 on DTLSv1\.2 .*; accepts TLS_PSK_WITH_ARIA_256_GCM_SHA384 on DTLSv1\.2 .*\(rules crypto-2027\.01-test\)$/);
  });
});
