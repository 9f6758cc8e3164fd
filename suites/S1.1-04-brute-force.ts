/**
 * S1.1-04 総当たり攻撃への対策 — brute force over the network made difficult (EN 303 645 5.1-5).
 * ★1 evaluates it on the device. For every password login, jcstar first shows that the declared
 * credential is accepted, then sends a bounded burst of wrong passwords (TS 103 701 5.1-5-2b), classifies
 * what held it back, confirms a lockout with the correct credential, waits the lockout out, and judges
 * the guesses a day an attacker could achieve.
 */
import { classifyBurst } from '../harness/checks/brute-force/classify.js';
import { attemptsCsv } from '../harness/checks/brute-force/csv.js';
import { runBurst, runParallelBurst, type BurstLimits } from '../harness/checks/brute-force/burst.js';
import type { BruteForceAttempt, BruteForceClassification } from '../harness/checks/brute-force/observation.js';
import { projectFromLockout, projectFromThroughput } from '../harness/checks/brute-force/project.js';
import { judgeBruteForce, type BruteForceJudgeInputs } from '../harness/checks/brute-force/verdict.js';
import { awaitRecovery, retryAfterMs, type Recovery } from '../harness/checks/hold-off/recovery.js';
import { isHeldOff, PacedLogin } from '../harness/checks/hold-off/paced.js';
import { keyLoginBruteForce } from '../harness/checks/key-login/brute-force.js';
import { clientCertificateOf } from '../harness/checks/key-login/client-certificate.js';
import { isKeyOnlyLogin, unprobedKeyLogin } from '../harness/checks/key-login/mechanisms.js';
import { attemptLogin, type Attempt } from '../harness/checks/login-attempts.js';
import { isLoginProbe, loginProbeFor, PASSWORD_MECHANISMS, type LoginProbe } from '../harness/probes/login.js';
import type { TrialCredential } from '../harness/probes/auth-observation.js';
import type { Service } from '../harness/profile/types.js';
import type { CheckContext } from '../harness/suite/context.js';
import { requirementSuite, serviceTarget } from '../harness/suite/define.js';
import { inconclusive, notApplicable, type CheckOutcome } from '../harness/verdicts/outcome.js';

const REQUIREMENT = 'S1.1-04';
/** Headroom on top of the burst and the unlock wait for the confirmation and reporting. */
const BUDGET_MARGIN_MS = 30_000;
/** Longest Retry-After honoured inside a burst against a rate-limiting device. */
const MAX_BACKOFF_MS = 10_000;
/** Parallel guessing counts as beating the hold-back when it is this many times faster. */
const PARALLEL_GAIN = 1.5;
/** A hold-off that clears within this long is a rate limit; a longer one is a lockout. */
const RATE_LIMIT_MAX_HOLD_MS = 3_000;

export default requirementSuite(REQUIREMENT, (suite) => {
  const { profile } = suite;
  const { maxDurationMs, maxUnlockWaitMs } = profile.policy.bruteForce;
  for (const service of profile.services.filter((s) => PASSWORD_MECHANISMS.has(s.auth))) {
    const probe = loginProbeFor(service, clientCertificateOf(profile, service));
    suite.check(
      {
        id: `${REQUIREMENT}/brute-force/${service.name}`,
        title: `Brute force made difficult on ${service.name} (${service.protocol}/${service.port}, ${service.auth})`,
        target: serviceTarget(profile, service),
        budgetMs: profile.policy.holdOff.maxWaitMs + maxDurationMs + maxUnlockWaitMs + BUDGET_MARGIN_MS,
      },
      async (ctx) => {
        // A password behind a required client certificate, or SSH that offers no password method: nothing to guess.
        const keyed = await keyLoginBruteForce(ctx, service);
        if (keyed) return keyed;
        if (!isLoginProbe(probe)) {
          ctx.evidence.record({ kind: 'note', summary: probe.missing, target: ctx.target });
          return inconclusive(probe.missing);
        }
        return checkBruteForce(ctx, service, probe);
      },
    );
  }
  // Key logins (public key, client certificate, pre-shared key): the refused key attempt is the evidence.
  for (const service of profile.services.filter(isKeyOnlyLogin)) {
    suite.check(
      {
        id: `${REQUIREMENT}/brute-force/${service.name}`,
        title: `No password to guess on ${service.name} (${service.protocol}/${service.port}, ${service.auth})`,
        target: serviceTarget(profile, service),
      },
      async (ctx) => (await keyLoginBruteForce(ctx, service)) ?? notApplicable(unprobedKeyLogin(service)),
    );
  }
});

