import { expect } from 'chai';
import { classifyBurst } from '../../harness/checks/brute-force/classify.js';
import { attemptsCsv } from '../../harness/checks/brute-force/csv.js';
import type { BruteForceAttempt } from '../../harness/checks/brute-force/observation.js';
import { projectFromLockout, projectFromThroughput } from '../../harness/checks/brute-force/project.js';

function attempts(spec: Array<[number, BruteForceAttempt['outcome'], string?]>, spacingMs = 200): BruteForceAttempt[] {
  return spec.map(([latencyMs, outcome, failure], i) => ({
    index: i + 1,
    phase: 'burst',
    startMs: i * spacingMs,
    latencyMs,
    outcome,
    detail: outcome === 'locked' ? 'HTTP 429' : 'HTTP 401',
    failure: failure ?? null,
    lockoutSignal: outcome === 'locked' ? 'HTTP 429 Retry-After: 30' : null,
    evidenceSeq: i,
  }));
}

describe('brute-force classification', () => {
  it('calls prompt refusals with no hold-off "none"', () => {
    const c = classifyBurst(attempts(Array.from({ length: 10 }, () => [5, 'rejected'] as [number, 'rejected'])));
    expect(c).to.deep.equal({ mechanism: 'none', basis: '10 wrong guesses refused promptly (median 5 ms), none held off or slowed', guessesBeforeHoldOff: 10, holdOffAt: null });
  });

  it('sees a lockout candidate when the device starts holding off and does not answer again', () => {
    const c = classifyBurst(attempts([[5, 'rejected'], [5, 'rejected'], [5, 'locked'], [5, 'locked']]));
    expect([c.mechanism, c.guessesBeforeHoldOff, c.holdOffAt]).to.deep.equal(['lockout', 2, 2]);
    expect(c.basis).to.equal('held off from attempt 3 on (HTTP 429 Retry-After: 30) after 2 answered guesses');
  });

  it('counts refused or reset connections after answers as a hold-off, but not before any answer', () => {
    expect(classifyBurst(attempts([[5, 'rejected'], [5, 'error', 'refused']])).holdOffAt).to.equal(1);
    expect(classifyBurst(attempts([[5, 'error', 'refused'], [5, 'rejected']])).holdOffAt).to.equal(null);
  });

  it('calls hold-offs followed by answers a rate limit', () => {
    expect(classifyBurst(attempts([[5, 'rejected'], [5, 'locked'], [5, 'rejected']])).mechanism).to.equal('rate-limit');
  });

  it('sees a progressive delay when late refusals take twice as long and at least 500 ms more', () => {
    const c = classifyBurst(attempts([[100, 'rejected'], [150, 'rejected'], [400, 'rejected'], [800, 'rejected'], [1600, 'rejected'], [3200, 'rejected']]));
    expect(c.mechanism).to.equal('progressive-delay');
    expect(c.basis).to.equal('answers slowed from a median 125 ms to 2400 ms');
  });

  it('calls a constant long delay a rate limit, and small jitter nothing', () => {
    expect(classifyBurst(attempts(Array.from({ length: 6 }, () => [1000, 'rejected'] as [number, 'rejected']))).mechanism).to.equal('rate-limit');
    expect(classifyBurst(attempts([[10, 'rejected'], [12, 'rejected'], [30, 'rejected'], [40, 'rejected']])).mechanism).to.equal('none');
  });
});

describe('brute-force projection', () => {
  it('projects answered guesses over the time they took to a day', () => {
    expect(projectFromThroughput(attempts(Array.from({ length: 11 }, () => [0, 'rejected'] as [number, 'rejected']), 1000))).to.equal(95040);
  });
  it('ignores attempts without a verdict', () => {
    expect(projectFromThroughput(attempts([[0, 'rejected'], [0, 'locked'], [0, 'rejected']], 1000))).to.equal(86400);
  });
  it('projects a lockout as guesses per lockout cycle', () => {
    expect(projectFromLockout(5, 300_000, 0)).to.equal(1440);
    expect(projectFromLockout(8, 7_000, 125)).to.equal(86400);
  });
});

describe('per-attempt CSV', () => {
  it('has a header and one quoted-where-needed row per attempt', () => {
    const rows = attemptsCsv(attempts([[12.34, 'rejected'], [5, 'locked']])).split('\r\n');
    expect(rows[0]).to.equal('index,phase,start_ms,latency_ms,outcome,detail,failure,lockout_signal,evidence_seq');
    expect(rows[1]).to.equal('1,burst,0.0,12.3,rejected,HTTP 401,,,0');
    expect(rows[2]).to.equal('2,burst,200.0,5.0,locked,HTTP 429,,HTTP 429 Retry-After: 30,1');
    expect(attemptsCsv([{ ...attempts([[1, 'rejected']])[0]!, detail: 'say "no", twice' }]).split('\r\n')[1]).to.contain('"say ""no"", twice"');
  });
});
