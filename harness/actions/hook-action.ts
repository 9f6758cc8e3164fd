import type { CheckContext } from '../suite/context.js';
import type { ActionObservation } from './action-observation.js';
import { describeHookEnd, runHookCommand } from './hook-command.js';

/** Runs `hooks.commands[name]` on the lab host and records what it did. */
export async function runHookAction(ctx: CheckContext, name: string): Promise<ActionObservation> {
  const action = `hook ${name}`;
  const spec = ctx.profile.hooks?.commands[name];
  if (!spec) {
    const evidence = ctx.evidence.record({ kind: 'note', summary: `${action}: no command named "${name}" in hooks.commands` });
    return { action, ok: false, detail: `no command named "${name}" in hooks.commands`, output: '', timedOut: false, evidenceSeq: evidence.seq };
  }
  const usernames = Object.values(ctx.profile.credentials).flatMap((c) => (c.username ? [c.username] : []));
  const o = await runHookCommand(spec, { signal: ctx.signal, secrets: ctx.profile.secrets, usernames });
  const ok = o.exitCode === 0 && !o.timedOut && o.spawnError === null;
  const detail = describeHookEnd(o, spec.timeoutSeconds);
  const evidence = ctx.evidence.record({
    kind: 'observation',
    summary: `${action} on the lab host: ${o.argv.join(' ')} ${detail} after ${o.durationMs} ms`,
    sent: o.argv.join(' '),
    received: [`stdout:\n${o.stdout}`, `stderr:\n${o.stderr}`].join('\n'),
    data: { hook: name, argv: o.argv, exitCode: o.exitCode, signal: o.signal, timedOut: o.timedOut, spawnError: o.spawnError, durationMs: o.durationMs, truncated: o.truncated, timeoutSeconds: spec.timeoutSeconds },
  });
  return { action, ok, detail, output: o.stdout, timedOut: o.timedOut, evidenceSeq: evidence.seq };
}
