import type { LoginStep } from '../checks/credential-change/steps.js';
import type { TrialCredential } from '../probes/auth-observation.js';
import type { LoginProbe } from '../probes/login.js';
import type { CheckContext } from '../suite/context.js';

/** One login with the service's own probe, within the rate limit, recorded under `label`. */
export async function labelledLogin(ctx: CheckContext, probe: LoginProbe, label: string, credential: TrialCredential): Promise<LoginStep> {
  await ctx.net.authAttempt(ctx.signal);
  const observation = await probe.attempt(ctx.net, ctx.profile.target.address, credential, ctx.signal, ctx.policy.budgets.replyTimeoutMs);
  ctx.holdOffs.observe(probe.service, credential.username, ctx.checkId, observation);
  const evidence = ctx.evidence.record({
    kind: 'exchange',
    summary: `${label}: ${probe.mechanism} as "${credential.username}" with ${credential.password} → ${observation.outcome} (${observation.detail})`,
    target: ctx.target,
    sent: observation.sent,
    received: observation.received,
    data: { step: label, username: credential.username, outcome: observation.outcome, detail: observation.detail, latencyMs: observation.latencyMs },
    artifacts: observation.rawReceived?.length ? [{ name: 'login-response.bin', bytes: observation.rawReceived, mediaType: 'application/octet-stream' }] : [],
  });
  return { outcome: observation.outcome, detail: observation.detail, evidenceSeq: evidence.seq };
}
