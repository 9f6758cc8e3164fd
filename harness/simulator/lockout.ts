/**
 * Per-account lockout, shared by every service of the simulated device (as on real devices, where one
 * admin account spans the web UI, SSH and MQTT): `threshold` consecutive failures lock the account for
 * `lockMs`, during which even the right password is refused; a success resets the count.
 */
export class AccountLockout {
  readonly #failures = new Map<string, number>();
  readonly #lockedUntil = new Map<string, number>();

  constructor(readonly threshold: number, readonly lockMs: number) {}

  /** Milliseconds the account stays locked, or 0. */
  remainingMs(username: string): number {
    return Math.max(0, (this.#lockedUntil.get(username) ?? 0) - Date.now());
  }

  record(username: string, success: boolean): void {
    if (success) {
      this.#failures.delete(username);
      return;
    }
    const failures = (this.#failures.get(username) ?? 0) + 1;
    this.#failures.set(username, failures);
    if (failures >= this.threshold) {
      this.#lockedUntil.set(username, Date.now() + this.lockMs);
      this.#failures.delete(username);
    }
  }
}

export type LoginVerdict = 'accepted' | 'rejected' | 'locked';
