import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listenPort, startDaemon, type Daemon, type ListenPlacement } from './daemons.js';
import { tempDir } from './run-profile.js';

export interface Nginx extends Daemon {
  host: string;
  port: number;
  dir: string;
  accessLog: string;
}

/**
 * Real Debian nginx in the foreground (no master, no daemon) on `host` and a free port, with its prefix,
 * temp paths and logs in a scratch folder. `httpBody` goes inside `http {}`, `serverBody` inside `server {}`;
 * with `ssl` the listener speaks TLS (the server body then names the certificate and key). `netns` and `port`
 * place it in a network namespace on a fixed port.
 */
export async function startNginx(host: string, httpBody: string, serverBody: string, options: { ssl?: boolean } & ListenPlacement = {}): Promise<Nginx> {
  const dir = tempDir('jcstar-nginx-');
  mkdirSync(join(dir, 'htdocs', 'admin'), { recursive: true });
  writeFileSync(join(dir, 'htdocs', 'admin', 'index.html'), '<!DOCTYPE html><title>admin</title>\n');
  const port = await listenPort(host, options);
  const accessLog = join(dir, 'access.log');
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path ${join(dir, `${t}-temp`)};`).join('\n  ');
  writeFileSync(
    join(dir, 'nginx.conf'),
    `daemon off;
master_process off;
pid ${join(dir, 'nginx.pid')};
error_log stderr notice;
events { worker_connections 64; }
http {
  access_log ${accessLog};
  ${temp}
  ${httpBody}
  server {
    listen ${host}:${port}${options.ssl ? ' ssl' : ''};
    root ${join(dir, 'htdocs')};
    ${serverBody}
  }
}
`,
  );
  const daemon = await startDaemon('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf')], host, port, { netns: options.netns });
  return { ...daemon, host, port, dir, accessLog };
}
