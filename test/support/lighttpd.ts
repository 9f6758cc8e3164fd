import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { freePort, startDaemon, type Daemon } from './daemons.js';
import { tempDir } from './run-profile.js';

export interface Lighttpd extends Daemon {
  host: string;
  port: number;
  /** Scratch folder of this instance; the document root is `${dir}/htdocs`. */
  dir: string;
}

/**
 * Real Debian lighttpd in the foreground on `host` and a free port. `configBody` is appended to a
 * minimal config (bind, port, document root, index.html); `documents` are written under the document
 * root, by path relative to it. Callers check `requireBinaries(this, { lighttpd: 'lighttpd' })` first.
 */
export async function startLighttpd(host: string, configBody: string, documents: Record<string, string> = {}): Promise<Lighttpd> {
  const dir = tempDir('jcstar-lighttpd-');
  const root = join(dir, 'htdocs');
  for (const [path, content] of Object.entries({ 'index.html': '<!DOCTYPE html><title>jcstar fixture</title>\n', ...documents })) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  const port = await freePort(host);
  const config = [
    `server.bind = "${host}"`,
    `server.port = ${port}`,
    `server.document-root = "${root}"`,
    // Without index names lighttpd answers 403 for a directory, which a login test would misread as a refusal.
    'index-file.names = ("index.html")',
    configBody,
    '',
  ].join('\n');
  writeFileSync(join(dir, 'lighttpd.conf'), config);
  const daemon = await startDaemon('lighttpd', ['-D', '-f', join(dir, 'lighttpd.conf')], host, port);
  return { ...daemon, host, port, dir };
}
