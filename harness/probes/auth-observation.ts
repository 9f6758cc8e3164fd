import type { NetFailure } from '../net/errors.js';
import type { Secret } from '../secrets/secret.js';

/** A username/secret pair about to be tried. The secret is revealed on the wire only. */
export interface TrialCredential {
  username: string;
  password: Secret;
}

/** What one authentication attempt showed. Probes observe; checks decide. */
export interface AuthObservation {
  outcome: 'accepted' | 'rejected' | 'error';
  /** Protocol-level detail: HTTP status, SSH failure, MQTT return/reason code… */
  detail: string;
  latencyMs: number;
  /** Set when outcome is 'error'. */
  failure?: NetFailure;
  /** Transcript excerpts; secrets appear only as their redaction marker. */
  sent: string;
  received: string;
  /** The bytes the device sent back, verbatim (capped), where the protocol is not encrypted end to end. */
  rawReceived?: Buffer;
}

export function elapsed(since: bigint): number {
  return Number((process.hrtime.bigint() - since) / 1000n) / 1000;
}
