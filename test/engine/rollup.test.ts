import { expect } from 'chai';
import { rollUp, type RolledUpCheck } from '../../harness/verdicts/rollup.js';
import type { Verdict } from '../../harness/verdicts/verdict.js';

const check = (verdict: Verdict, more: Partial<RolledUpCheck> = {}): RolledUpCheck => ({ id: `S1.1-02/c-${verdict.toLowerCase()}`, verdict, reason: `${verdict} reason`, mandatory: true, basis: 'observed', ...more });
const checks = (...verdicts: Verdict[]) => verdicts.map((verdict, i) => check(verdict, { id: `S1.1-02/c${i}` }));
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
    expect(rollUp([check('PASS'), check('INCONCLUSIVE', { mandatory: false })], doc(false)).verdict).to.equal('PASS');
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

  describe('reasons that say what a person must do', () => {
    it('names the failing checks and their first reasons, not only a count', () => {
      const failing = [1, 2, 3, 4].map((n) => check('FAIL', { id: `S1.1-02/default-credentials/s${n}`, reason: `s${n} accepted admin:admin` }));
      expect(rollUp([check('PASS'), ...failing], doc(true))).to.deep.equal({
        verdict: 'FAIL',
        reason: '4 check(s) failed: S1.1-02/default-credentials/s1: s1 accepted admin:admin | S1.1-02/default-credentials/s2: s2 accepted admin:admin | S1.1-02/default-credentials/s3: s3 accepted admin:admin | and 1 more',
      });
    });
    it('shortens a long check reason', () => {
      const reason = rollUp([check('FAIL', { id: 'S1.1-12/crypto/web', reason: 'x'.repeat(400) })], doc(true)).reason;
      expect(reason).to.equal(`1 check(s) failed: S1.1-12/crypto/web: ${'x'.repeat(159)}…`);
    });
    it('names the inconclusive checks', () => {
      expect(rollUp([check('PASS'), check('INCONCLUSIVE', { id: 'S1.1-01/unauthenticated-access/web', reason: 'web did not answer' })], doc(true))).to.deep.equal({
        verdict: 'INCONCLUSIVE',
        reason: '1 passed; 1 mandatory check(s) inconclusive: S1.1-01/unauthenticated-access/web: web did not answer',
      });
    });
    it('is MANUAL, not INCONCLUSIVE, when a document requirement found nothing on the device and only declarations remain', () => {
      const rolled = rollUp(
        [
          check('PASS', { id: 'S1.1-02/default-credentials/web' }),
          check('NOT_APPLICABLE', { id: 'S1.1-02/unique-per-device/fleet' }),
          check('MANUAL', { id: 'S1.1-02/default-password-scheme/declaration', basis: 'declared' }),
        ],
        doc(true),
      );
      expect(rolled).to.deep.equal({ verdict: 'MANUAL', reason: 'no finding on the device (2 check(s) passed or not applicable); 1 declaration(s) to review: S1.1-02/default-password-scheme/declaration' });
    });
    it('keeps a device-evaluated requirement with an open review as a plain MANUAL with the checks named', () => {
      const rolled = rollUp([check('PASS'), check('MANUAL', { id: 'S1.1-12/crypto/web', reason: 'to review: self-signed' })], { hasDeclarations: false, evaluation: 'unconfirmed' });
      expect(rolled).to.deep.equal({ verdict: 'MANUAL', reason: '1 passed; 1 check(s) need a person to review: S1.1-12/crypto/web: to review: self-signed' });
    });
  });
});
