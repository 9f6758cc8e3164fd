import type { IncomingHttpHeaders } from 'node:http';
import { fail, inconclusive, pass, type CheckOutcome } from '../../verdicts/outcome.js';

/**
 * How a protected page of a factory-fresh "user-set-at-first-use" device answered (TS 103 701 5.1-1-2:
 * the password must be set before use). `refused` is the good answer: a redirect (to a setup page) or a
 * 403 that asks for no credentials. `login-offered` means a password exists already.
 */
export type FirstUseAnswer = 'operating' | 'refused' | 'login-offered' | 'unexpected' | 'error';

export interface FirstUseObservation {
  path: string;
  /** The universal default offered with HTTP Basic, or null for a request without credentials. */
  defaultId: string | null;
  answer: FirstUseAnswer;
  detail: string;
  evidenceSeq: number;
}

export function classifyFirstUse(status: number, headers: IncomingHttpHeaders): { answer: FirstUseAnswer; detail: string } {
  const challenge = headers['www-authenticate'];
  const location = headers.location;
  if (status >= 200 && status < 300) return { answer: 'operating', detail: `HTTP ${status}` };
  if (challenge !== undefined || status === 401) return { answer: 'login-offered', detail: `HTTP ${status}${challenge ? ` WWW-Authenticate: ${String(challenge)}` : ''}` };
  if (status >= 300 && status < 400 && location) return { answer: 'refused', detail: `HTTP ${status} to ${location}` };
  if (status === 403) return { answer: 'refused', detail: 'HTTP 403 without WWW-Authenticate' };
  return { answer: 'unexpected', detail: `HTTP ${status}` };
}

/** FAIL on any normal operation before setup; PASS only when every request was refused without a login. */
export function judgeFirstUse(service: string, observations: FirstUseObservation[]): CheckOutcome {
  const served = observations.find((o) => o.answer === 'operating');
  if (served?.defaultId) {
    return fail(`${service} accepted the universal default ${served.defaultId} on ${served.path} (${served.detail}) although no password was ever set (evidence #${served.evidenceSeq})`);
  }
  if (served) {
    return fail(`${service} serves ${served.path} (${served.detail}) with no password set: normal operation before the user sets one (evidence #${served.evidenceSeq})`);
  }
  const login = observations.find((o) => o.answer === 'login-offered');
  if (login) {
    return inconclusive(`${service} asks for a login on ${login.path} (${login.detail}) although the unit is declared factory-fresh with a user-set password, so a password exists already (set up before, or shipped with one); reset the unit to factory state and run again (evidence #${login.evidenceSeq})`);
  }
  const odd = observations.find((o) => o.answer === 'unexpected' || o.answer === 'error');
  if (odd) {
    return inconclusive(`${service} neither served nor refused ${odd.path} (${odd.detail}); check services[].paths (evidence #${odd.evidenceSeq})`);
  }
  const paths = [...new Set(observations.map((o) => o.path))];
  const defaults = new Set(observations.flatMap((o) => (o.defaultId ? [o.defaultId] : []))).size;
  const answers = [...new Set(observations.filter((o) => o.defaultId === null).map((o) => `${o.path}: ${o.detail}`))];
  return pass(`${service} refused normal operation before a password was set, without offering a login (${answers.join('; ')}), on ${paths.length} protected path(s) with no credentials and with ${defaults} universal http defaults`);
}