function correctCredential(ctx: CheckContext, service: Service): TrialCredential | null {
  const declared = service.credential ? ctx.profile.credentials[service.credential] : undefined;
  return declared?.username !== undefined && declared.password ? { username: declared.username, password: declared.password } : null;
}

function asAttempt(a: Attempt, phase: BruteForceAttempt['phase'], index: number, origin: number): BruteForceAttempt {
  return {
    index,
    phase,
    startMs: Date.parse(a.evidence.at) - origin - a.observation.latencyMs,
    latencyMs: a.observation.latencyMs,
    outcome: a.observation.outcome,
    detail: a.observation.detail,
    failure: a.observation.failure ?? null,
    lockoutSignal: a.observation.lockoutSignal ?? null,
    evidenceSeq: a.evidence.seq,
  };
}

async function checkBruteForce(ctx: CheckContext, service: Service, probe: LoginProbe): Promise<CheckOutcome> {
  const policy = ctx.policy.bruteForce;
  const correct = correctCredential(ctx, service);
  if (!correct) {
    const why = `${service.name}: the profile declares no credential for it (services[].credential), so jcstar cannot show that the login works at all; without that, a refusal cannot be told from a lockout, nor a secure login from one that accepts nothing. Nothing was sent`;
    ctx.evidence.record({ kind: 'note', summary: why, target: ctx.target });
    return inconclusive(why);
  }
  // Positive control first: only a credential seen accepted can later show a lockout by being refused.
  // It waits out whatever an earlier check left held off, so the burst measures this check alone.
  const baseline = await new PacedLogin(ctx, probe, ctx.policy.holdOff.maxWaitMs).attempt('positive-control', 'baseline', correct);
  if (isHeldOff(baseline)) return inconclusive(`${baseline.reason}; no wrong guess was sent`);
  if (baseline.observation.outcome !== 'accepted') {
    const seen = `${baseline.observation.detail}, evidence #${baseline.evidence.seq}`;
    return inconclusive(baseline.observation.outcome === 'rejected'
      ? `${service.name}: the declared credential "${service.credential}" was refused before any wrong guess (${seen}); check the profile. A login that refuses everything cannot be told from a locked one, so no wrong guess was sent`
      : `${service.name}: the declared credential "${service.credential}" could not be tried before any wrong guess (${seen}); no wrong guess was sent`);
  }
  // Lockouts are usually per account, so the burst aims at the account the vendor declared.
  const username = correct.username;
  const origin = Date.now();
  const limits: BurstLimits = {
    maxAttempts: policy.maxAttempts - policy.parallelAttempts,
    maxDurationMs: policy.maxDurationMs,
    stopAtHoldOff: true,
    maxBackoffMs: MAX_BACKOFF_MS,
  };
  let burst = await runBurst(ctx, probe, username, limits, origin);
  const timeline: BruteForceAttempt[] = [asAttempt(baseline, 'baseline', 0, origin), ...burst];
  let classification: BruteForceClassification | null = null;
  let projected: number | null = null;
  let recovery: Recovery | null = null;
  const finish = (outcome: CheckOutcome, judged: BruteForceJudgeInputs | null = null) => {
    record(ctx, service, timeline, classification, projected, recovery, judged);
    return outcome;
  };
  const judgeOn = (mechanism: BruteForceClassification['mechanism'], basis: string, projectedGuessesPerDay: number) => {
    const inputs: BruteForceJudgeInputs = { service: service.name, mechanism, basis, projectedGuessesPerDay, authAttemptsPerSecond: ctx.policy.rateLimit.authAttemptsPerSecond };
    return finish(judgeBruteForce(inputs, policy.maxGuessesPerDay), inputs);
  };

  if (burst.some((a) => a.outcome === 'accepted')) {
    return finish(inconclusive(`${service.name} accepted a random password for "${username}": it does not check passwords, which is an S1.1-01 finding`));
  }
  if (!burst.some((a) => a.outcome === 'rejected')) {
    if (burst.length > 0 && burst.every((a) => a.outcome === 'locked')) {
      return finish(inconclusive(`${service.name} held jcstar off (${burst[0]!.lockoutSignal ?? burst[0]!.detail}) from the first wrong guess to the last (${burst.length} attempt(s)), right after accepting the declared credential; no guess was answered, so there is nothing to measure`));
    }
    return finish(inconclusive(`${service.name} stopped answering after ${burst.length} attempt(s) (${burst.at(-1)?.detail ?? 'no attempt made'}), although it had just accepted the declared credential; nothing to measure`));
  }
  classification = classifyBurst(burst);

  // The correct credential after the burst tells a real lockout (even it is refused) from noise, and
  // catches a silent lockout that keeps answering "wrong password" to everything.
  const lockedAt = Date.now();
  const confirmation = await attemptLogin(ctx, probe, 'lockout-confirmation', service.credential!, correct);
  timeline.push(asAttempt(confirmation, 'confirm', timeline.length, origin));
  if (confirmation.observation.outcome !== 'accepted') {
    const holdOff = classification.holdOffAt === null ? null : burst[classification.holdOffAt]!;
    const declared = ctx.profile.declarations.bruteForceMitigation?.unlockAfterSeconds;
    const firstPause = declared !== undefined ? declared * 1000 + 500 : (retryAfterMs(holdOff?.lockoutSignal ?? null) ?? 1000);
    recovery = await awaitRecovery(ctx, probe, correct, lockedAt, firstPause, policy.maxUnlockWaitMs);
    recovery.attempts.forEach((a) => timeline.push(asAttempt(a, 'recovery', timeline.length, origin)));
    const guesses = classification.guessesBeforeHoldOff;
    const silent = confirmation.observation.outcome === 'error';
    if (!recovery.recovered) {
      ctx.holdOffs.mark(service.name, { kind: silent ? 'unanswered' : confirmation.observation.outcome === 'locked' ? 'locked' : 'silent-lockout', signal: confirmation.observation.detail, account: username, checkId: ctx.checkId, since: lockedAt });
      if (silent) {
        return finish(inconclusive(`${service.name} stopped answering after ${burst.length} wrong guess(es) (${confirmation.observation.detail}) and had not answered again after ${(recovery.windowMs / 1000).toFixed(0)} s: a lockout cannot be told from a device that hung; check the device`));
      }
    }
    if (silent && !ctx.profile.declarations.bruteForceMitigation) {
      // Dropped connections that come back could be a lockout, or a device that crashed and restarted.
      return finish(inconclusive(`${service.name} stopped answering after ${burst.length} wrong guess(es) (${confirmation.observation.detail}) and answered again after ${(recovery.windowMs / 1000).toFixed(1)} s: a lockout that drops connections cannot be told from a device that restarted; declare bruteForceMitigation to have it judged as one`));
    }
    const meanLatency = burst.reduce((sum, a) => sum + a.latencyMs, 0) / burst.length;
    // A silent lockout hides when it began, so every guess of the burst counts as useful: an upper bound.
    projected = projectFromLockout(guesses, recovery.recovered ? recovery.windowMs : policy.maxUnlockWaitMs, meanLatency);
    const how = holdOff === null
      ? `silent lockout: every wrong guess was answered alike, but after ${guesses} of them the correct credential, accepted just before the burst, was refused (${confirmation.observation.detail}); counting all ${guesses} as useful guesses`
      : `held off after ${guesses} wrong guess(es), and the correct credential, accepted just before the burst, was refused too (${confirmation.observation.detail})`;
    const after = recovery.recovered
      ? `it cleared after ${(recovery.windowMs / 1000).toFixed(1)} s`
      : `it had not cleared after ${(recovery.windowMs / 1000).toFixed(0)} s: the device may need a manual unlock`;
    // A hold-off that clears within seconds paces guessing rather than locking anyone out.
    const mechanism = recovery.recovered && recovery.windowMs <= RATE_LIMIT_MAX_HOLD_MS ? 'rate-limit' : 'lockout';
    classification = { ...classification, mechanism, basis: `${how}; ${after}` };
    return judgeOn(mechanism, classification.basis, projected);
  }
  if (classification.holdOffAt !== null) {
    // The correct credential still worked: a hold-off aimed at guessing, not a lockout. Measure on.
    burst = burst.concat(await runBurst(ctx, probe, username, { ...limits, stopAtHoldOff: false }, origin, burst.length));
    timeline.splice(1, timeline.length - 1, ...burst, asAttempt(confirmation, 'confirm', burst.length + 1, origin));
    classification = { ...classifyBurst(burst), mechanism: 'rate-limit' };
  }

  // The same guessing over several connections at once: a delay per connection does not slow that down.
  const parallel = await runParallelBurst(ctx, probe, username, policy.parallelAttempts, policy.parallelConnections, origin, timeline.length, origin + policy.maxDurationMs);
  timeline.push(...parallel);
  if (parallel.some((a) => a.outcome === 'accepted')) {
    return finish(inconclusive(`${service.name} accepted a random password for "${username}" over parallel connections: it does not check passwords reliably`));
  }
  const sequentialRate = projectFromThroughput(burst);
  const parallelRate = projectFromThroughput(parallel);
  projected = Math.max(sequentialRate, parallelRate);
  let basis = classification.basis;
  if (parallelRate > sequentialRate * PARALLEL_GAIN) {
    basis += `; but ${policy.parallelConnections} connections at once reached ${parallelRate.toLocaleString('en-US')} guesses/day (one at a time: ${sequentialRate.toLocaleString('en-US')}), so the hold-back is per connection`;
  }
  const ownSpacingMs = 1000 / ctx.policy.rateLimit.authAttemptsPerSecond;
  if (classification.mechanism === 'none' && meanInterval(burst) <= ownSpacingMs * 1.25) {
    // Prompt refusals at jcstar's own pace mean the device could take guesses faster still.
    basis += `; at jcstar's own limit of ${ctx.policy.rateLimit.authAttemptsPerSecond} attempts/s, so the figure is a lower bound`;
  }
  classification = { ...classification, basis };
  return judgeOn(classification.mechanism, basis, projected);
}

