import type { AccountLockout, LoginVerdict } from './lockout.js';
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';

/** A username/password pair the simulated device accepts. */
export interface Login {
  username: string;
  password: string;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

const CLASSES = [/[A-Z]/, /[a-z]/, /[0-9]/];

/**
 * A per-device password: `length` characters from [A-Za-z0-9], drawn with crypto.randomInt, redrawn until
 * it has upper case, lower case and digits, as the simulated vendor declares (about 3 % of plain draws lack one).
 */
export function generatePassword(length = 20): string {
  for (;;) {
    let out = '';
    for (let i = 0; i < length; i++) out += ALPHABET[randomInt(ALPHABET.length)];
    if (CLASSES.every((c) => c.test(out))) return out;
  }
}

function digest(value: string | Buffer): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Constant-time comparison of a presented secret against the expected one (any lengths). */
export function secretEquals(presented: string | Buffer | undefined | null, expected: string): boolean {
  if (presented === undefined || presented === null) return false;
  return timingSafeEqual(digest(presented), digest(expected));
}

/** True when both username and password match `login`. Both comparisons always run. */
export function loginMatches(login: Login, username: string | undefined | null, password: string | Buffer | undefined | null): boolean {
  const userOk = secretEquals(username ?? undefined, login.username);
  const passOk = secretEquals(password ?? undefined, login.password);
  return userOk && passOk;
}

/** Checks a login against the device's account, through its lockout when it has one. */
export function checkLogin(login: Login, username: string | undefined | null, password: string | Buffer | undefined | null, lockout?: AccountLockout): LoginVerdict {
  const account = username ?? '';
  if (lockout && lockout.remainingMs(account) > 0) return 'locked';
  const ok = loginMatches(login, username, password);
  lockout?.record(account, ok);
  return ok ? 'accepted' : 'rejected';
}
