import { probeSshNone, type SshNoneResult } from '../../probes/ssh/none-auth.js';
import type { Service } from '../../profile/types.js';
import type { CheckContext } from '../../suite/context.js';
import type { CheckOutcome } from '../../verdicts/outcome.js';
import { judgeAccess, subjectOf, type Trial } from './judge.js';

/** Servers grant `none` per account (an empty password): the declared user, and root, which most firmware has. */
const LIKELY_USER = 'root';

function answerOf(result: SshNoneResult): string {
  if (result.outcome === 'accepted') return 'USERAUTH_SUCCESS';
  if (result.outcome === 'refused') return `USERAUTH_FAILURE, methods ${result.methods?.join(',') || '(none listed)'}`;
  return result.detail;
}

/** S1.1-01 on an SSH service: the `none` authentication method, which needs no credential at all. */
export async function checkSshAccess(ctx: CheckContext, service: Service): Promise<CheckOutcome> {
  const declared = service.credential ? ctx.profile.credentials[service.credential]?.username : undefined;
  const usernames = [...new Set([declared ?? LIKELY_USER, LIKELY_USER])];
  const trials: Trial[] = [];
  for (const username of usernames) {
    if (ctx.signal.aborted) break;
    await ctx.net.authAttempt(ctx.signal);
    const result = await probeSshNone(ctx.net, { host: ctx.profile.target.address, port: service.port, username, signal: ctx.signal, timeoutMs: ctx.policy.budgets.replyTimeoutMs });
    const evidence = ctx.evidence.record({
      kind: 'observation',
      summary: `SSH method none as "${username}" → ${result.detail}`,
      target: ctx.target,
      sent: result.sent,
      received: result.received,
      data: { username, outcome: result.outcome, methods: result.methods, latencyMs: result.latencyMs },
    });
    const reach = result.outcome === 'accepted' ? 'reached' : result.outcome === 'refused' ? 'refused' : 'unanswered';
    trials.push({ resource: `login as "${username}" with method none`, reach, protected: true, answer: answerOf(result), seq: evidence.seq });
  }
  return judgeAccess(ctx, subjectOf(service), trials);
}
