import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';

/**
 * A fresh secret for one test run: letters and digits, so that it survives every config syntax unquoted,
 * and always all three classes, so that the hardened device's passwords meet the default strength rule.
 */
export function freshSecret(): string {
  return `${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}Kq7`;
}

/** An htpasswd line (apr1, as `htpasswd -m` writes) for nginx's auth_basic_user_file. */
export function htpasswdLine(user: string, password: string): string {
  return `${user}:${execFileSync('openssl', ['passwd', '-apr1', '-stdin'], { input: password }).toString().trim()}\n`;
}
