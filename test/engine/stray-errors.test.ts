import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { RunRecord } from '../../harness/evidence/records.js';
import type { CheckContext } from '../../harness/suite/context.js';
import { requirementSuite } from '../../harness/suite/define.js';
import { pass } from '../../harness/verdicts/outcome.js';
import { DEVICE, runProfile } from '../support/run-profile.js';

const wait = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

function noted(ctx: CheckContext): void {
  ctx.evidence.record({ kind: 'note', summary: `${ctx.checkId} ran` });
}

// Device A's probes leave an 'error' event and a rejection unhandled; device B runs beside it, as in a fleet.
const strayA = requirementSuite('S1.1-03', (suite) => {
  suite.check({ id: 'S1.1-03/stray/error-event', title: 'an error event without a listener' }, async (ctx) => {
    noted(ctx);
    setTimeout(() => new EventEmitter().emit('error', new Error('probe socket reset')), 100);
    await wait(5000, ctx.signal);
    return pass('the stray error was missed');
  });
  suite.check({ id: 'S1.1-03/stray/rejection', title: 'a rejection nobody awaited' }, async (ctx) => {
    noted(ctx);
    setTimeout(() => void Promise.reject(new Error('unawaited login')), 100);
    await wait(5000, ctx.signal);
    return pass('the stray rejection was missed');
  });
  suite.check({ id: 'S1.1-03/stray/after', title: 'the next check' }, async (ctx) => {
    noted(ctx);
    return pass('ran on its own');
  });
});
const steadyB = requirementSuite('S1.1-03', (suite) => {
  for (const n of [1, 2, 3]) {
    suite.check({ id: `S1.1-03/steady/${n}`, title: `steady check ${n}` }, async (ctx) => {
      noted(ctx);
      await wait(250);
      return pass(`check ${n} done`);
    });
  }
});

function checkRecords(runDir: string): string[] {
  return readFileSync(join(runDir, 'evidence.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as RunRecord)
    .flatMap((r) => (r.type === 'check-start' ? [`start ${r.checkId}`] : r.type === 'verdict' ? [`${r.verdict} ${r.checkId}`] : []));
}

describe('errors a check leaves unhandled (two runs in one process, as in a fleet)', function () {
  this.timeout(60000);
  // The test runner's own process listeners are set aside while the runs go, as a jcstar process has none.
  const events = ['uncaughtException', 'unhandledRejection'] as const;
  type Listener = (...args: unknown[]) => void;
  let aside: Map<string, Listener[]>;
  beforeEach(() => {
    aside = new Map(events.map((e) => [e, process.listeners(e as 'uncaughtException') as Listener[]]));
    for (const e of events) process.removeAllListeners(e);
  });
  afterEach(() => {
    for (const e of events) {
      process.removeAllListeners(e);
      for (const l of aside.get(e)!) process.on(e as 'uncaughtException', l);
    }
  });

  it("end the check that raised them as a harness ERROR, and touch neither its next check nor the other device's", async () => {
    const profile = (host: string) => ({ device: DEVICE, target: { host }, scope: [`${host}/32`] });
    const [a, b] = await Promise.all([
      runProfile(profile('127.0.99.31'), { suites: [strayA], only: ['S1.1-03'] }),
      runProfile(profile('127.0.99.32'), { suites: [steadyB], only: ['S1.1-03'] }),
    ]);
    const verdicts = (checks: typeof a.results.checks) => checks.map((c) => [c.id, c.verdict, c.reason.split(' | ')[0]]);
    expect(verdicts(a.results.checks)).to.deep.equal([
      ['S1.1-03/stray/error-event', 'ERROR', 'harness error: an error no probe handled: Error: probe socket reset'],
      ['S1.1-03/stray/rejection', 'ERROR', 'harness error: an error no probe handled: Error: unawaited login'],
      ['S1.1-03/stray/after', 'PASS', 'ran on its own'],
    ]);
    expect(verdicts(b.results.checks).map(([, v]) => v)).to.deep.equal(['PASS', 'PASS', 'PASS']);
    // One check at a time on each device: no check started before the one before it had its verdict.
    for (const { runDir, checks } of [
      { runDir: a.runDir, checks: [['stray/error-event', 'ERROR'], ['stray/rejection', 'ERROR'], ['stray/after', 'PASS']] },
      { runDir: b.runDir, checks: [['steady/1', 'PASS'], ['steady/2', 'PASS'], ['steady/3', 'PASS']] },
    ]) {
      expect(checkRecords(runDir)).to.deep.equal(checks.flatMap(([id, verdict]) => [`start S1.1-03/${id}`, `${verdict} S1.1-03/${id}`]));
    }
    for (const e of events) expect(process.listenerCount(e), e).to.equal(0);
  });
});
