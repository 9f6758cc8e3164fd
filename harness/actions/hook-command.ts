import { spawn } from 'node:child_process';
import { Redactor } from '../evidence/redactor.js';
import type { HookCommandSpec } from '../profile/update-schema.js';
import type { Secret } from '../secrets/secret.js';

/** What one lab-host command did, with every secret of the profile redacted from its output. */
export interface HookObservation {
  argv: string[];
  /** null when the command did not exit by itself (killed, or it never started). */
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  /** Why the command could not be started (no such program), or null. */
  spawnError: string | null;
  durationMs: number;
  stdout: string;
  stderr: string;
  /** More than OUTPUT_LIMIT bytes came on a stream and the rest was dropped. */
  truncated: boolean;
}

export interface HookRunOptions {
  signal: AbortSignal;
  secrets: readonly Secret[];
  usernames?: readonly string[];
}

/** Kept per stream: enough for a PDU's or a script's answer, bounded against a command that never stops talking. */
export const OUTPUT_LIMIT = 64 * 1024;
/** After SIGTERM to the group, how long before SIGKILL. */
const KILL_GRACE_MS = 2000;
/** After the command exits, how long its output pipes may stay open (held by a process that left its group). */
const CLOSE_WAIT_MS = 1000;

/**
 * Runs the argv on the lab host without a shell, in its own process group so that a timeout or an abort
 * ends every process it started. Never rejects.
 */
export function runHookCommand(spec: HookCommandSpec, options: HookRunOptions): Promise<HookObservation> {
  const started = process.hrtime.bigint();
  const [program, ...args] = spec.run as [string, ...string[]];
  const redactor = new Redactor(options.secrets, options.usernames ?? []);
  const out = { stdout: [] as Buffer[], stderr: [] as Buffer[], sizes: { stdout: 0, stderr: 0 }, truncated: false };
  const collect = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
    const room = OUTPUT_LIMIT - out.sizes[stream];
    if (chunk.length > room) out.truncated = true;
    if (room > 0) out[stream].push(chunk.subarray(0, room));
    out.sizes[stream] += Math.min(chunk.length, Math.max(room, 0));
  };
  return new Promise<HookObservation>((resolve) => {
    let timedOut = false;
    let spawnError: string | null = null;
    let killTimer: NodeJS.Timeout | undefined;
    let closeTimer: NodeJS.Timeout | undefined;
    let settled = false;
    const child = spawn(program, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const killGroup = (signal: NodeJS.Signals) => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // The group is gone already.
      }
    };
    const stop = () => {
      killGroup('SIGTERM');
      killTimer = setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, spec.timeoutSeconds * 1000);
    const onAbort = () => stop();
    options.signal.addEventListener('abort', onAbort, { once: true });
    if (options.signal.aborted) stop();
    child.stdout.on('data', collect('stdout'));
    child.stderr.on('data', collect('stderr'));
    const settle = (code: number | null, signal: NodeJS.Signals | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(killTimer);
      clearTimeout(closeTimer);
      options.signal.removeEventListener('abort', onAbort);
      child.stdout.destroy();
      child.stderr.destroy();
      const text = (chunks: Buffer[]) => redactor.text(Buffer.concat(chunks).toString('utf8'));
      resolve({
        argv: spec.run.map((a) => redactor.text(a)),
        exitCode: code,
        signal,
        timedOut,
        spawnError: spawnError === null ? null : redactor.text(spawnError),
        durationMs: Number((process.hrtime.bigint() - started) / 1_000_000n),
        stdout: text(out.stdout),
        stderr: text(out.stderr),
        truncated: out.truncated,
      });
    };
    child.on('error', (err) => {
      spawnError = err.message;
      if (child.pid === undefined) settle(null, null);
    });
    child.on('exit', (code, signal) => {
      // Children the command left running in its group go with it; one that left the group cannot hold the pipes open for long.
      killGroup('SIGKILL');
      closeTimer = setTimeout(() => settle(code, signal), CLOSE_WAIT_MS);
      child.on('close', () => settle(code, signal));
    });
  });
}

/** One line for evidence and verdicts: how the command ended. */
export function describeHookEnd(o: HookObservation, timeoutSeconds: number): string {
  if (o.spawnError) return `could not be started: ${o.spawnError}`;
  if (o.timedOut) return `did not finish within its timeout of ${timeoutSeconds} s and was killed`;
  if (o.signal) return `was killed by ${o.signal}`;
  return `exited with status ${o.exitCode}`;
}
