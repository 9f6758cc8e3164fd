import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../../harness/paths.js';

export const JCSTAR = join(packageRoot, 'bin', 'jcstar.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real CLI in a child process; `onStderr` may react to live output (e.g. send SIGINT). With `netns`
 * it runs inside that network namespace (`ip netns exec`), where the device under test lives. `timeoutMs` and
 * `signal` SIGKILL a child that outlives them, so a hung CLI fails its test instead of outliving it.
 */
export function jcstar(
  args: string[],
  options: {
    env?: Record<string, string>;
    cwd?: string;
    netns?: string;
    timeoutMs?: number;
    signal?: AbortSignal;
    onStderr?: (text: string, child: ReturnType<typeof spawn>) => void;
  } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const command = [process.execPath, JCSTAR, ...args];
    const [file, ...rest] = options.netns ? ['ip', 'netns', 'exec', options.netns, ...command] : command;
    const child = spawn(file!, rest, {
      cwd: options.cwd ?? packageRoot,
      env: { ...process.env, NO_COLOR: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: options.timeoutMs,
      signal: options.signal,
      killSignal: 'SIGKILL',
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      options.onStderr?.(stderr, child);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
