import { expect } from 'chai';
import { classifyBurst } from '../../harness/checks/brute-force/classify.js';
import type { BruteForceAttempt } from '../../harness/checks/brute-force/observation.js';
import { projectFromLockout, projectFromThroughput } from '../../harness/checks/brute-force/project.js';
import { judgeBruteForce, type BruteForceJudgeInputs } from '../../harness/checks/brute-force/verdict.js';

const LIMIT = 100_000;

/** Wrong guesses the device refused, one every `spacingMs` (jcstar's pace, or the device's if slower). */
function refusals(count: number, latencyMs: number, spacingMs: number): BruteForceAttempt[] {
  return Array.from({ length: count }, (_, i) => ({
    index: i + 1,
    phase: 'burst',
    startMs: i * spacingMs,
    latencyMs,
    outcome: 'rejected',
    detail: 'HTTP 401',
    failure: null,
    lockoutSignal: null,
    evidenceSeq: 10 + i,
  }));
}

/** What S1.1-04 records as `judged` once it has classified a burst and projected its guesses a day. */
function judgedInputs(burst: BruteForceAttempt[], projectedGuessesPerDay: number, authAttemptsPerSecond: number): BruteForceJudgeInputs {
  const { mechanism, basis } = classifyBurst(burst);
  return { service: 'web', mechanism, basis, projectedGuessesPerDay, authAttemptsPerSecond };
}

describe('judgeBruteForce (S1.1-04 verdict, also `jcstar report --policy`)', () => {
  // The suite judges only after the declared credential was accepted before the burst (the positive
  // control) and, for a lockout, refused after it: these inputs are what such a trial records.

  it('PASSes a lockout after 5 wrong guesses that holds for 5 minutes', () => {
    const burst: BruteForceAttempt[] = [
      ...refusals(5, 40, 200),
      { index: 6, phase: 'burst', startMs: 1000, latencyMs: 40, outcome: 'locked', detail: 'HTTP 423', failure: null, lockoutSignal: 'HTTP 423 account locked', evidenceSeq: 15 },
    ];
    const inputs = judgedInputs(burst, projectFromLockout(5, 300_000, 40), 5);
    expect(inputs.mechanism).to.equal('lockout');
    // 5 guesses per 300.2 s cycle.
    expect(judgeBruteForce(inputs, LIMIT)).to.deep.equal({
      verdict: 'PASS',
      reason: 'web: lockout; held off from attempt 6 on (HTTP 423 account locked) after 5 answered guesses; 1,439 guesses/day projected (policy limit 100,000)',
    });
  });

  it('PASSes a rate limit of one refusal every 2 s, and FAILs it as too weak under a stricter policy', () => {
    const burst = refusals(10, 2000, 2000);
    const inputs = judgedInputs(burst, projectFromThroughput(burst), 5);
    expect(inputs.mechanism).to.equal('rate-limit');
    // 10 guesses in 20 s.
    expect(judgeBruteForce(inputs, LIMIT)).to.deep.equal({
      verdict: 'PASS',
      reason: 'web: rate-limit; every refusal took a median 2000 ms; 43,200 guesses/day projected (policy limit 100,000)',
    });
    // The limit itself is within it.
    expect(judgeBruteForce(inputs, 43_200).verdict).to.equal('PASS');
    expect(judgeBruteForce(inputs, 43_199)).to.deep.equal({
      verdict: 'FAIL',
      reason: 'web: rate-limit too weak; every refusal took a median 2000 ms; 43,200 guesses/day projected (policy limit 43,199)',
    });
  });

  it('FAILs prompt refusals at jcstar\'s pace of 5 attempts/s as no protection', () => {
    const burst = refusals(20, 30, 200);
    const inputs = judgedInputs(burst, projectFromThroughput(burst), 5);
    // 20 guesses in 3.83 s.
    expect(judgeBruteForce(inputs, LIMIT)).to.deep.equal({
      verdict: 'FAIL',
      reason: 'web: no brute-force protection seen; 20 wrong guesses refused promptly (median 30 ms), none held off or slowed; 451,175 guesses/day projected (policy limit 100,000)',
    });
  });

  it('is INCONCLUSIVE on prompt refusals when jcstar\'s own pace cannot exceed the limit, and FAILs them under a lower limit', () => {
    const burst = refusals(20, 30, 1000);
    const inputs = judgedInputs(burst, projectFromThroughput(burst), 1);
    // At 1 attempt/s jcstar measures about 86,400 a day whatever the device could take: under the limit, not a PASS.
    expect(inputs.projectedGuessesPerDay).to.equal(90_804);
    expect(judgeBruteForce(inputs, LIMIT)).to.deep.equal({
      verdict: 'INCONCLUSIVE',
      reason: "jcstar's own limit of 1 attempts/s is too low to show more than 100,000 guesses a day; raise policy.rateLimit.authAttemptsPerSecond to judge web",
    });
    expect(judgeBruteForce(inputs, 50_000)).to.deep.equal({
      verdict: 'FAIL',
      reason: 'web: no brute-force protection seen; 20 wrong guesses refused promptly (median 30 ms), none held off or slowed; 90,804 guesses/day projected (policy limit 50,000)',
    });
  });

  it('is INCONCLUSIVE, not PASS, on a refusal delay shorter than jcstar\'s own spacing: the figure is jcstar\'s pace', () => {
    // 600 ms refusals at 1 attempt/s: counted a rate limit, but the device could take a guess every 600 ms (144,000 a day).
    const burst = refusals(20, 600, 1000);
    const inputs = judgedInputs(burst, projectFromThroughput(burst), 1);
    expect([inputs.mechanism, inputs.projectedGuessesPerDay]).to.deep.equal(['rate-limit', 88_163]);
    expect(judgeBruteForce(inputs, LIMIT)).to.deep.equal({
      verdict: 'INCONCLUSIVE',
      reason: "jcstar's own limit of 1 attempts/s is too low to show more than 100,000 guesses a day; raise policy.rateLimit.authAttemptsPerSecond to judge web",
    });
    // At 5 attempts/s the same delay is the device's own: 144,000 a day, over the limit.
    const paced = refusals(20, 600, 600);
    expect(judgeBruteForce(judgedInputs(paced, projectFromThroughput(paced), 5), LIMIT).verdict).to.equal('FAIL');
  });
});
