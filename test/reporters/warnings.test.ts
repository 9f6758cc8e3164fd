import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { loadCatalogue } from '../../harness/catalogue/load.js';
import { readRecords } from '../../harness/evidence/store.js';
import { buildResults } from '../../harness/results/build.js';
import { requirementSuite } from '../../harness/suite/define.js';
import { pass } from '../../harness/verdicts/outcome.js';
import { countingListener, type CountingListener } from '../support/listeners.js';
import { expectValidRunFolder } from '../support/run-folder.js';
import { DEVICE, runProfile } from '../support/run-profile.js';

const HOST = '127.0.0.2';

describe('warnings from a check to every report', () => {
  let device: CountingListener;
  before(async () => {
    device = await countingListener(HOST);
  });
  after(() => device.close());

  it('keeps a PASS a PASS, and carries its warnings through the evidence log into results, JUnit and HTML', async () => {
    const suite = requirementSuite('S1.1-12', (s) => {
      s.check({ id: 'S1.1-12/tls/web', title: 'TLS' }, async (ctx) => {
        ctx.evidence.record({ kind: 'observation', summary: 'suites read' });
        return { ...pass('all clean but one, with 1 warning(s): mac hmac-sha1'), warnings: ['mac hmac-sha1 (SHA-1)'] };
      });
      s.check({ id: 'S1.1-12/tls/plain', title: 'no warnings' }, async (ctx) => {
        ctx.evidence.record({ kind: 'observation', summary: 'clean' });
        return pass('clean');
      });
    });
    const profile = { device: DEVICE, target: { host: HOST }, scope: [`${HOST}/32`], services: [{ name: 'web', protocol: 'http', port: device.port, auth: 'basic' }] };
    const { results, runDir } = await runProfile(profile, { suites: [suite] });
    expectValidRunFolder(runDir);
    const byId = Object.fromEntries(results.checks.map((c) => [c.id, c]));
    expect(byId['S1.1-12/tls/web']).to.include({ verdict: 'PASS' });
    expect(byId['S1.1-12/tls/web']!.warnings).to.deep.equal(['mac hmac-sha1 (SHA-1)']);
    expect(byId['S1.1-12/tls/plain']!.warnings).to.deep.equal([]);
    expect(results.formatVersion).to.equal(3);

    const verdicts = readRecords(runDir).filter((r) => r.type === 'verdict');
    expect(verdicts.map((v) => (v.type === 'verdict' ? v.warnings : null))).to.deep.equal([['mac hmac-sha1 (SHA-1)'], undefined]);
    // `jcstar report` rebuilds from evidence.jsonl alone.
    expect(buildResults(readRecords(runDir), loadCatalogue())).to.deep.equal(results);

    expect(readFileSync(join(runDir, 'junit.xml'), 'utf8')).to.include('<system-out>warning: mac hmac-sha1 (SHA-1)</system-out>');
    expect(readFileSync(join(runDir, 'report.html'), 'utf8')).to.include('<ul class="warnings"><li>mac hmac-sha1 (SHA-1)</li></ul>');
  });
});
