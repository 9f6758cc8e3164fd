/**
 * S1.1-02 共通でないデフォルトパスワード — no universal default password (EN 303 645 5.1-1, 5.1-2).
 * ★1 evaluates it on documents; jcstar adds the device evidence: on every password login, a random
 * credential must be refused (negative control) and no universal default may be accepted. The declared
 * scheme is then tested: unique-per-device passwords across the units of a fleet, or a factory-fresh unit
 * that refuses to work until the user sets a password.
 */
import { isHeldOff, PacedLogin } from '../harness/checks/hold-off/paced.js';
import { randomCredential, type Attempt } from '../harness/checks/login-attempts.js';
import { recordDeclaration } from '../harness/checks/declarations.js';
import { DECLARED_NOT_OBSERVED, planCompleteness } from '../harness/checks/documents/completeness.js';
import { planPstiStatement } from '../harness/checks/documents/psti-statement.js';
import { clientCertificateOf } from '../harness/checks/key-login/client-certificate.js';
import { keyLoginDefaults } from '../harness/checks/key-login/default-credentials.js';
import { isKeyOnlyLogin, unprobedKeyLogin } from '../harness/checks/key-login/mechanisms.js';
import { assessFleet, initialPasswords } from '../harness/checks/default-password/fleet.js';
import { judgeFirstUse, type FirstUseObservation } from '../harness/checks/default-password/first-use.js';
import { requestAtFirstUse } from '../harness/checks/default-password/first-use-request.js';
import { checkSnmpDefaultCredentials } from '../harness/checks/default-password/snmp.js';
import { defaultsFor, loadUniversalDefaults } from '../harness/credentials/universal-defaults.js';
import { isLoginProbe, loginProbeFor, PASSWORD_MECHANISMS } from '../harness/probes/login.js';
import type { CheckContext } from '../harness/suite/context.js';
import { requirementSuite, serviceTarget } from '../harness/suite/define.js';
import type { Service } from '../harness/profile/types.js';
import type { LoginProbe } from '../harness/probes/login.js';
import { fail, inconclusive, notApplicable, pass, manual, type CheckOutcome } from '../harness/verdicts/outcome.js';

const REQUIREMENT = 'S1.1-02';
/** Consecutive errors after which the device is taken to have stopped answering (lockout, rate limit, crash). */
const MAX_CONSECUTIVE_ERRORS = 3;
/** Universal defaults offered to a factory-fresh first-use device: enough to catch a hidden default, few enough to stay gentle. */
const FIRST_USE_DEFAULTS = 3;

