import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ClientCertificate {
  /** The CA a server trusts for client certificates (PEM). */
  caFile: string;
  /** The client's certificate (PEM), issued by that CA for TLS client authentication. */
  certFile: string;
  keyFile: string;
}

/**
 * A client CA and one EC P-256 client certificate (CN=`commonName`, extendedKeyUsage clientAuth) made with the
 * openssl CLI in `dir`, fresh for each test run: the shared test certificates are all server certificates.
 */
export function issueClientCertificate(dir: string, commonName: string): ClientCertificate {
  const [caKey, caFile, keyFile, csr, certFile, extensions] = ['client-ca-key.pem', 'client-ca.pem', 'client-key.pem', 'client.csr', 'client.pem', 'client.ext'].map((f) => join(dir, f)) as [string, string, string, string, string, string];
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const openssl = (args: string[]) => execFileSync('openssl', args, { stdio: 'ignore', timeout: 20_000 });
  openssl(['req', '-x509', ...ec, '-keyout', caKey, '-out', caFile, '-days', '30', '-subj', '/O=jcstar reference/CN=jcstar reference client CA',
    '-addext', 'basicConstraints=critical,CA:true', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  openssl(['req', '-new', ...ec, '-keyout', keyFile, '-out', csr, '-subj', `/O=jcstar reference/CN=${commonName}`]);
  writeFileSync(extensions, 'basicConstraints=CA:false\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n');
  openssl(['x509', '-req', '-in', csr, '-CA', caFile, '-CAkey', caKey, '-CAcreateserial', '-days', '30', '-extfile', extensions, '-out', certFile]);
  return { caFile, certFile, keyFile };
}
