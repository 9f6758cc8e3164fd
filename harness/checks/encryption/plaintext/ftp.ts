import { randomBytes } from 'node:crypto';
import type { Service } from '../../../profile/types.js';
import type { CheckContext } from '../../../suite/context.js';
import { fail, inconclusive, pass, type CheckOutcome } from '../../../verdicts/outcome.js';
import { ftpCommand, type FtpCommandReply } from '../../../probes/ftp/command.js';

/**
 * How servers refuse a plaintext login for want of TLS: vsftpd's 530 "Non-anonymous sessions must use
 * encryption.", ProFTPD's 550 "SSL/TLS required on the control channel", RFC 2228's 534 for policy.
 */
function refusedForTls(code: number, text: string): boolean {
  return code === 534 || (code >= 500 && /encrypt|\btls\b|\bssl\b|secur/i.test(text));
}

function lastLine(reply: FtpCommandReply['reply']): string {
  return reply?.lines.at(-1) ?? '';
}

function record(ctx: CheckContext, what: string, exchange: FtpCommandReply): number {
  const answer = exchange.error?.detail ?? (exchange.reply ? lastLine(exchange.reply) : `greeting ${exchange.greeting?.lines.at(-1) ?? '(none)'}`);
  return ctx.evidence.record({
    kind: 'exchange',
    summary: `FTP ${what} on a plaintext control connection → ${answer}`,
    target: ctx.target,
    sent: exchange.sent,
    received: exchange.received,
    data: { command: what, greeting: exchange.greeting?.code ?? null, reply: exchange.reply?.code ?? null, failure: exchange.error?.failure ?? null },
  }).seq;
}

/**
 * S1.1-12 on a plain-FTP service: AUTH TLS on one connection, to learn whether TLS is offered, and USER
 * with a random name on another, to learn whether a password would be asked for in plaintext. PASS is
 * never sent.
 */
export async function checkFtpPlaintext(ctx: CheckContext, service: Service): Promise<CheckOutcome> {
  const endpoint = { host: ctx.profile.target.address, port: service.port, signal: ctx.signal, timeoutMs: ctx.policy.budgets.replyTimeoutMs };
  const authTls = await ftpCommand(ctx.net, { ...endpoint, command: 'AUTH TLS' });
  const authSeq = record(ctx, 'AUTH TLS', authTls);
  const username = `jcstar-${randomBytes(4).toString('hex')}`;
  await ctx.net.authAttempt(ctx.signal);
  const user = await ftpCommand(ctx.net, { ...endpoint, command: `USER ${username}` });
  const userSeq = record(ctx, 'USER', user);

  const tls = authTls.reply?.code === 234
    ? `AUTH TLS is offered ("${lastLine(authTls.reply)}"; evidence #${authSeq})`
    : authTls.reply ? `AUTH TLS is refused ("${lastLine(authTls.reply)}"; evidence #${authSeq})` : null;
  const reply = user.reply;
  if (!reply) {
    const why = user.error?.detail ?? `greeting "${user.greeting?.lines.at(-1) ?? ''}" instead of 220`;
    return inconclusive(`${service.name}: no reply to USER on ${service.port}/tcp (${why}; evidence #${userSeq})`);
  }
  const answered = `USER ${username} got "${lastLine(reply)}" (evidence #${userSeq})`;
  if (reply.code === 331 || reply.code === 332) {
    const enforced = authTls.reply?.code === 234 ? ' but not enforced' : '';
    return fail(`${service.name}: FTP accepts USER/PASS in plaintext: ${answered} without TLS, no PASS sent${tls ? `; ${tls}${enforced}` : ''}`);
  }
  if (reply.code === 230) return fail(`${service.name}: FTP logged in a random user over plaintext without a password: ${answered}`);
  if (refusedForTls(reply.code, reply.lines.join('\n'))) return pass(`${service.name}: FTP refuses logins before TLS: ${answered}${tls ? `; ${tls}` : ''}`);
  if (reply.code >= 500 && authTls.reply && authTls.reply.code !== 234) {
    return fail(`${service.name}: FTP offers no TLS (AUTH TLS answered "${lastLine(authTls.reply)}"; evidence #${authSeq}), so every login crosses in plaintext; ${answered}`);
  }
  return inconclusive(`${service.name}: ${answered}, which says nothing about TLS${tls ? `; ${tls}` : ''}: whether a real account would be asked for its password in plaintext is unknown`);
}