export default requirementSuite(REQUIREMENT, (suite) => {
  const { profile } = suite;
  // Undeclared services found by the inventory get the same universal defaults as declared ones.
  const services = [...profile.services, ...suite.discovered];
  for (const service of services.filter((s) => PASSWORD_MECHANISMS.has(s.auth))) {
    const probe = loginProbeFor(service, clientCertificateOf(profile, service));
    suite.check(
      {
        id: `${REQUIREMENT}/default-credentials/${service.name}`,
        title: `No universal default credential accepted on ${service.name} (${service.protocol}/${service.port}, ${service.auth})`,
        target: serviceTarget(profile, service),
        // Room to wait out the device's hold-offs on top of the attempts themselves.
        budgetMs: profile.policy.budgets.checkMs + profile.policy.holdOff.budgetMs,
      },
      // A password only behind a key (client certificate, key-only SSH) cannot hold a default anyone can use.
      async (ctx) => (await keyLoginDefaults(ctx, service)) ?? (isLoginProbe(probe) ? checkDefaultCredentials(ctx, service, probe) : noProbe(ctx, probe.missing)),
    );
  }
  // Key logins (public key, client certificate, pre-shared key): no password to hold a default.
  for (const service of services.filter(isKeyOnlyLogin)) {
    suite.check(
      {
        id: `${REQUIREMENT}/default-credentials/${service.name}`,
        title: `No password login to hold a default on ${service.name} (${service.protocol}/${service.port}, ${service.auth})`,
        target: serviceTarget(profile, service),
      },
      async (ctx) => (await keyLoginDefaults(ctx, service)) ?? notApplicable(unprobedKeyLogin(service)),
    );
  }
  // SNMP communities and USM users are no password login: harness/checks/default-password/snmp.ts tries them.
  for (const service of services.filter((s) => s.protocol === 'snmp' && (s.auth === 'community' || s.auth === 'usm'))) {
    suite.check(
      {
        id: `${REQUIREMENT}/default-credentials/${service.name}`,
        title: `No universal default community answered on ${service.name} (snmp/${service.port}, ${service.auth})`,
        target: serviceTarget(profile, service),
      },
      (ctx) => checkSnmpDefaultCredentials(ctx, service),
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
  planCompleteness(suite, REQUIREMENT);
  planPstiStatement(suite, REQUIREMENT);
  const scheme = profile.declarations.defaultPasswordScheme?.scheme;
  suite.check(
    // The passwords compared are the profile's; `jcstar fleet` compares those its units' runs saw accepted.
    {
      id: `${REQUIREMENT}/unique-per-device/fleet`,
      title: `Initial passwords differ between units, are not derived from MAC, serial or model, and are strong (${DECLARED_NOT_OBSERVED})`,
      basis: 'declared',
    },
    (ctx) => checkFleet(ctx, scheme),
  );
  if (scheme === 'user-set-at-first-use') {
    for (const service of profile.services.filter((s) => (s.protocol === 'http' || s.protocol === 'https') && s.auth !== 'none')) {
      suite.check(
        {
          id: `${REQUIREMENT}/first-use/${service.name}`,
          title: `${service.name} refuses normal operation until the user sets a password (${service.protocol}/${service.port})`,
          target: serviceTarget(profile, service),
        },
        (ctx) => checkFirstUse(ctx, service),
      );
    }
  }
}, { readsSurface: true });

async function checkFleet(ctx: CheckContext, scheme: string | undefined): Promise<CheckOutcome> {
  if (scheme === undefined) return inconclusive('the profile declares no defaultPasswordScheme; declare unique-per-device (and list fleet[]) to have the initial passwords checked');
  if (scheme !== 'unique-per-device') {
    return notApplicable(`the declared scheme is "${scheme}": the device ships no per-unit password to compare across units`);
  }
  const { units, assessments, findings } = assessFleet(initialPasswords(ctx.profile), {
    model: ctx.profile.device.model,
    strength: ctx.policy.defaultPassword,
    universalDefaults: loadUniversalDefaults().entries,
  });
  const evidence = ctx.evidence.record({
    kind: 'observation',
    summary: declaredOnly(`initial passwords of ${units} unit(s) against the unique-per-device rules: ${findings.length === 0 ? 'all rules met' : `${findings.length} finding(s)`}`),
    data: { units, passwords: assessments, policy: ctx.policy.defaultPassword },
  });
  if (findings.length > 0) return fail(declaredOnly(`${findings.join('; ')} (evidence #${evidence.seq})`));
  if (units < 2) {
    // Evidence that cannot be gathered is not a doubt about the device: the other rules were met.
    return notApplicable(declaredOnly(`uniqueness needs at least two units, and only ${units} unit's initial password is known; its rules were met (evidence #${evidence.seq}); add fleet[] with another unit of the same model to test uniqueness`));
  }
  return pass(declaredOnly(`${units} units have distinct initial passwords, none derived from MAC, serial number or model, none a universal default, all meeting the strength rule (evidence #${evidence.seq})`));
}

/** The fleet check judges the profile's passwords, so everything it says is marked as declared. */
function declaredOnly(text: string): string {
  return `${DECLARED_NOT_OBSERVED}: ${text}`;
}

async function checkFirstUse(ctx: CheckContext, service: Service): Promise<CheckOutcome> {
  const state = ctx.profile.device.state;
  if (state !== 'factory-fresh') {
    const why = state === undefined ? 'the profile does not declare device.state: factory-fresh' : 'the unit is not factory-fresh (device.state: configured)';
    ctx.evidence.record({ kind: 'note', summary: `${why}; nothing sent`, target: ctx.target });
    return inconclusive(`${why}, so whether it works before a password is set cannot be seen; reset it to factory state and declare factory-fresh`);
  }
  const defaults = defaultsFor(loadUniversalDefaults(), 'http', FIRST_USE_DEFAULTS);
  const observations: FirstUseObservation[] = [];
  for (const path of service.paths?.length ? service.paths : ['/']) {
    for (const offered of [null, ...defaults]) {
      const observation = await requestAtFirstUse(ctx, service, path, offered);
      observations.push(observation);
      if (observation.answer === 'operating') return judgeFirstUse(service.name, observations);
    }
  }
  return judgeFirstUse(service.name, observations);
}

async function noProbe(ctx: CheckContext, missing: string): Promise<CheckOutcome> {
  ctx.evidence.record({ kind: 'note', summary: missing, target: ctx.target });
  return inconclusive(missing);
}

async function checkDefaultCredentials(ctx: CheckContext, service: Service, probe: LoginProbe): Promise<CheckOutcome> {
  // Every attempt paces itself to the device: a hold-off is waited out and the same credential tried again.
  const paced = new PacedLogin(ctx, probe, ctx.policy.holdOff.budgetMs);
  const control = await paced.attempt('negative-control', 'random', randomCredential());
  if (isHeldOff(control)) return inconclusive(`negative control could not be tried on ${service.name}: ${control.reason}`);
  if (control.observation.outcome === 'accepted') {
    return inconclusive(`${service.name} accepted a random credential: it does not enforce authentication, so defaults prove nothing here (an S1.1-01 finding)`);
  }
  if (control.observation.outcome === 'error' || control.observation.outcome === 'locked') {
    return inconclusive(`negative control failed on ${service.name}: ${control.observation.detail}`);
  }

  const declared = service.credential ? ctx.profile.credentials[service.credential] : undefined;
  const correct = declared?.username !== undefined && declared.password ? { username: declared.username, password: declared.password } : null;
  const positiveControl = async (label: string): Promise<CheckOutcome | null> => {
    if (!correct) return null;
    const positive = await paced.attempt('positive-control', label, correct);
    if (isHeldOff(positive)) return inconclusive(`the declared credential "${service.credential}" could not be tried on ${service.name}: ${positive.reason}`);
    if (positive.observation.outcome === 'accepted') return null;
    return inconclusive(label === 'after-defaults'
      ? `the declared credential "${service.credential}" was refused on ${service.name} after the defaults (${positive.observation.detail}, evidence #${positive.evidence.seq}), though accepted before them: a silent lockout may have refused a default that works, so none is ruled out`
      : `the declared credential "${service.credential}" was not accepted on ${service.name} (${positive.observation.detail}); check the profile, since a service that refuses everything cannot be told apart from a secure one`);
  };
  const before = await positiveControl(service.credential ?? 'declared');
  if (before) return before;

  const list = loadUniversalDefaults();
  const candidates = defaultsFor(list, probe.family, ctx.policy.defaultCredentials.maxAttemptsPerService);
  const attempts: Attempt[] = [];
  let consecutiveErrors = 0;
  const paceNote = () => (paced.waitedMs > 0 ? `; it held jcstar off, which waited ${(paced.waitedMs / 1000).toFixed(0)} s in all` : '');
  for (const entry of candidates) {
    const attempt = await paced.attempt('default', entry.id, entry);
    if (isHeldOff(attempt)) {
      return inconclusive(`${service.name}: ${attempts.length} of ${candidates.length} defaults tried, none accepted; the rest could not be tried: ${attempt.reason}`);
    }
    attempts.push(attempt);
    if (attempt.observation.outcome === 'accepted') {
      return fail(`${service.name} accepted the universal default credential ${entry.id} (user "${entry.username}"; source: ${entry.source}); see evidence #${attempt.evidence.seq}`);
    }
    consecutiveErrors = attempt.observation.outcome === 'error' ? consecutiveErrors + 1 : 0;
    if (consecutiveErrors >= MAX_CONSECUTIVE_ERRORS) {
      return inconclusive(`${service.name} stopped answering after ${attempts.length} of ${candidates.length} defaults (${attempt.observation.detail}), none accepted; the rest were not tried`);
    }
  }
  const errors = attempts.filter((a) => a.observation.outcome !== 'rejected');
  if (errors.length > 0) {
    return inconclusive(`${errors.length} of ${candidates.length} default credentials could not be tried on ${service.name} (${errors[0]!.observation.detail})`);
  }
  // Refusals count only while the login still works: a lockout that answers "wrong password" hides a default.
  const after = await positiveControl('after-defaults');
  if (after) return after;
  return pass(`${service.name} refused a random credential and all ${candidates.length} universal ${probe.family} defaults of list ${list.version}${paceNote()}`);
}