function meanInterval(burst: BruteForceAttempt[]): number {
  return burst.length < 2 ? Infinity : (burst.at(-1)!.startMs - burst[0]!.startMs) / (burst.length - 1);
}

function record(ctx: CheckContext, service: Service, timeline: BruteForceAttempt[], classification: BruteForceClassification | null, projected: number | null, recovery: Recovery | null, judged: BruteForceJudgeInputs | null): void {
  ctx.evidence.record({
    kind: 'observation',
    summary: classification
      ? `${service.name}: ${classification.mechanism} (${classification.basis})${projected === null ? '' : `; ${projected.toLocaleString('en-US')} guesses/day projected`}`
      : `${service.name}: ${timeline.length} attempt(s), no classification`,
    target: ctx.target,
    data: {
      mechanism: classification?.mechanism ?? null,
      basis: classification?.basis ?? null,
      guessesBeforeHoldOff: classification?.guessesBeforeHoldOff ?? null,
      projectedGuessesPerDay: projected,
      maxGuessesPerDay: ctx.policy.bruteForce.maxGuessesPerDay,
      recovered: recovery?.recovered ?? null,
      recoveryWindowMs: recovery?.windowMs ?? null,
      attempts: timeline.length,
      // Present when the verdict was judged on the projection alone: what `jcstar report --policy` judges again.
      judged,
      timeline: timeline.map((a) => ({ index: a.index, phase: a.phase, startMs: Math.round(a.startMs), latencyMs: Math.round(a.latencyMs), outcome: a.outcome })),
    },
    artifacts: [{ name: `attempts-${service.name}.csv`, bytes: attemptsCsv(timeline), mediaType: 'text/csv' }],
  });
}
