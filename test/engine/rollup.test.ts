import { expect } from 'chai';
import { rollUp } from '../../harness/verdicts/rollup.js';
import type { Verdict } from '../../harness/verdicts/verdict.js';

const checks = (...verdicts: Verdict[]) => verdicts.map((verdict) => ({ verdict, mandatory: true }));

describe('requirement roll-up', () => {
  it('fails on any FAIL, whatever else', () => expect(rollUp(checks('PASS', 'FAIL', 'ERROR'), true).verdict).to.equal('FAIL'));
  it('passes only when every mandatory check passes or is not applicable', () => {
    expect(rollUp(checks('PASS', 'NOT_APPLICABLE'), false).verdict).to.equal('PASS');
    expect(rollUp(checks('PASS', 'INCONCLUSIVE'), false).verdict).to.equal('INCONCLUSIVE');
    expect(rollUp(checks('PASS', 'MANUAL'), false).verdict).to.equal('MANUAL');
  });
  it('never passes on NOT_APPLICABLE alone', () => expect(rollUp(checks('NOT_APPLICABLE'), false).verdict).to.equal('INCONCLUSIVE'));
  it('reports a harness ERROR rather than hiding it', () => expect(rollUp(checks('PASS', 'ERROR'), false).verdict).to.equal('ERROR'));
  it('lets an optional check inform without holding back a PASS', () => {
    expect(rollUp([{ verdict: 'PASS', mandatory: true }, { verdict: 'INCONCLUSIVE', mandatory: false }], false).verdict).to.equal('PASS');
  });
  it('asks for a person when there is no check but a declaration', () => {
    expect(rollUp([], true)).to.deep.equal({ verdict: 'MANUAL', reason: 'no automated check yet; a person must review the vendor declaration' });
    expect(rollUp([], false).verdict).to.equal('INCONCLUSIVE');
  });
});
