import type { HoldOffLedger } from '../checks/hold-off/ledger.js';
import type { UpdateTrial } from '../checks/update/trial.js';
import type { EffectiveCryptoRules } from '../crypto/effective.js';
import type { SurfaceView } from '../inventory/types.js';
import type { EvidenceInput, EvidenceRecord } from '../evidence/records.js';
import type { GuardedNetwork } from '../net/network.js';
import type { Policy } from '../policy/schema.js';
import type { DeviceProfile } from '../profile/types.js';
import type { Target } from '../results/schema.js';

/** Records evidence for one check; every item is tagged with the check and its requirement. */
export interface CheckEvidence {
  record(input: EvidenceInput): EvidenceRecord;
  readonly count: number;
}

/** Everything a check may use. The network is scope-guarded and rate-limited; nothing else reaches out. */
export interface CheckContext {
  checkId: string;
  requirement: string;
  target: Target | null;
  profile: DeviceProfile;
  policy: Policy;
  /** The crypto rules of this run (base rule set with the profile's changes); record its version with every crypto verdict. */
  crypto: EffectiveCryptoRules;
  net: GuardedNetwork;
  /** Logins some check left held off (locked, rate-limited), shared by every check of the run. */
  holdOffs: HoldOffLedger;
  /** The hands-on update trial, run once by the first update check that needs it and judged by all. */
  updateTrial: UpdateTrial;
  /** What the inventory checks found answering on the device (empty before they run). */
  surface: SurfaceView;
  evidence: CheckEvidence;
  /** Aborted when the check's budget runs out or the run is interrupted. */
  signal: AbortSignal;
}
