import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { EvidenceRecord, RunEndRecord, RunRecord, RunStartRecord } from '../evidence/records.js';
import { EVIDENCE_FILE, readRecords } from '../evidence/store.js';
import type { DeviceProfile } from '../profile/types.js';

/** What a unit's own run showed of its declared credentials, or why it showed nothing the fleet can use. */
export type UnitCredentials = { accepted: Set<string> } | { notEstablished: string };

/**
 * The declared credentials the device accepted in this unit's completed run: a positive control (S1.1-02's
 * default-credential check, S1.1-04's baseline…) on a service that uses the credential, answered "accepted".
 * Only a password the device is seen to take is its initial password; a profile value alone is a claim.
 */
export function establishedCredentials(runDir: string, profile: DeviceProfile): UnitCredentials {
  if (!existsSync(join(runDir, EVIDENCE_FILE))) return { notEstablished: 'it did not run' };
  let records: RunRecord[];
  try {
    records = readRecords(runDir);
  } catch (err) {
    return { notEstablished: `its evidence log cannot be read (${(err as Error).message})` };
  }
  const start = records.find((r): r is RunStartRecord => r.type === 'run-start');
  if (!start) return { notEstablished: 'its evidence log has no run-start record' };
  if (start.profile.sha256 !== profile.source.sha256) return { notEstablished: 'its run folder holds a run of another profile' };
  const end = records.find((r): r is RunEndRecord => r.type === 'run-end');
  if (end?.status !== 'complete') return { notEstablished: `its run did not complete (${end?.status ?? 'no end recorded'})` };
  const accepted = new Set<string>();
  for (const r of records.filter((r): r is EvidenceRecord => r.type === 'evidence' && r.kind === 'exchange')) {
    if (r.data?.role !== 'positive-control' || r.data.outcome !== 'accepted' || !r.target || r.target.host !== profile.target.address) continue;
    for (const s of profile.services) {
      if (s.credential && s.port === r.target.port && s.protocol === r.target.protocol) accepted.add(s.credential);
    }
  }
  return { accepted };
}
