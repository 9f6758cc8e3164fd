import type { HostKeyObservation } from '../probes/ssh/host-key-sizes.js';
import type { SshAlgorithms } from '../probes/ssh/kexinit.js';
import type { EffectiveCryptoRules } from './effective.js';
import { offending, type CryptoFinding } from './finding.js';

/**
 * A server's KEXINIT and host keys against the SSH rules. Both directions of encryption, MAC and
 * compression count: the client may pick from either list, so each offending name is reported once.
 */
export function judgeSsh(algorithms: SshAlgorithms, hostKeys: HostKeyObservation[], rules: EffectiveCryptoRules): CryptoFinding[] {
  const { ssh } = rules;
  const findings: CryptoFinding[] = [];
  const judge = (rule: 'ssh.kex' | 'ssh.hostKey' | 'ssh.encryption' | 'ssh.mac' | 'ssh.compression', label: string, offered: string[], allowed: string[]) => {
    for (const name of new Set(offered)) if (!allowed.includes(name)) findings.push(offending(rule, `${label} ${name}`));
  };
  judge('ssh.kex', 'kex', algorithms.kex, ssh.kex);
  judge('ssh.hostKey', 'host key', algorithms.hostKey, ssh.hostKey);
  judge('ssh.encryption', 'encryption', [...algorithms.encryptionCtoS, ...algorithms.encryptionStoC], ssh.encryption);
  judge('ssh.mac', 'mac', [...algorithms.macCtoS, ...algorithms.macStoC], ssh.mac);
  judge('ssh.compression', 'compression', [...algorithms.compressionCtoS, ...algorithms.compressionStoC], ssh.compression);
  // rsa-sha2-256, rsa-sha2-512 and ssh-rsa usually present the same key: one finding per size.
  const rsaBits = new Set(hostKeys.flatMap((k) => (k.outcome === 'observed' && k.keyType === 'ssh-rsa' && k.bits < ssh.minRsaHostKeyBits ? [k.bits] : [])));
  for (const bits of [...rsaBits].sort((a, b) => a - b)) findings.push(offending('ssh.minRsaHostKeyBits', `RSA host key of ${bits} bits`));
  return findings;
}
