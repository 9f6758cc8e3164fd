import type { HostKeyObservation } from '../probes/ssh/host-key-sizes.js';
import type { SshAlgorithms } from '../probes/ssh/kexinit.js';
import type { EffectiveCryptoRules } from './effective.js';
import { offending, unread, type CryptoFinding } from './finding.js';
import { judgeList } from './grade.js';

/**
 * A server's KEXINIT and host keys against the SSH rules. Both directions of encryption, MAC and
 * compression count: the client may pick from either list, so each item is reported once.
 */
export function judgeSsh(algorithms: SshAlgorithms, hostKeys: HostKeyObservation[], rules: EffectiveCryptoRules): CryptoFinding[] {
  const { ssh } = rules;
  const findings = [
    ...judgeList('ssh.kex', 'kex', algorithms.kex, ssh.kex, ssh.kexMarkers),
    ...judgeList('ssh.hostKey', 'host key', algorithms.hostKey, ssh.hostKey),
    ...judgeList('ssh.encryption', 'encryption', [...algorithms.encryptionCtoS, ...algorithms.encryptionStoC], ssh.encryption),
    ...judgeList('ssh.mac', 'mac', [...algorithms.macCtoS, ...algorithms.macStoC], ssh.mac),
    ...judgeList('ssh.compression', 'compression', [...algorithms.compressionCtoS, ...algorithms.compressionStoC], ssh.compression),
  ];
  // rsa-sha2-256, rsa-sha2-512 and ssh-rsa usually present the same key: one finding per size.
  const rsaBits = new Set(hostKeys.flatMap((k) => (k.outcome === 'observed' && k.keyType === 'ssh-rsa' && k.bits < ssh.minRsaHostKeyBits ? [k.bits] : [])));
  for (const bits of [...rsaBits].sort((a, b) => a - b)) findings.push(offending('ssh.minRsaHostKeyBits', `RSA host key of ${bits} bits`));
  findings.push(...unreadHostKeys(algorithms.hostKey, hostKeys));
  return findings;
}

/**
 * The key type behind a host key algorithm whose size can vary (RSA, DSA, ECDSA on its curve), as the key
 * blob names it; null for the fixed-size ones (Ed25519, Ed448, security keys). Certificates carry the same key.
 */
function sizedKeyType(algorithm: string): string | null {
  const plain = algorithm.replace(/-cert-v01@openssh\.com$/, '');
  if (plain === 'ssh-rsa' || plain === 'rsa-sha2-256' || plain === 'rsa-sha2-512') return 'ssh-rsa';
  if (plain === 'ssh-dss' || plain.startsWith('ecdsa-sha2-')) return plain;
  return null;
}

/** A PASS needs the size of every RSA, DSA and ECDSA key the server offers: one finding per key type not read. */
function unreadHostKeys(offered: string[], hostKeys: HostKeyObservation[]): CryptoFinding[] {
  const read = new Set(hostKeys.flatMap((k) => (k.outcome === 'observed' ? [k.keyType] : [])));
  const missing = new Map<string, string[]>();
  for (const algorithm of new Set(offered)) {
    const type = sizedKeyType(algorithm);
    if (type !== null && !read.has(type)) missing.set(type, [...(missing.get(type) ?? []), algorithm]);
  }
  return [...missing.values()].map((algorithms) => {
    const why = hostKeys.find((k) => k.outcome === 'error' && algorithms.includes(k.algorithm));
    const detail = why?.outcome === 'error' ? `: ${why.failure}: ${why.detail}` : '';
    return unread('ssh.hostKeySizes', `host key ${algorithms.join(', ')} offered, but its size was not read${detail}`);
  });
}
