import { generateKeyPairSync } from 'node:crypto';
import ssh2 from 'ssh2';

export interface SshMethodsServer {
  host: string;
  port: number;
  /** Usernames that asked, in order. */
  asked: string[];
  close(): Promise<void>;
}

/**
 * An in-process SSH server (ssh2) that refuses every login and lists, per username, the methods
 * `methodsFor` gives: for the odd answers real daemons do not give on request (an empty list).
 */
export async function startSshMethodsServer(host: string, methodsFor: (username: string) => string[]): Promise<SshMethodsServer> {
  const hostKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1', privateKeyEncoding: { type: 'sec1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } }).privateKey;
  const asked: string[] = [];
  const clients = new Set<ssh2.Connection>();
  const server = new ssh2.Server({ hostKeys: [hostKey] }, (client) => {
    clients.add(client);
    client.on('close', () => clients.delete(client));
    client.on('error', () => {});
    client.on('authentication', (ctx) => {
      asked.push(ctx.username);
      ctx.reject(methodsFor(ctx.username) as never);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    host,
    port: (server.address() as { port: number }).port,
    asked,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of clients) c.end();
        server.close(() => resolve());
      }),
  };
}
