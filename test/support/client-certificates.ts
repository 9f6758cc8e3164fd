import { execFileSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './run-profile.js';

/** A CA, a server certificate for an IP address and a client certificate, for mutual TLS. */
export interface MutualTlsCertificates {
  dir: string;
  caFile: string;
  serverCertFile: string;
  serverKeyFile: string;
  /** PEM client certificate (clientAuth) issued by the CA, and its key: what a profile's credential points at. */
  clientCertFile: string;
  clientKeyFile: string;
}

/** Made with the openssl CLI (EC P-256), fresh per call; a few hundred milliseconds. */
export function makeMutualTlsCertificates(host: string): MutualTlsCertificates {
  const dir = tempDir('jcstar-mtls-');
  const at = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...ecKey, '-keyout', at('ca-key.pem'), '-out', at('ca.pem'), '-days', '30', '-subj', '/CN=jcstar test client CA');
  const issue = (name: string, subject: string, extensions: string) => {
    openssl('req', '-new', ...ecKey, '-keyout', at(`${name}-key.pem`), '-out', at(`${name}.csr`), '-subj', subject);
    writeFileSync(at(`${name}.ext`), extensions);
    openssl('x509', '-req', '-in', at(`${name}.csr`), '-CA', at('ca.pem'), '-CAkey', at('ca-key.pem'), '-CAcreateserial', '-days', '30', '-extfile', at(`${name}.ext`), '-out', at(`${name}.pem`));
  };
  issue('server', `/CN=${host}`, `subjectAltName=IP:${host}\nextendedKeyUsage=serverAuth\n`);
  issue('client', '/CN=hub', 'extendedKeyUsage=clientAuth\n');
  // Daemons that drop to their own user (mosquitto) read the CA from here.
  chmodSync(dir, 0o755);
  chmodSync(at('ca.pem'), 0o644);
  return {
    dir,
    caFile: at('ca.pem'),
    serverCertFile: at('server.pem'),
    serverKeyFile: at('server-key.pem'),
    clientCertFile: at('client.pem'),
    clientKeyFile: at('client-key.pem'),
  };
}
