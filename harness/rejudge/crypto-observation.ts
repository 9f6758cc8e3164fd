import { judgeDtlsService } from '../checks/encryption/dtls.js';
import type { CryptoJudgeKind, CryptoJudgement } from '../checks/encryption/judged.js';
import { judgeSshService } from '../checks/encryption/ssh.js';
import { judgeTlsService } from '../checks/encryption/tls.js';
import type { EffectiveCryptoRules } from '../crypto/effective.js';
import type { EvidenceRecord } from '../evidence/records.js';
import type { HostKeyObservation } from '../probes/ssh/host-key-sizes.js';
import type { SshAlgorithms } from '../probes/ssh/kexinit.js';
import type { DtlsObservation, TlsObservation } from '../probes/tls/observation.js';

/**
 * A crypto check's stored observation, read back from evidence.jsonl. The TLS, DTLS and SSH observations are
 * plain JSON by construction (names, numbers, booleans, ISO dates as strings; no Buffer, Date or bigint), so
 * JSON.parse gives back exactly what the live check judged and no reviver is needed; test/rejudge checks this
 * on a real run. The raw bytes (hellos, KEXINIT) are artifacts and are not judged.
 */
export type RecordedCryptoObservation = Record<string, unknown> & { judge: CryptoJudgeKind; service: string };

const JUDGES: Record<CryptoJudgeKind, (data: RecordedCryptoObservation, rules: EffectiveCryptoRules, seq: number) => CryptoJudgement> = {
  tls: (data, rules, seq) => judgeTlsService(data as unknown as TlsObservation, rules, data.service, seq),
  dtls: (data, rules, seq) => judgeDtlsService(data as unknown as DtlsObservation, rules, data.service, seq),
  ssh: (data, rules, seq) => judgeSshService(data as unknown as SshAlgorithms, data.hostKeys as HostKeyObservation[], rules, data.service, seq),
};

/** An observation a crypto check judged: it names its judge and service (runs before re-judging existed do not). */
export function isJudgedCryptoObservation(record: EvidenceRecord): record is EvidenceRecord & { data: RecordedCryptoObservation } {
  const data = record.data;
  return record.kind === 'observation' && data !== null && typeof data.judge === 'string' && data.judge in JUDGES && typeof data.service === 'string';
}

/** The same judging the live check ran, on the stored observation, under other rules. */
export function judgeRecordedCrypto(record: EvidenceRecord & { data: RecordedCryptoObservation }, rules: EffectiveCryptoRules): CryptoJudgement {
  return JUDGES[record.data.judge](record.data, rules, record.seq);
}
