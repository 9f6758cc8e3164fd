import { execOverSsh, type SshExec } from '../../checks/credential-change/ssh-exec.js';
import type { Credential } from '../../profile/types.js';
import type { ChannelRead, ChannelTarget } from './channel.js';

/** The login the credential gives: its key when the service takes keys or no password is declared, else its password. */
function loginOf(credential: Credential | null, auth: string): { login: SshExec['credential']; shown: string } | null {
  const username = credential?.username;
  if (username === undefined) return null;
  if (credential!.key && (auth === 'publickey' || !credential!.password)) return { login: { username, privateKey: credential!.key }, shown: `the key ${String(credential!.key)}` };
  if (credential!.password) return { login: { username, password: credential!.password }, shown: String(credential!.password) };
  return null;
}

/** Runs `command` over a declared SSH service, logged in with its declared password or key, and reads its stdout. */
export async function readOverSsh({ ctx, host, service, credential }: ChannelTarget, command: string): Promise<ChannelRead> {
  const username = credential?.username ?? '?';
  const method = `ssh ${username}@${host}:${service.port} '${command}'`;
  const login = loginOf(credential, service.auth);
  const sent = `SSH login as "${username}" with ${login?.shown ?? 'nothing'}, then exec: ${command}`;
  const read = (answer: ChannelRead['answer'], received = '', data: Record<string, unknown> = {}): ChannelRead => ({ method, answer, sent, received, data });
  if (!login) return read({ reason: `${service.name} needs a credential with a username and a password or key to run a command` });
  await ctx.net.authAttempt(ctx.signal);
  // The output is capped by the runner (4 KiB per stream): far above any version string.
  const result = await execOverSsh(ctx.net, { host, port: service.port, credential: login.login, command, signal: ctx.signal, timeoutMs: ctx.policy.budgets.replyTimeoutMs });
  if (!result.ran) return read({ reason: `ssh '${command}': ${result.detail}` });
  const received = [`exit ${result.exitCode ?? `signal ${result.exitSignal}`}`, `stdout: ${result.stdout}`, ...(result.stderr ? [`stderr: ${result.stderr}`] : [])].join('\n');
  const data = { exitCode: result.exitCode };
  if (result.exitCode !== 0) return read({ reason: `ssh '${command}' exited ${result.exitCode ?? `on signal ${result.exitSignal}`}${result.stderr ? `: ${result.stderr.trim().slice(0, 80)}` : ''}` }, received, data);
  return read({ text: result.stdout, truncated: false }, received, data);
}
