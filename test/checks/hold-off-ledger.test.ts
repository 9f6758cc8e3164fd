import { expect } from 'chai';
import { HoldOffLedger } from '../../harness/checks/hold-off/ledger.js';
import type { AuthObservation } from '../../harness/probes/auth-observation.js';

const seen = (outcome: AuthObservation['outcome'], more: Partial<AuthObservation> = {}): AuthObservation => ({ outcome, detail: more.detail ?? outcome, latencyMs: 1, sent: '', received: '', ...more });

describe('hold-off ledger (per login, shared by the checks of a run)', () => {
  it('marks a login held off on a lockout signal and clears it when the login answers again', () => {
    const ledger = new HoldOffLedger();
    ledger.observe('web', 'admin', 'S1.1-02/default-credentials/web', seen('locked', { lockoutSignal: 'HTTP 429 Retry-After: 5' }));
    expect(ledger.current('web')).to.deep.include({ kind: 'locked', signal: 'HTTP 429 Retry-After: 5', account: 'admin', checkId: 'S1.1-02/default-credentials/web' });
    expect(ledger.leftBy('S1.1-02/default-credentials/web').map((l) => l.service)).to.deep.equal(['web']);
    expect(ledger.current('ssh')).to.equal(null);
    ledger.observe('web', 'admin', 'S1.1-04/brute-force/web', seen('rejected'));
    expect(ledger.current('web')).to.equal(null);
  });

  it('counts refused or reset connections as a hold-off only once the service has answered', () => {
    const ledger = new HoldOffLedger();
    ledger.observe('ssh', 'root', 'c', seen('error', { failure: 'refused' }));
    expect(ledger.current('ssh')).to.equal(null);
    ledger.observe('ssh', 'root', 'c', seen('rejected'));
    ledger.observe('ssh', 'root', 'c', seen('error', { failure: 'reset', detail: 'ECONNRESET' }));
    expect(ledger.current('ssh')).to.deep.include({ kind: 'unanswered', signal: 'ECONNRESET' });
    ledger.observe('ssh', 'root', 'c', seen('error', { failure: 'protocol' }));
    expect(ledger.current('ssh')?.kind).to.equal('unanswered');
  });

  it('keeps a silent lockout through "wrong password" answers until the accepted credential ends it', () => {
    const ledger = new HoldOffLedger();
    ledger.mark('web', { kind: 'silent-lockout', signal: 'HTTP 401', account: 'admin', checkId: 'S1.1-04/brute-force/web', since: 1 });
    ledger.observe('web', 'admin', 'S1.1-12/plaintext/web', seen('rejected'));
    expect(ledger.current('web')?.kind).to.equal('silent-lockout');
    ledger.observe('web', 'admin', 'S1.1-12/plaintext/web', seen('accepted'));
    expect(ledger.current('web')).to.equal(null);
  });

  it('keeps when a hold-off began while it lasts', () => {
    const ledger = new HoldOffLedger();
    ledger.observe('web', 'admin', 'a', seen('locked', { lockoutSignal: 'HTTP 429' }));
    const since = ledger.current('web')!.since;
    ledger.observe('web', 'admin', 'b', seen('locked', { lockoutSignal: 'HTTP 429' }));
    expect(ledger.current('web')).to.deep.include({ since, checkId: 'b' });
  });
});
