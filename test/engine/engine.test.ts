import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { exitCodeFor } from '../../harness/cli/exit-codes.js';
import { requirementSuite } from '../../harness/suite/define.js';
import { fail, pass } from '../../harness/verdicts/outcome.js';
import { countingListener, type CountingListener } from '../support/listeners.js';
import { expectValidRunFolder } from '../support/run-folder.js';
import { DEVICE, runProfile } from '../support/run-profile.js';

const HOST = '127.0.0.2';

describe('engine', () => {
  let device: CountingListener;
  let profile: Record<string, unknown>;
  before(async () => {
    device = await countingListener(HOST);
    profile = {
      device: DEVICE,
      target: { host: HOST },
      scope: [`${HOST}/32`],
      services: [{ name: 'web', protocol: 'http', port: device.port, auth: 'basic' }],
    };
  });
  after(() => device.close());

  it('lists all 16 requirements, with an honest verdict for those without checks', async () => {
    const suite = requirementSuite('S1.1-04', (s) => s.check({ id: 'S1.1-04/x/y', title: 'x' }, async (ctx) => {
      ctx.evidence.record({ kind: 'observation', summary: 'saw it' });
      return pass('fine');
    }));
    const { results } = await runProfile(profile, { suites: [suite] });
    expect(results.requirements.map((r) => r.id)).to.deep.equal(Array.from({ length: 16 }, (_, i) => `S1.1-${String(i + 1).padStart(2, '0')}`));
    expect(results.requirements.find((r) => r.id === 'S1.1-04')!.verdict).to.equal('PASS');
    const untested = results.requirements.find((r) => r.id === 'S1.1-12')!;
    expect(untested.verdict).to.equal('INCONCLUSIVE');
    expect(untested.reason).to.equal('no automated check yet and nothing declared in the profile');
  });

  it('turns a PASS without evidence into an ERROR, and a thrown check into an ERROR, and carries on', async () => {
    const suite = requirementSuite('S1.1-04', (s) => {
      s.check({ id: 'S1.1-04/no-evidence', title: 'claims pass' }, async () => pass('trust me'));
      s.check({ id: 'S1.1-04/throws', title: 'throws' }, async () => {
        throw new Error('probe bug');
      });
      s.check({ id: 'S1.1-04/fails', title: 'fails' }, async (ctx) => {
        ctx.evidence.record({ kind: 'observation', summary: 'bad' });
        return fail('found it');
      });
    });
    const { results } = await runProfile(profile, { suites: [suite] });
    const byId = Object.fromEntries(results.checks.map((c) => [c.id, c]));
    expect(byId['S1.1-04/no-evidence']!.verdict).to.equal('ERROR');
    expect(byId['S1.1-04/no-evidence']!.reason).to.contain('claimed PASS without recording any evidence');
    expect(byId['S1.1-04/throws']!.verdict).to.equal('ERROR');
    expect(byId['S1.1-04/throws']!.reason).to.contain('probe bug');
    expect(byId['S1.1-04/fails']!.verdict).to.equal('FAIL');
    expect(results.requirements.find((r) => r.id === 'S1.1-04')!.verdict).to.equal('FAIL');
    expect(exitCodeFor(results)).to.equal(1);
  });

  it('gives INCONCLUSIVE when a check overruns its budget, and aborts its signal', async () => {
    let aborted = false;
    const suite = requirementSuite('S1.1-04', (s) => s.check({ id: 'S1.1-04/slow', title: 'slow', budgetMs: 200 }, async (ctx) => {
      ctx.signal.addEventListener('abort', () => (aborted = true));
      await sleep(5000, undefined, { signal: ctx.signal }).catch(() => {});
      return pass('too late');
    }));
    const { results } = await runProfile(profile, { suites: [suite] });
    expect(results.checks[0]!.verdict).to.equal('INCONCLUSIVE');
    expect(results.checks[0]!.reason).to.equal('the check did not finish within its budget of 200 ms');
    expect(aborted).to.equal(true);
  });

  it('refuses a connection outside the scope before any packet is sent', async () => {
    const outside = await countingListener('127.0.0.3');
    try {
      const suite = requirementSuite('S1.1-04', (s) => s.check({ id: 'S1.1-04/stray', title: 'stray' }, async (ctx) => {
        await ctx.net.connectTcp(outside.host, outside.port);
        return pass('connected');
      }));
      const { results } = await runProfile(profile, { suites: [suite] });
      expect(results.checks[0]!.verdict).to.equal('ERROR');
      expect(results.checks[0]!.reason).to.contain(`refused to contact 127.0.0.3: outside the profile's scope (${HOST}/32)`);
      expect(outside.connections()).to.equal(0);
    } finally {
      await outside.close();
    }
  });

  it('leaves a valid, partial run folder marked interrupted when the run is aborted', async () => {
    const controller = new AbortController();
    const suite = requirementSuite('S1.1-04', (s) => {
      s.check({ id: 'S1.1-04/first', title: 'first' }, async (ctx) => {
        ctx.evidence.record({ kind: 'observation', summary: 'first ran' });
        return pass('ok');
      });
      s.check({ id: 'S1.1-04/second', title: 'second' }, async (ctx) => {
        ctx.evidence.record({ kind: 'observation', summary: 'second started' });
        controller.abort();
        await sleep(5000, undefined, { signal: ctx.signal }).catch(() => {});
        return pass('never');
      });
      s.check({ id: 'S1.1-04/third', title: 'third' }, async () => pass('never'));
    });
    const { results, runDir } = await runProfile(profile, { suites: [suite], signal: controller.signal });
    expect(results.run.status).to.equal('interrupted');
    expect(results.checks.map((c) => c.verdict)).to.deep.equal(['PASS', 'INCONCLUSIVE', 'INCONCLUSIVE']);
    expect(results.checks[1]!.reason).to.equal('the run was interrupted while this check was running');
    expect(results.checks[2]!.reason).to.equal('not run: the run was interrupted before this check');
    expect(results.requirements.find((r) => r.id === 'S1.1-04')!.verdict).to.not.equal('PASS');
    expect(exitCodeFor(results)).to.equal(130);
    expectValidRunFolder(runDir);
    expect(JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8')).run.status).to.equal('interrupted');
  });

  it('stops early with exit code 3 when no declared TCP service answers', async () => {
    const closed = await countingListener(HOST);
    const port = closed.port;
    await closed.close();
    let ran = false;
    const suite = requirementSuite('S1.1-04', (s) => s.check({ id: 'S1.1-04/x', title: 'x' }, async () => ((ran = true), pass('x'))));
    const { results, runDir } = await runProfile({ ...profile, services: [{ name: 'web', protocol: 'http', port, auth: 'basic' }] }, { suites: [suite] });
    expect(ran).to.equal(false);
    expect(results.run.status).to.equal('aborted');
    expect(results.run.statusReason).to.equal(`target ${HOST} unreachable: no declared TCP service answered (web ${port}/tcp refused)`);
    expect(results.runEvidence.map((e) => e.summary)).to.have.length(1);
    expect(exitCodeFor(results)).to.equal(3);
    expectValidRunFolder(runDir);
  });

  it('marks requirements outside --only as not selected and runs none of their checks', async () => {
    const suites = ['S1.1-03', 'S1.1-04'].map((id) => requirementSuite(id, (s) => s.check({ id: `${id}/x`, title: 'x' }, async (ctx) => {
      ctx.evidence.record({ kind: 'observation', summary: 'ran' });
      return pass('x');
    })));
    const { results } = await runProfile(profile, { suites, only: ['S1.1-04'] });
    expect(results.checks.map((c) => c.id)).to.deep.equal(['S1.1-04/x']);
    const skipped = results.requirements.find((r) => r.id === 'S1.1-03')!;
    expect([skipped.verdict, skipped.reason]).to.deep.equal(['INCONCLUSIVE', 'not selected in this run (--only)']);
  });
});
