/**
 * S1.1-02 共通でないデフォルトパスワード — no universal default password (EN 303 645 5.1-1, 5.1-2).
 * ★1 evaluates it on documents; jcstar adds the device evidence: on every password login, a random
 * credential must be refused (negative control) and no universal default may be accepted.
 */
import { attemptLogin, randomCredential, type Attempt } from '../harness/checks/login-attempts.js';
import { recordDeclaration } from '../harness/checks/declarations.js';
import { defaultsFor, loadUniversalDefaults } from '../harness/credentials/universal-defaults.js';
import { isLoginProbe, loginProbeFor, PASSWORD_MECHANISMS } from '../harness/probes/login.js';
import type { CheckContext } from '../harness/suite/context.js';
import { requirementSuite, serviceTarget } from '../harness/suite/define.js';
import type { Service } from '../harness/profile/types.js';
import type { LoginProbe } from '../harness/probes/login.js';
import { fail, inconclusive, pass, manual, type CheckOutcome } from '../harness/verdicts/outcome.js';

const REQUIREMENT = 'S1.1-02';
/** Consecutive errors after which the device is taken to have stopped answering (lockout, rate limit, crash). */
const MAX_CONSECUTIVE_ERRORS = 3;

export default requirementSuite(REQUIREMENT, (suite) => {
  const { profile } = suite;
  for (const service of profile.services.filter((s) => PASSWORD_MECHANISMS.has(s.auth))) {
    const probe = loginProbeFor(service);
    suite.check(
      {
        id: `${REQUIREMENT}/default-credentials/${service.name}`,
        title: `No universal default credential accepted on ${service.name} (${service.protocol}/${service.port}, ${service.auth})`,
        target: serviceTarget(profile, service),
      },
      (ctx) => (isLoginProbe(probe) ? checkDefaultCredentials(ctx, service, probe) : noProbe(ctx, probe.missing)),
    );
  }
  suite.check(
    { id: `${REQUIREMENT}/default-password-scheme/declaration`, title: 'Declared default-password scheme (unique per device or set by the user)', basis: 'declared' },
    async (ctx) => {
      const declared = recordDeclaration(ctx, 'defaultPasswordScheme');
      if (!declared) return inconclusive('the profile declares no defaultPasswordScheme; the ★1 checklist needs it');
      return manual(`declared scheme "${String(declared.scheme)}": a person must review the generator documentation (TS 103 701 5.1-2-1)`);
    },
  );
});

async function noProbe(ctx: CheckContext, missing: string): Promise<CheckOutcome> {
  ctx.evidence.record({ kind: 'note', summary: missing, target: ctx.target });
  return inconclusive(missing);
}

async function checkDefaultCredentials(ctx: CheckContext, service: Service, probe: LoginProbe): Promise<CheckOutcome> {
  const control = await attemptLogin(ctx, probe, 'negative-control', 'random', randomCredential());
  if (control.observation.outcome === 'accepted') {
    return inconclusive(`${service.name} accepted a random credential: it does not enforce authentication, so defaults prove nothing here (an S1.1-01 finding)`);
  }
  if (control.observation.outcome === 'error' || control.observation.outcome === 'locked') {
    return inconclusive(`negative control failed on ${service.name}: ${control.observation.detail}`);
  }

  const declared = service.credential ? ctx.profile.credentials[service.credential] : undefined;
  if (declared?.username !== undefined && declared.password) {
    const positive = await attemptLogin(ctx, probe, 'positive-control', service.credential!, { username: declared.username, password: declared.password });
    if (positive.observation.outcome !== 'accepted') {
      return inconclusive(`the declared credential "${service.credential}" was not accepted on ${service.name} (${positive.observation.detail}); check the profile, since a service that refuses everything cannot be told apart from a secure one`);
    }
  }

  const list = loadUniversalDefaults();
  const candidates = defaultsFor(list, probe.family, ctx.policy.defaultCredentials.maxAttemptsPerService);
  const attempts: Attempt[] = [];
  let consecutiveErrors = 0;
  for (const entry of candidates) {
    const attempt = await attemptLogin(ctx, probe, 'default', entry.id, entry);
    attempts.push(attempt);
    if (attempt.observation.outcome === 'accepted') {
      return fail(`${service.name} accepted the universal default credential ${entry.id} (user "${entry.username}"; source: ${entry.source}); see evidence #${attempt.evidence.seq}`);
    }
    if (attempt.observation.outcome === 'locked') {
      return inconclusive(`${service.name} locked the client out after ${attempts.length} of ${candidates.length} defaults (${attempt.observation.lockoutSignal}); the rest were not tried, so no default can be ruled out`);
    }
    consecutiveErrors = attempt.observation.outcome === 'error' ? consecutiveErrors + 1 : 0;
    if (consecutiveErrors >= MAX_CONSECUTIVE_ERRORS) {
      return inconclusive(`${service.name} stopped answering after ${attempts.length} of ${candidates.length} defaults (${attempt.observation.detail}); possible lockout or rate limit, so the rest were not tried`);
    }
  }
  const errors = attempts.filter((a) => a.observation.outcome === 'error');
  if (errors.length > 0) {
    return inconclusive(`${errors.length} of ${candidates.length} default credentials could not be tried on ${service.name} (${errors[0]!.observation.detail})`);
  }
  return pass(`${service.name} refused a random credential and all ${candidates.length} universal ${probe.family} defaults of list ${list.version}`);
}
