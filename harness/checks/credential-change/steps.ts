import type { AuthObservation, TrialCredential } from '../../probes/auth-observation.js';
import type { LoginProbe } from '../../probes/login.js';
import type { CheckContext } from '../../suite/context.js';

/** The steps of the TS 103 701 5.1-4-2 test, in order, as evidence names them. */
export const STEPS = {
  'before-change': '1. current value before the change',
  change: '2. change procedure, current → temporary value',
  'old-after-change': '3. old value after the change',
  'new-after-change': '4. new value after the change',
  restore: '5. restore procedure, temporary → original value',
  'old-after-restore': '6. original value after the restore',
  'new-after-restore': '7. temporary value after the restore',
} as const;
export type Step = keyof typeof STEPS;

/** What the device said about one run of the change procedure. */
export interface ProcedureResult {
  /** The device reported success: a 2xx answer, or exit status 0. */
  ok: boolean;
  detail: string;
  evidenceSeq: number;
}

/** Waiting for a device to apply a new password takes longer than answering a login. */
export const PROCEDURE_TIMEOUT_FACTOR = 2;

export interface LoginStep {
  outcome: AuthObservation['outcome'];
  detail: string;
  evidenceSeq: number;
}

/** One login with the service's own probe, within the rate limit, recorded as the step it is. */
export async function loginStep(ctx: CheckContext, probe: LoginProbe, step: Step, credential: TrialCredential): Promise<LoginStep> {
  await ctx.net.authAttempt(ctx.signal);
  const observation = await probe.attempt(ctx.net, ctx.profile.target.address, credential, ctx.signal, ctx.policy.budgets.replyTimeoutMs);
  ctx.holdOffs.observe(probe.service, credential.username, ctx.checkId, observation);
  const evidence = ctx.evidence.record({
    kind: 'exchange',
    summary: `${STEPS[step]}: ${probe.mechanism} as "${credential.username}" with ${credential.password} → ${observation.outcome} (${observation.detail})`,
    target: ctx.target,
    sent: observation.sent,
    received: observation.received,
    data: { step, username: credential.username, outcome: observation.outcome, detail: observation.detail, latencyMs: observation.latencyMs },
    artifacts: observation.rawReceived?.length ? [{ name: `${step}-response.bin`, bytes: observation.rawReceived, mediaType: 'application/octet-stream' }] : [],
  });
  return { outcome: observation.outcome, detail: observation.detail, evidenceSeq: evidence.seq };
}
