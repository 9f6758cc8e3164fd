import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { tempDir } from './run-profile.js';

/**
 * Test certificates made with the openssl CLI, once per process. `openssl ca` is used for every
 * certificate because OpenSSL 3.0's `x509 -req` cannot set a start date, and fixed dates let tests
 * assert exact values (and an expiry in the past).
 */

export interface TestCertificate {
  /** PEM private key of the certificate (the first one of the chain). */
  keyFile: string;
  /** PEM of this certificate alone. */
  certFile: string;
  /** PEM chain as a server would send it: this certificate first, then any intermediate. */
  chainFile: string;
  der: Buffer;
  /** The DERs of chainFile, in file order. */
  chainDers: Buffer[];
}

export interface TestCertificates {
  dir: string;
  /** RSA 2048 self-signed root CA, the trust anchor of every CA-issued certificate below. */
  root: TestCertificate;
  /** EC P-256 intermediate CA under the root. */
  intermediate: TestCertificate;
  /** RSA 2048, sha256, issued by the root; SAN IP:127.0.0.1, DNS:camera.jcstar.test, DNS:*.fleet.jcstar.test. */
  leaf: TestCertificate;
  /** EC P-256 leaf issued by the intermediate (ecdsa-with-SHA256); SAN IP:127.0.0.1; chain leafEc, intermediate. */
  leafEc: TestCertificate;
  /** Like leaf but valid only during 2023 (EXPIRED); SAN IP:127.0.0.1. */
  expired: TestCertificate;
  /** RSA 2048 signed with its own key; SAN IP:127.0.0.1. */
  selfSigned: TestCertificate;
  /** RSA 1024 signed by the root with sha1WithRSAEncryption; SAN IP:127.0.0.1. */
  weak: TestCertificate;
  /** RSA 2048 signed by the root with RSASSA-PSS over SHA-384; SAN IP:127.0.0.1. */
  pss: TestCertificate;
  /** EC P-256 issued by the root with no SAN and no keyUsage extension; CN=camera.jcstar.test. */
  cnOnly: TestCertificate;
  /** Ed25519 signed with its own key; SAN IP:127.0.0.1. */
  ed25519: TestCertificate;
  /** RSA 2048 "issued" by cnOnly, which is no CA (and has no keyUsage); SAN IP:127.0.0.1; chain forged, cnOnly. */
  forged: TestCertificate;
  /** leafEc's chain in the wrong order: leafEc, root, intermediate (key: leafEc's). */
  misordered: TestCertificate;
}

/** Validity of every certificate except `expired`: UTCTime start, GeneralizedTime end (2050 and later). */
export const VALIDITY = { notBefore: '2025-01-01T00:00:00.000Z', notAfter: '2050-01-01T00:00:00.000Z' };
export const EXPIRED_VALIDITY = { notBefore: '2023-01-01T00:00:00.000Z', notAfter: '2024-01-01T00:00:00.000Z' };

const run = promisify(execFile);

const CONFIG = `
[ ca ]
default_ca = test_ca
[ test_ca ]
database = index.txt
new_certs_dir = issued
serial = serial
policy = any_name
unique_subject = no
email_in_dn = no
# The key's own default: sha256 for RSA and EC, none for Ed25519.
default_md = default
[ any_name ]
organizationName = optional
commonName = supplied
[ ca_cert ]
basicConstraints = critical,CA:true
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ device ]
basicConstraints = CA:false
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = IP:127.0.0.1,DNS:camera.jcstar.test,DNS:*.fleet.jcstar.test
[ ip_only ]
basicConstraints = CA:false
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1
# Without keyUsage, nothing but basicConstraints says this certificate may not issue others.
[ no_san ]
basicConstraints = CA:false
extendedKeyUsage = serverAuth
`;

/** `openssl ca` dates: YYYYMMDDHHMMSSZ. */
function caDate(iso: string): string {
  return iso.replace(/[-:T]/g, '').replace(/\.000Z$/, 'Z');
}

function derOf(pem: string): Buffer {
  return new X509Certificate(pem).raw;
}

/** Splits a PEM bundle into its certificates' DERs. */
function dersOf(pemBundle: string): Buffer[] {
  return (pemBundle.match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g) ?? []).map(derOf);
}

class Factory {
  constructor(readonly dir: string) {
    mkdirSync(join(dir, 'issued'));
    writeFileSync(join(dir, 'index.txt'), '');
    writeFileSync(join(dir, 'serial'), '1000\n');
    writeFileSync(join(dir, 'ca.cnf'), CONFIG);
  }

  async openssl(args: string[]): Promise<void> {
    try {
      await run('openssl', args, { cwd: this.dir, timeout: 20_000 });
    } catch (err) {
      const stderr = (err as { stderr?: string }).stderr ?? '';
      throw new Error(`openssl ${args.join(' ')} failed: ${stderr || (err as Error).message}`);
    }
  }

  async key(name: string, algorithm: string[]): Promise<string> {
    const file = join(this.dir, `${name}.key`);
    await this.openssl(['genpkey', ...algorithm, '-out', file]);
    return file;
  }

