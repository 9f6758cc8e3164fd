import type { AuthObservation } from '../../probes/auth-observation.js';

/**
 * Why a login is held off: the device said so (HTTP 429, a lockout message), stopped taking connections
 * after it had answered, or refused the very credential it had accepted before a burst (a silent lockout).
 */
export type HoldOffKind = 'locked' | 'unanswered' | 'silent-lockout';

export interface HoldOff {
  kind: HoldOffKind;
  /** The status, code or message that showed it. */
  signal: string;
  /** The account the refusal was aimed at. */
  account: string;
  /** The check that left the login held off, and when. */
  checkId: string;
  since: number;
}

/** Failures that, once a service has answered, mean it is holding the client off rather than absent. */
const HOLD_OFF_FAILURES = new Set(['refused', 'reset', 'closed', 'timeout']);

/**
 * What the run knows about each login (keyed by service), shared by every check: whether it has answered
 * at all, and whether some check left it held off. Checks run one after another on the same device, so a
 * check that trips a lockout or a rate limit would otherwise spoil the next one on the same login.
 */
export class HoldOffLedger {
  readonly #holdOffs = new Map<string, HoldOff>();
  readonly #answered = new Set<string>();

  current(service: string): HoldOff | null {
    return this.#holdOffs.get(service) ?? null;
  }

  /** Takes in one login attempt's outcome. */
  observe(service: string, account: string, checkId: string, observation: AuthObservation): void {
    const { outcome } = observation;
    if (outcome === 'accepted' || outcome === 'rejected') {
      this.#answered.add(service);
      // A silent lockout answers "wrong password" to everything: only the accepted credential ends it.
      if (outcome === 'accepted' || this.#holdOffs.get(service)?.kind !== 'silent-lockout') this.#holdOffs.delete(service);
      return;
    }
    if (outcome === 'locked') {
      this.mark(service, { kind: 'locked', signal: observation.lockoutSignal ?? observation.detail, account, checkId, since: Date.now() });
    } else if (this.#answered.has(service) && observation.failure && HOLD_OFF_FAILURES.has(observation.failure)) {
      this.mark(service, { kind: 'unanswered', signal: observation.detail, account, checkId, since: Date.now() });
    }
  }

  mark(service: string, holdOff: HoldOff): void {
    const earlier = this.#holdOffs.get(service);
    this.#holdOffs.set(service, earlier && earlier.kind === holdOff.kind ? { ...holdOff, since: earlier.since } : holdOff);
  }

  clear(service: string): void {
    this.#holdOffs.delete(service);
  }

  /** The logins a check leaves held off when it ends, for its evidence. */
  leftBy(checkId: string): Array<{ service: string; holdOff: HoldOff }> {
    return [...this.#holdOffs].filter(([, h]) => h.checkId === checkId).map(([service, holdOff]) => ({ service, holdOff }));
  }
}
