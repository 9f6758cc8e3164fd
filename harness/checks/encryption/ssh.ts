import { cryptoRulesRef, type EffectiveCryptoRules } from '../../crypto/effective.js';
import { judgeSsh } from '../../crypto/judge-ssh.js';
import { probeSshHostKeySizes, type HostKeyObservation } from '../../probes/ssh/host-key-sizes.js';
import { probeSshAlgorithms, type SshAlgorithms } from '../../probes/ssh/kexinit.js';
import type { Service } from '../../profile/types.js';
import type { CheckContext } from '../../suite/context.js';
import { inconclusive, type CheckOutcome } from '../../verdicts/outcome.js';
import { judged, type CryptoJudgeKind, type CryptoJudgement } from './judged.js';

function describeHostKey(key: HostKeyObservation): string {
  return key.outcome === 'observed' ? `${key.algorithm} ${key.bits} bits` : `${key.algorithm} unread (${key.failure})`;
}

/**
 * S1.1-12 on an SSH service: every algorithm the server's KEXINIT offers, and the size of each host key,
 * against the crypto rules. FAIL names each offending item; the evidence keeps the lists and the rules.
 */
export async function checkSshCrypto(ctx: CheckContext, service: Service): Promise<CheckOutcome> {
  const host = ctx.profile.target.address;
  const timeoutMs = ctx.policy.budgets.replyTimeoutMs;
  const rules = cryptoRulesRef(ctx.crypto);
  const observed = await probeSshAlgorithms(ctx.net, { host, port: service.port, signal: ctx.signal, timeoutMs });
  if (observed.outcome === 'error') {
    ctx.evidence.record({
      kind: 'exchange',
      summary: `SSH identification and KEXINIT not read: ${observed.failure}: ${observed.detail}`,
      target: ctx.target,
      sent: observed.sent,
      received: observed.received,
      data: { rules, failure: observed.failure, detail: observed.detail, banner: observed.banner, latencyMs: observed.latencyMs },
      artifacts: observed.rawReceived.length > 0 ? [{ name: `ssh-${service.port}-received.bin`, bytes: observed.rawReceived, mediaType: 'application/octet-stream' }] : [],
    });
    return inconclusive(`${service.name}: the server's SSH algorithms could not be read (${observed.failure}: ${observed.detail})`);
  }

  const hostKeys = await probeSshHostKeySizes(ctx.net, { host, port: service.port, algorithms: observed.hostKey, signal: ctx.signal, timeoutMs });
  const { banner, software, kex, hostKey, encryptionCtoS, encryptionStoC, macCtoS, macStoC, compressionCtoS, compressionStoC } = observed;
  const observation = ctx.evidence.record({
    kind: 'observation',
    summary: `${software ?? banner}: ${kex.length} kex, ${hostKey.length} host key, ${new Set([...encryptionCtoS, ...encryptionStoC]).size} encryption, ${new Set([...macCtoS, ...macStoC]).size} MAC algorithms; host keys ${hostKeys.map(describeHostKey).join(', ') || 'none'}`,
    target: ctx.target,
    sent: observed.sent,
    received: observed.received,
    data: {
      rules, judge: 'ssh' satisfies CryptoJudgeKind, service: service.name, banner, software, kex, hostKey, encryptionCtoS, encryptionStoC, macCtoS, macStoC, compressionCtoS, compressionStoC, hostKeys,
      latencyMs: observed.latencyMs,
      table: {
        caption: `SSH on ${service.port}/tcp: ${software ?? banner}`,
        header: ['Kind', 'Algorithms, in the server\'s order'],
        rows: [
          ['key exchange', kex.join('\n')],
          ['host key', hostKeys.map(describeHostKey).join('\n') || hostKey.join('\n')],
          ['encryption (server to client)', encryptionStoC.join('\n')],
          ['MAC (server to client)', macStoC.join('\n')],
          ['compression (server to client)', compressionStoC.join('\n')],
        ],
      },
    },
    artifacts: [{ name: `ssh-${service.port}-kexinit.bin`, bytes: observed.rawReceived, mediaType: 'application/octet-stream' }],
  });
  if (ctx.signal.aborted) return inconclusive(`${service.name}: stopped before every host key was read`);

  const { findings, passReason } = judgeSshService(observed, hostKeys, ctx.crypto, service.name, observation.seq);
  return judged(ctx, findings, observation.seq, passReason);
}

/** The judging half of the check; `jcstar report --rules` runs it again on the stored observation. */
export function judgeSshService(algorithms: SshAlgorithms, hostKeys: HostKeyObservation[], rules: EffectiveCryptoRules, serviceName: string, observationSeq: number): CryptoJudgement {
  return {
    findings: judgeSsh(algorithms, hostKeys, rules),
    passReason: `${serviceName}: every SSH algorithm offered and every host key size passes the rules (evidence #${observationSeq})`,
  };
}
