import { expect } from 'chai';
import { create } from 'xmlbuilder2';
import { renderFleetHtml } from '../../harness/fleet/html.js';
import { renderFleetJunit } from '../../harness/fleet/junit.js';
import { buildFleetSummary, exitCodeForFleet, type DeviceSummary } from '../../harness/fleet/summary.js';

const HOSTILE = '<script>alert(1)</script>"\'&';

function device(unit: string, outcome: DeviceSummary['outcome']): DeviceSummary {
  return {
    unit,
    folder: unit,
    runId: `run-${unit}`,
    status: outcome === 'interrupted' ? 'interrupted' : 'complete',
    statusReason: null,
    outcome,
    device: { vendor: HOSTILE, model: 'M', firmware: '1', unit },
    host: '127.0.0.1',
    requirements: { PASS: 1, FAIL: outcome === 'fail' ? 1 : 0, NOT_APPLICABLE: 0, INCONCLUSIVE: 14, MANUAL: 0, ERROR: 0 },
    checks: { PASS: 1, FAIL: 0, NOT_APPLICABLE: 0, INCONCLUSIVE: 0, MANUAL: 0, ERROR: 0 },
    failing: outcome === 'fail' ? ['S1.1-02'] : [],
    startedAt: '2026-12-03T10:00:00.000Z',
    finishedAt: '2026-12-03T10:01:00.000Z',
  };
}

const CROSS = { id: 'S1.1-02/fleet/unique-initial-passwords', requirement: 'S1.1-02', title: 't', verdict: 'FAIL' as const, reason: `units ${HOSTILE} and B share the same initial password`, units: [HOSTILE, 'B'], evidence: 'cross-unit/evidence.jsonl#0' };

describe('fleet summary views', () => {
  it('the outcome ranks interrupted over fail over error, and a cross-unit FAIL fails the fleet', () => {
    expect(buildFleetSummary('fleet', [device('A', 'no-fail'), device('B', 'error')], [], []).outcome).to.equal('error');
    expect(buildFleetSummary('fleet', [device('A', 'no-fail'), device('B', 'error')], [CROSS], []).outcome).to.equal('fail');
    expect(buildFleetSummary('fleet', [device('A', 'fail')], [], ['unit B: not run'], ['interrupted']).outcome).to.equal('interrupted');
    expect(exitCodeForFleet(buildFleetSummary('merge', [device('A', 'no-fail')], [], []))).to.equal(0);
  });

  it('HTML escapes everything that came from a device or a profile', () => {
    const page = renderFleetHtml(buildFleetSummary('fleet', [device(HOSTILE, 'fail')], [CROSS], [HOSTILE]));
    expect(page).to.not.include('<script>');
    expect(page).to.include('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;');
    expect(page).to.include('<h1>jcstar fleet summary: FAIL: at least one finding</h1>');
  });

  it('JUnit has a testcase per device and per cross-unit check, with failures where they FAIL', () => {
    const xml = renderFleetJunit(buildFleetSummary('fleet', [device('A', 'fail'), device('B', 'no-fail'), device('C', 'interrupted')], [CROSS], []));
    const doc = create(xml).end({ format: 'object' }) as any;
    const [devices, cross] = doc.testsuites.testsuite;
    expect([devices['@name'], devices['@tests'], devices['@failures'], devices['@skipped']]).to.deep.equal(['devices', '3', '1', '1']);
    expect(devices.testcase.map((t: any) => [t['@name'], t.failure?.['@message'] ?? t.skipped?.['@message'] ?? null])).to.deep.equal([['A', 'FAIL: S1.1-02'], ['B', null], ['C', 'interrupted']]);
    expect([cross['@name'], cross['@failures'], cross.testcase['@name']]).to.deep.equal(['cross-unit', '1', 'S1.1-02/fleet/unique-initial-passwords']);
  });
});
