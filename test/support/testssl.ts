import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { TlsObservation } from '../../harness/probes/tls/observation.js';
import { tempDir } from './run-profile.js';

/** testssl.sh's protocol tokens in `cipher-<proto>_x<hex>` finding IDs, as jcstar names the versions. */
const PROTOCOLS: Record<string, string> = { ssl3: 'SSLv3', tls1: 'TLSv1.0', tls1_1: 'TLSv1.1', tls1_2: 'TLSv1.2', tls1_3: 'TLSv1.3' };

export interface TestsslCiphers {
  /** "TLSv1.2 0xc02f" pairs. */
  pairs: Set<string>;
  seconds: number;
}

/**
 * The oracle: Debian's testssl.sh, `-E` (each cipher per protocol) with `--jsonfile`, on one port.
 * Returns the (version, cipher suite) pairs it reports, in the form `pairKey` builds.
 */
export async function testsslCipherPairs(host: string, port: number, options: { starttls?: 'ftp' } = {}): Promise<TestsslCiphers> {
  const file = join(tempDir('jcstar-testssl-'), 'ciphers.json');
  const args = ['-E', '--jsonfile', file, '--warnings', 'batch', '--color', '0', '--quiet', '--sneaky'];
  if (options.starttls) args.push('--starttls', options.starttls);
  const started = Date.now();
  await promisify(execFile)('testssl', [...args, `${host}:${port}`], { maxBuffer: 16 * 1024 * 1024, timeout: 300_000 });
  const findings = JSON.parse(readFileSync(file, 'utf8')) as { id: string }[];
  const pairs = new Set<string>();
  for (const { id } of findings) {
    const m = /^cipher-(\w+?)_x([0-9a-f]+)$/.exec(id);
    if (m) pairs.add(pairKey(PROTOCOLS[m[1]!] ?? m[1]!, parseInt(m[2]!, 16)));
  }
  return { pairs, seconds: (Date.now() - started) / 1000 };
}

export function pairKey(version: string, code: number): string {
  return `${version} 0x${code.toString(16).padStart(4, '0')}`;
}

/** jcstar's observation in the same form as the oracle's pairs. */
export function observedPairs(observation: Pick<TlsObservation, 'versions'>): Set<string> {
  return new Set(observation.versions.flatMap((v) => v.cipherSuites.map((s) => pairKey(v.version, s.code))));
}
