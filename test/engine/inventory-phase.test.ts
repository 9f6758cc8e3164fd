import { expect } from 'chai';
import { readRecords } from '../../harness/evidence/store.js';
import { requirementSuite, serviceTarget } from '../../harness/suite/define.js';
import { pass } from '../../harness/verdicts/outcome.js';
import { identity } from '../inventory/identity-fixtures.js';
import { DEVICE, runProfile } from '../support/run-profile.js';
import { countingListener, type CountingListener } from '../support/listeners.js';

// Only the preflight touches the network: one connection to the declared web port, which this listener accepts.
const HOST = '127.0.0.1';
let device: CountingListener;
let WEB = 0;
const document = () => ({
  device: DEVICE,
  target: { host: HOST },
  scope: [`${HOST}/32`],
  services: [{ name: 'web', protocol: 'https', port: WEB, auth: 'basic' }],
});

/** An inventory that "finds" the declared web server and an undeclared Telnet, without touching the network. */
const inventory = requirementSuite('S1.1-01', (suite) => {
  suite.check({ id: 'S1.1-01/interface-inventory/tcp', title: 'inventory', phase: 'inventory' }, async (ctx) => {
    suite.surface.tcp = { host: HOST, ports: '1-65535', done: '1-65535', open: [23, WEB], filtered: [], closedCount: 65533, durationMs: 1, attempts: 65535, resumedFrom: null };
    suite.surface.udp = { host: HOST, ports: [], durationMs: 1 };
    suite.surface.identify(identity(23, 'telnet', { protocol: 'telnet', auth: 'password' }));
    suite.surface.identify(identity(WEB, 'http', { protocol: 'https', tls: true }));
    ctx.evidence.record({ kind: 'observation', summary: 'found 23/tcp and the web port' });
    return pass('inventory done');
  });
}, { readsSurface: true });

/** A suite that tests every service, declared or discovered, as S1.1-02 and S1.1-12 do. */
const perService = requirementSuite('S1.1-02', (suite) => {
  for (const service of [...suite.profile.services, ...suite.discovered]) {
    suite.check({ id: `S1.1-02/try/${service.name}`, title: `try ${service.name}`, target: serviceTarget(suite.profile, service) }, async (ctx) => {
      ctx.evidence.record({ kind: 'note', summary: `tried ${service.name}` });
      return pass(`${service.name} tried`);
    });
  }
}, { readsSurface: true });

const unrelated = requirementSuite('S1.1-04', (suite) => {
  suite.check({ id: 'S1.1-04/x/web', title: 'x' }, async (ctx) => {
    ctx.evidence.record({ kind: 'note', summary: `sees ${ctx.surface.identities.length} identities` });
    return pass('ran');
  });
});

describe('engine: the inventory runs first and plans the checks of what it found', () => {
  before(async () => {
    device = await countingListener(HOST);
    WEB = device.port;
  });
  after(() => device.close());

  it('plans checks for the undeclared service the inventory identified, and tables every interface with its checks', async () => {
    const { results, runDir } = await runProfile(document(), { suites: [inventory, perService, unrelated] });
    expect(results.checks.map((c) => c.id)).to.deep.equal([
      'S1.1-01/interface-inventory/tcp',
      'S1.1-02/try/web',
      'S1.1-02/try/undeclared-telnet-23',
      'S1.1-04/x/web',
    ]);
    expect(results.checks.every((c) => c.verdict === 'PASS')).to.equal(true);
    expect(results.checks.find((c) => c.id === 'S1.1-04/x/web')!.evidence[0]!.summary).to.equal('sees 2 identities');
    expect(results.interfaces.map((i) => [i.port, i.declared, i.debug, i.checks])).to.deep.equal([
      [23, null, 'Telnet, a login shell in plaintext', ['S1.1-02/try/undeclared-telnet-23']],
      [WEB, 'web', null, ['S1.1-02/try/web']],
    ]);
    // The interface table is written between the inventory's verdict and the plan of the checks it enables.
    const types = readRecords(runDir).map((r) => (r.type === 'check-planned' ? `planned ${r.checkId}` : r.type === 'verdict' ? `verdict ${r.checkId}` : r.type));
    const at = (t: string) => types.indexOf(t);
    expect(at('verdict S1.1-01/interface-inventory/tcp')).to.be.lessThan(at('interfaces'));
    expect(at('interfaces')).to.be.lessThan(at('planned S1.1-02/try/undeclared-telnet-23'));
  });

  it('skips the inventory when no selected suite reads the surface', async () => {
    const { results } = await runProfile(document(), { suites: [inventory, perService, unrelated], only: ['S1.1-04'] });
    expect(results.checks.map((c) => [c.id, c.evidence[0]?.summary])).to.deep.equal([['S1.1-04/x/web', 'sees 0 identities']]);
    expect(results.interfaces).to.deep.equal([]);
  });

  it('runs the inventory for a selected suite that reads the surface, even when its own requirement is not selected', async () => {
    const { results } = await runProfile(document(), { suites: [inventory, perService, unrelated], only: ['S1.1-02'] });
    expect(results.checks.map((c) => c.id)).to.deep.equal(['S1.1-01/interface-inventory/tcp', 'S1.1-02/try/web', 'S1.1-02/try/undeclared-telnet-23']);
  });
});