  async issue(
    name: string,
    spec: {
      keyFile: string;
      subject: string;
      extensions: 'ca_cert' | 'device' | 'ip_only' | 'no_san';
      /** The issuer; omitted for a self-signed certificate. */
      issuer?: TestCertificate;
      validity?: { notBefore: string; notAfter: string };
      signing?: string[];
      /** Intermediates a server sends after this certificate. */
      sentWith?: TestCertificate[];
    },
  ): Promise<TestCertificate> {
    const csr = join(this.dir, `${name}.csr`);
    const certFile = join(this.dir, `${name}.pem`);
    const validity = spec.validity ?? VALIDITY;
    await this.openssl(['req', '-new', '-key', spec.keyFile, '-subj', spec.subject, '-out', csr]);
    const signer = spec.issuer ? ['-cert', spec.issuer.certFile, '-keyfile', spec.issuer.keyFile] : ['-selfsign', '-keyfile', spec.keyFile];
    await this.openssl([
      'ca', '-batch', '-config', 'ca.cnf', '-notext', '-preserveDN', ...signer, '-in', csr, '-out', certFile,
      '-startdate', caDate(validity.notBefore), '-enddate', caDate(validity.notAfter),
      '-extensions', spec.extensions, ...(spec.signing ?? []),
    ]);
    const pems = [certFile, ...(spec.sentWith ?? []).map((c) => c.certFile)].map((file) => readFileSync(file, 'utf8'));
    return this.chain(name, spec.keyFile, certFile, pems);
  }

  chain(name: string, keyFile: string, certFile: string, pems: string[]): TestCertificate {
    const chainFile = join(this.dir, `${name}.chain.pem`);
    writeFileSync(chainFile, pems.join(''));
    const chainDers = dersOf(pems.join(''));
    return { keyFile, certFile, chainFile, der: chainDers[0]!, chainDers };
  }
}

async function generate(): Promise<TestCertificates> {
  const f = new Factory(tempDir('jcstar-certificates-'));
  const rsa2048 = ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'];
  const p256 = ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'];
  const [rootKey, intermediateKey, rsaKey, ecKey, weakKey, edKey] = await Promise.all([
    f.key('root', rsa2048),
    f.key('intermediate', p256),
    f.key('device-rsa', rsa2048),
    f.key('device-ec', p256),
    f.key('weak', ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024']),
    f.key('ed25519', ['-algorithm', 'ED25519']),
  ]);
  // Issued one after another: `openssl ca` keeps its serial and index in files.
  const root = await f.issue('root', { keyFile: rootKey, subject: '/O=jcstar tests/CN=jcstar test root CA', extensions: 'ca_cert' });
  const intermediate = await f.issue('intermediate', { keyFile: intermediateKey, subject: '/O=jcstar tests/CN=jcstar test intermediate CA', extensions: 'ca_cert', issuer: root });
  const leaf = await f.issue('leaf', { keyFile: rsaKey, subject: '/O=jcstar tests/CN=camera.jcstar.test', extensions: 'device', issuer: root });
  const leafEc = await f.issue('leaf-ec', { keyFile: ecKey, subject: '/O=jcstar tests/CN=camera-ec.jcstar.test', extensions: 'ip_only', issuer: intermediate, sentWith: [intermediate] });
  const expired = await f.issue('expired', { keyFile: rsaKey, subject: '/O=jcstar tests/CN=expired.jcstar.test', extensions: 'ip_only', issuer: root, validity: EXPIRED_VALIDITY });
  const selfSigned = await f.issue('self-signed', { keyFile: rsaKey, subject: '/O=jcstar tests/CN=self-signed.jcstar.test', extensions: 'ip_only' });
  const weak = await f.issue('weak', { keyFile: weakKey, subject: '/O=jcstar tests/CN=weak.jcstar.test', extensions: 'ip_only', issuer: root, signing: ['-md', 'sha1'] });
  const pss = await f.issue('pss', {
    keyFile: rsaKey, subject: '/O=jcstar tests/CN=pss.jcstar.test', extensions: 'ip_only', issuer: root,
    signing: ['-md', 'sha384', '-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:digest'],
  });
  const cnOnly = await f.issue('cn-only', { keyFile: ecKey, subject: '/O=jcstar tests/CN=camera.jcstar.test', extensions: 'no_san', issuer: root });
  const ed25519 = await f.issue('ed25519', { keyFile: edKey, subject: '/O=jcstar tests/CN=ed25519.jcstar.test', extensions: 'ip_only' });
  const forged = await f.issue('forged', { keyFile: rsaKey, subject: '/O=jcstar tests/CN=forged.jcstar.test', extensions: 'ip_only', issuer: cnOnly, sentWith: [cnOnly] });
  const misordered = f.chain('misordered', ecKey, leafEc.certFile, [leafEc, root, intermediate].map((c) => readFileSync(c.certFile, 'utf8')));
  return { dir: f.dir, root, intermediate, leaf, leafEc, expired, selfSigned, weak, pss, cnOnly, ed25519, forged, misordered };
}

let generated: Promise<TestCertificates> | null = null;

/** The test certificates, generated on first use (about a second) and shared by the whole process. */
export function testCertificates(): Promise<TestCertificates> {
  generated ??= generate();
  return generated;
}
