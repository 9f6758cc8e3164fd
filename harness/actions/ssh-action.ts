import { execOverSsh } from '../checks/credential-change/ssh-exec.js';
import { Redactor } from '../evidence/redactor.js';
import type { DeviceActionSpec } from '../profile/update-schema.js';
import type { CheckContext } from '../suite/context.js';
import { fillMarker, type ActionFill, type ActionObservation } from './action-observation.js';

type SshAction = Extract<DeviceActionSpec, { ssh: unknown }>['ssh'];

/** Logs in to a declared SSH service with its password and runs the command; exit status 0 is success. */
export async function runSshAction(ctx: CheckContext, spec: SshAction, fill: ActionFill): Promise<ActionObservation> {
  const command = fillMarker(spec.command, fill);
  const action = `ssh on ${spec.service}: ${command}`;
  const service = ctx.profile.services.find((s) => s.name === spec.service);
  const credential = service?.credential === undefined ? undefined : ctx.profile.credentials[service.credential];
  if (!service || service.protocol !== 'ssh' || credential?.username === undefined || !credential.password) {
    const detail = `${spec.service} is not a declared SSH service with a username and password`;
    const evidence = ctx.evidence.record({ kind: 'note', summary: `${action}: ${detail}` });
    return { action, ok: false, detail, output: '', timedOut: false, evidenceSeq: evidence.seq };
  }
  await ctx.net.authAttempt(ctx.signal);
  const result = await execOverSsh(ctx.net, {
    host: ctx.profile.target.address,
    port: service.port,
    credential: { username: credential.username, password: credential.password },
    command,
    signal: ctx.signal,
    timeoutMs: ctx.policy.budgets.replyTimeoutMs,
  });
  const target = { host: ctx.profile.target.address, port: service.port, protocol: service.protocol, transport: service.transport };
  const sent = [`USERAUTH_REQUEST user=${credential.username} method=password password=${credential.password}`, `CHANNEL_REQUEST exec ${command}`].join('\n');
  if (!result.ran) {
    const evidence = ctx.evidence.record({ kind: 'exchange', summary: `${action} → ${result.detail}`, target, sent, data: { action, ok: false, detail: result.detail } });
    return { action, ok: false, detail: result.detail, output: '', timedOut: false, evidenceSeq: evidence.seq };
  }
  const ok = result.exitCode === 0;
  const detail = result.exitSignal ? `killed by ${result.exitSignal}` : `exit status ${result.exitCode ?? 'unknown'}`;
  const evidence = ctx.evidence.record({
    kind: 'exchange',
    summary: `${action} → ${detail}`,
    target,
    sent,
    received: [`exit: ${detail}`, `stdout: ${result.stdout}`, `stderr: ${result.stderr}`].join('\n'),
    data: { action, ok, exitCode: result.exitCode, exitSignal: result.exitSignal },
  });
  return { action, ok, detail, output: new Redactor(ctx.profile.secrets).text(result.stdout), timedOut: false, evidenceSeq: evidence.seq };
}
