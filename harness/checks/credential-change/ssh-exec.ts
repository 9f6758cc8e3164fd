import { Client } from 'ssh2';
import type { GuardedNetwork } from '../../net/network.js';
import { classifyNetError } from '../../net/errors.js';
import type { TrialCredential } from '../../probes/auth-observation.js';
import type { Secret } from '../../secrets/secret.js';

export interface SshExec {
  host: string;
  port: number;
  /** A password login, or a key login with `privateKey` (OpenSSH or PEM private key) when it is given. */
  credential: TrialCredential | { username: string; privateKey: Secret };
  command: string;
  signal: AbortSignal;
  timeoutMs: number;
}

export type SshExecResult =
  | { ran: true; exitCode: number | null; exitSignal: string | null; stdout: string; stderr: string }
  | { ran: false; detail: string };

/** Output kept per stream: enough to see why a command failed. */
const OUTPUT_LIMIT = 4096;

/** Logs in with a password (or keyboard-interactive answering every prompt with it) or a private key, and runs one command. */
export async function execOverSsh(net: GuardedNetwork, exec: SshExec): Promise<SshExecResult> {
  let socket;
  try {
    socket = await net.connectTcp(exec.host, exec.port, { signal: exec.signal, timeoutMs: exec.timeoutMs });
  } catch (err) {
    return { ran: false, detail: classifyNetError(err).message };
  }
  const client = new Client();
  const login = 'privateKey' in exec.credential ? { privateKey: exec.credential.privateKey.reveal() } : { password: exec.credential.password.reveal(), tryKeyboard: true };
  return new Promise<SshExecResult>((resolve) => {
    let settled = false;
    const settle = (result: SshExecResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      exec.signal.removeEventListener('abort', onAbort);
      client.end();
      socket.destroy();
      resolve(result);
    };
    const onAbort = () => settle({ ran: false, detail: 'aborted' });
    const timer = setTimeout(() => settle({ ran: false, detail: `the command did not finish within ${exec.timeoutMs} ms` }), exec.timeoutMs);
    exec.signal.addEventListener('abort', onAbort, { once: true });
    client.on('keyboard-interactive', (_name, _instructions, _lang, prompts, finish) => finish(prompts.map(() => login.password ?? '')));
    client.on('ready', () => {
      client.exec(exec.command, (err, stream) => {
        if (err) return settle({ ran: false, detail: `the server refused to run a command: ${err.message}` });
        let stdout = '';
        let stderr = '';
        let exitCode: number | null = null;
        let exitSignal: string | null = null;
        stream.on('data', (d: Buffer) => (stdout = (stdout + d.toString('utf8')).slice(0, OUTPUT_LIMIT)));
        stream.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString('utf8')).slice(0, OUTPUT_LIMIT)));
        stream.on('exit', (code: number | null, signalName?: string) => {
          exitCode = code;
          exitSignal = signalName ?? null;
        });
        stream.on('close', () => settle({ ran: true, exitCode, exitSignal, stdout, stderr }));
      });
    });
    client.on('error', (err: Error & { level?: string }) => {
      settle({ ran: false, detail: err.level === 'client-authentication' ? `login refused for ${exec.credential.username}` : classifyNetError(err).message });
    });
    client.on('close', () => settle({ ran: false, detail: 'connection closed before the command finished' }));
    try {
      client.connect({ sock: socket, username: exec.credential.username, ...login, readyTimeout: exec.timeoutMs, ident: 'SSH-2.0-jcstar' });
    } catch (err) {
      // ssh2 parses the private key in connect() and throws on one it cannot read.
      settle({ ran: false, detail: `the declared private key could not be used: ${err instanceof Error ? err.message : String(err)}` });
    }
  });
}
