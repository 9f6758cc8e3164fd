import { createServer } from 'node:net';
import ssh2 from 'ssh2';
import type { Connection } from 'ssh2';
import { generateHostKey } from '../ssh-server.js';
import { SocketTracker, closeTcp, listenTcp } from '../tcp.js';

/**
 * An SSH server that lets in a user with no credential at all: USERAUTH_SUCCESS for method `none`
 * (RFC 4252 §5.2), as firmware with an empty root password and PermitEmptyPasswords does. Any other
 * method is refused with the methods ['password']. A session's shell or exec prints "# " and closes.
 */
export interface SshNoneServerOptions {
  host: string;
  /** 0 or absent: an ephemeral port. */
  port?: number;
}

export interface RunningSshNoneServer {
  host: string;
  port: number;
  /** USERAUTH_REQUESTs with method none, accepted. */
  noneLogins(): number;
  close(): Promise<void>;
}

export async function startSshNoneServer(options: SshNoneServerOptions): Promise<RunningSshNoneServer> {
  const tracker = new SocketTracker();
  const clients = new Set<Connection>();
  let noneLogins = 0;
  const ssh = new ssh2.Server({ hostKeys: [generateHostKey()], ident: 'jcstar_fake_none' }, (client) => {
    clients.add(client);
    client.on('error', () => {});
    client.on('close', () => clients.delete(client));
    client.on('authentication', (ctx) => {
      if (ctx.method !== 'none') return ctx.reject(['password']);
      noneLogins++;
      ctx.accept();
    });
    client.on('session', (accept) => {
      const session = accept();
      const reply = (open: () => ssh2.ServerChannel | undefined) => {
        const channel = open();
        channel?.on('error', () => {});
        channel?.end('# ');
      };
      session.on('pty', (acceptPty) => acceptPty?.());
      session.on('shell', (acceptShell) => reply(acceptShell));
      session.on('exec', (acceptExec) => reply(acceptExec));
    });
  });
  ssh.on('error', () => {});
  const server = createServer((socket) => {
    tracker.add(socket);
    ssh.injectSocket(socket);
  });
  const port = await listenTcp(server, options.port ?? 0, options.host);
  return {
    host: options.host,
    port,
    noneLogins: () => noneLogins,
    close: async () => {
      for (const c of clients) c.end();
      await closeTcp(server, tracker);
    },
  };
}
