import type { CredentialChange } from '../../profile/schema.js';
import type { Service } from '../../profile/types.js';
import type { CheckContext } from '../../suite/context.js';
import { execOverSsh } from './ssh-exec.js';
import { PROCEDURE_TIMEOUT_FACTOR, STEPS, type ProcedureResult } from './steps.js';
import { fillTemplate, type TemplateValues } from './template.js';

type SshChange = Extract<CredentialChange, { ssh: unknown }>['ssh'];

/** Logs in over SSH with the current value and runs the profile's command; exit status 0 is success. */
export async function changeOverSsh(ctx: CheckContext, service: Service, change: SshChange, values: TemplateValues, step: 'change' | 'restore'): Promise<ProcedureResult> {
  const command = fillTemplate(change.command, values, 'raw');
  await ctx.net.authAttempt(ctx.signal);
  const result = await execOverSsh(ctx.net, {
    host: ctx.profile.target.address,
    port: service.port,
    credential: { username: values.username, password: values.oldPassword },
    command: command.wire,
    signal: ctx.signal,
    timeoutMs: ctx.policy.budgets.replyTimeoutMs * PROCEDURE_TIMEOUT_FACTOR,
  });
  const sent = [`USERAUTH_REQUEST user=${values.username} method=password password=${values.oldPassword}`, `CHANNEL_REQUEST exec ${command.shown}`].join('\n');
  const what = `${STEPS[step]}: ssh exec as "${values.username}"`;
  if (!result.ran) {
    const evidence = ctx.evidence.record({ kind: 'exchange', summary: `${what} → ${result.detail}`, target: ctx.target, sent, data: { step, ok: false, detail: result.detail } });
    return { ok: false, detail: result.detail, evidenceSeq: evidence.seq };
  }
  const ok = result.exitCode === 0;
  const detail = result.exitSignal ? `killed by ${result.exitSignal}` : `exit status ${result.exitCode ?? 'unknown'}`;
  const evidence = ctx.evidence.record({
    kind: 'exchange',
    summary: `${what} → ${detail}${ok ? '' : ' (the procedure failed)'}`,
    target: ctx.target,
    sent,
    received: [`exit: ${detail}`, `stdout: ${result.stdout}`, `stderr: ${result.stderr}`].join('\n'),
    data: { step, ok, exitCode: result.exitCode, exitSignal: result.exitSignal },
  });
  return { ok, detail, evidenceSeq: evidence.seq };
}
