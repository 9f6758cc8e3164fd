import { expect } from 'chai';
import { rollUp } from '../../harness/verdicts/rollup.js';
import type { Verdict } from '../../harness/verdicts/verdict.js';

const checks = (...verdicts: Verdict[]) => verdicts.map((verdict) => ({ verdict, mandatory: true }));
const doc = (hasDeclarations: boolean) => ({ hasDeclarations, evaluation: 'document' });

describe('requirement roll-up', () => {
  it('fails on any FAIL, whatever else', () => expect(rollUp(checks('PASS', 'FAIL', 'ERROR'), doc(true)).verdict).to.equal('FAIL'));
  it('passes only when every mandatory check passes or is not applicable', () => {
    expect(rollUp(checks('PASS', 'NOT_APPLICABLE'), doc(false)).verdict).to.equal('PASS');
    expect(rollUp(checks('PASS', 'INCONCLUSIVE'), doc(false)).verdict).to.equal('INCONCLUSIVE');
    expect(rollUp(checks('PASS', 'MANUAL'), doc(false)).verdict).to.equal('MANUAL');
  });
  it('never passes on NOT_APPLICABLE alone', () => expect(rollUp(checks('NOT_APPLICABLE'), doc(false)).verdict).to.equal('INCONCLUSIVE'));
  it('reports a harness ERROR rather than hiding it', () => expect(rollUp(checks('PASS', 'ERROR'), doc(false)).verdict).to.equal('ERROR'));
  it('lets an optional check inform without holding back a PASS', () => {
    expect(rollUp([{ verdict: 'PASS', mandatory: true }, { verdict: 'INCONCLUSIVE', mandatory: false }], doc(false)).verdict).to.equal('PASS');
  });
  it('asks for a person when there is no check but a declaration', () => {
    expect(rollUp([], doc(true))).to.deep.equal({ verdict: 'MANUAL', reason: 'no automated check yet; a person must review the vendor declaration' });
    expect(rollUp([], doc(false)).verdict).to.equal('INCONCLUSIVE');
  });
  it('never lets a declaration stand in for a requirement ★1 evaluates on the device', () => {
    expect(rollUp([], { hasDeclarations: true, evaluation: 'device' })).to.deep.equal({
      verdict: 'INCONCLUSIVE',
      reason: '★1 evaluates this on the device and jcstar has no automated check for it yet',
    });
  });
});
