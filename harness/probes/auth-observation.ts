import type { NetFailure } from '../net/errors.js';
import type { Secret } from '../secrets/secret.js';

/** A username/secret pair about to be tried. The secret is revealed on the wire only. */
export interface TrialCredential {
  username: string;
  password: Secret;
}

/**
 * What one authentication attempt showed. Probes observe; checks decide. `locked` means the device said
 * so in protocol terms (HTTP 423/429, an MQTT "banned" or "quota exceeded" reason, a lockout message);
 * slowing down is not an outcome but a latency, which checks judge.
 */
export interface AuthObservation {
  outcome: 'accepted' | 'rejected' | 'locked' | 'error';
  /** Protocol-level detail: HTTP status, SSH failure, MQTT return/reason code… */
  detail: string;
  latencyMs: number;
  /** Set when outcome is 'error'. */
  failure?: NetFailure;
  /** Set when outcome is 'locked': the status, code or message that said so. */
  lockoutSignal?: string;
  /** Transcript excerpts; secrets appear only as their redaction marker. */
  sent: string;
  received: string;
  /** The bytes the device sent back, verbatim (capped), where the protocol is not encrypted end to end. */
  rawReceived?: Buffer;
}

export function elapsed(since: bigint): number {
  return Number((process.hrtime.bigint() - since) / 1000n) / 1000;
}
