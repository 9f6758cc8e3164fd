import { randomBytes } from 'node:crypto';
import type { EvidenceRecord } from '../evidence/records.js';
import type { AuthObservation, TrialCredential } from '../probes/auth-observation.js';
import type { LoginProbe } from '../probes/login.js';
import { Secret } from '../secrets/secret.js';
import type { CheckContext } from '../suite/context.js';

/** A credential no device ships with: the negative control that proves the service checks credentials at all. */
export function randomCredential(): TrialCredential {
  return { username: `jcstar-${randomBytes(4).toString('hex')}`, password: randomPassword('negative-control') };
}

/** A password no device ships with or accepts. */
export function randomPassword(label: string): Secret {
  return new Secret(randomBytes(12).toString('base64url'), label);
}

export interface Attempt {
  role: 'negative-control' | 'positive-control' | 'default' | 'brute-force' | 'lockout-confirmation' | 'recovery';
  /** Entry ID for defaults, credential name for the positive control. */
  label: string;
  credential: TrialCredential;
  observation: AuthObservation;
  evidence: EvidenceRecord;
}

/** Tries one credential within the rate limit and records the exchange as evidence. */
export async function attemptLogin(ctx: CheckContext, probe: LoginProbe, role: Attempt['role'], label: string, credential: TrialCredential): Promise<Attempt> {
  await ctx.net.authAttempt(ctx.signal);
  const observation = await probe.attempt(ctx.net, ctx.profile.target.address, credential, ctx.signal, ctx.policy.budgets.replyTimeoutMs);
  ctx.holdOffs.observe(probe.service, credential.username, ctx.checkId, observation);
  const evidence = ctx.evidence.record({
    kind: 'exchange',
    summary: `${role} ${label}: ${probe.mechanism} as "${credential.username}" → ${observation.outcome} (${observation.detail}, ${observation.latencyMs.toFixed(0)} ms)`,
    target: ctx.target,
    sent: observation.sent,
    received: observation.received,
    data: {
      role,
      label,
      username: credential.username,
      outcome: observation.outcome,
      detail: observation.detail,
      latencyMs: observation.latencyMs,
      failure: observation.failure ?? null,
    },
    artifacts: observation.rawReceived?.length
      ? [{ name: `${role}-${label}-response.bin`, bytes: observation.rawReceived, mediaType: 'application/octet-stream' }]
      : [],
  });
  return { role, label, credential, observation, evidence };
}
