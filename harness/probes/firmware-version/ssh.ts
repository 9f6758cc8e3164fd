import { execOverSsh } from '../../checks/credential-change/ssh-exec.js';
import type { ChannelRead, ChannelTarget } from './channel.js';

/** Runs `command` over a declared SSH service, logged in with its declared password, and reads its stdout. */
export async function readOverSsh({ ctx, host, service, credential }: ChannelTarget, command: string): Promise<ChannelRead> {
  const username = credential?.username;
  const method = `ssh ${username ?? '?'}@${host}:${service.port} '${command}'`;
  const sent = `SSH login as "${username ?? '?'}" with ${credential?.password ? String(credential.password) : 'no password'}, then exec: ${command}`;
  const read = (answer: ChannelRead['answer'], received = '', data: Record<string, unknown> = {}): ChannelRead => ({ method, answer, sent, received, data });
  if (!credential?.password || username === undefined) {
    const key = credential?.key ? ' (jcstar runs SSH commands with a password login only, and it declares a key)' : '';
    return read({ reason: `${service.name} needs a credential with a username and password to run a command${key}` });
  }
  await ctx.net.authAttempt(ctx.signal);
  // The output is capped by the runner (4 KiB per stream): far above any version string.
  const result = await execOverSsh(ctx.net, { host, port: service.port, credential: { username, password: credential.password }, command, signal: ctx.signal, timeoutMs: ctx.policy.budgets.replyTimeoutMs });
  if (!result.ran) return read({ reason: `ssh '${command}': ${result.detail}` });
  const received = [`exit ${result.exitCode ?? `signal ${result.exitSignal}`}`, `stdout: ${result.stdout}`, ...(result.stderr ? [`stderr: ${result.stderr}`] : [])].join('\n');
  const data = { exitCode: result.exitCode };
  if (result.exitCode !== 0) return read({ reason: `ssh '${command}' exited ${result.exitCode ?? `on signal ${result.exitSignal}`}${result.stderr ? `: ${result.stderr.trim().slice(0, 80)}` : ''}` }, received, data);
  return read({ text: result.stdout, truncated: false }, received, data);
}
