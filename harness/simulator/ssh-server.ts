import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:net';
import ssh2 from 'ssh2';
import type { Algorithms, AuthContext, Connection, ServerChannel, Session } from 'ssh2';
import { checkLogin, type Login } from './credentials.js';
import type { AccountLockout } from './lockout.js';
import { SocketTracker, closeTcp, listenTcp, type RunningService } from './tcp.js';

/**
 * `ssh`: an ssh2 Server behind our own net.Server (sockets are injected with injectSocket so that
 * close() can destroy them). Password and keyboard-interactive auth; anything else is rejected with
 * the methods ['password', 'keyboard-interactive']. A session's shell or exec prints "sim-cam$ " and
 * closes.
 */

export const SSH_AUTH_METHODS: ('password' | 'keyboard-interactive')[] = ['password', 'keyboard-interactive'];
/** Software part of the identification string; the server sends "SSH-2.0-SimCam_1.0". */
export const SSH_SOFTWARE_VERSION = 'SimCam_1.0';
const PROMPT = 'sim-cam$ ';

export interface SshServerOptions {
  /** Loopback address to bind; default 127.0.0.1. */
  host?: string;
  port: number;
  login: Login;
  /** Called once per password, or keyboard-interactive answer, that the client submits. */
  onAuthAttempt(): void;
  lockout?: AccountLockout;
  /** What the server offers in its KEXINIT (see ssh-algorithms.ts). */
  algorithms: Algorithms;
}

/**
 * A fresh ECDSA P-256 host key (each simulated device gets its own). Not ssh2's own ed25519 generator:
 * about one key in 300 that it makes is one its parser then rejects, which made starts flaky.
 */
export function generateHostKey(): string {
  const { privateKey } = generateKeyPairSync('ec', {
    namedCurve: 'prime256v1',
    privateKeyEncoding: { type: 'sec1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return privateKey;
}

function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    // the client went away between the request and our answer
  }
}

function replyAndClose(channel: ServerChannel | undefined): void {
  if (!channel) return;
  channel.on('error', () => { /* ignore */ });
  safely(() => {
    channel.write(PROMPT);
    channel.exit(0);
    channel.end();
  });
}

function onSession(session: Session): void {
  session.on('pty', (accept) => safely(() => accept?.()));
  session.on('shell', (accept) => safely(() => replyAndClose(accept())));
  session.on('exec', (accept) => safely(() => replyAndClose(accept())));
}

function authenticate(ctx: AuthContext, options: SshServerOptions, hangUp: () => void): void {
  const reject = (): void => safely(() => ctx.reject(SSH_AUTH_METHODS));
  const accept = (): void => safely(() => ctx.accept());
  // A locked account gets the connection dropped, as fail2ban-style devices do.
  const answer = (password: string | undefined): void => {
    const verdict = checkLogin(options.login, ctx.username, password, options.lockout);
    if (verdict === 'accepted') accept();
    else if (verdict === 'locked') hangUp();
    else reject();
  };
  switch (ctx.method) {
    case 'password':
      options.onAuthAttempt();
      answer(ctx.password);
      return;
    case 'keyboard-interactive':
      safely(() =>
        ctx.prompt([{ prompt: 'Password: ', echo: false }], 'SIM-CAM', '', (answers) => {
          options.onAuthAttempt();
          answer(answers[0]);
        }),
      );
      return;
    default:
      reject();
  }
}

export async function startSshServer(options: SshServerOptions): Promise<RunningService> {
  const tracker = new SocketTracker();
  const clients = new Set<Connection>();

  const ssh = new ssh2.Server({ hostKeys: [generateHostKey()], ident: SSH_SOFTWARE_VERSION, algorithms: options.algorithms }, (client) => {
    clients.add(client);
    client.on('error', () => { /* protocol errors, resets */ });
    client.on('close', () => clients.delete(client));
    client.on('authentication', (ctx) => authenticate(ctx, options, () => safely(() => client.end())));
    client.on('session', (accept) => {
      safely(() => {
        const session = accept();
        if (session) onSession(session);
      });
    });
  });
  ssh.on('error', () => { /* never throw from the device */ });

  const server = createServer((socket) => {
    tracker.add(socket);
    ssh.injectSocket(socket);
  });
  const port = await listenTcp(server, options.port, options.host);
  return {
    port,
    close: async () => {
      for (const c of clients) safely(() => c.end());
      clients.clear();
      await closeTcp(server, tracker);
    },
  };
}
