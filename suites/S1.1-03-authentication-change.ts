/**
 * S1.1-03 認証値の変更 — authentication values can be changed (EN 303 645 5.1-4).
 * ★1 evaluates it on documents; where the profile describes a change procedure, jcstar runs the
 * TS 103 701 5.1-4-2 test on the device: change the credential, see the old value rejected and the new
 * one accepted, then put the original back.
 */
import { recordDeclaration } from '../harness/checks/declarations.js';
import { planCompleteness } from '../harness/checks/documents/completeness.js';
import { isHeldOff, PacedLogin } from '../harness/checks/hold-off/paced.js';
import { judgeChange, restoreNeeded, type Restore } from '../harness/checks/credential-change/judge.js';
import { runProcedure } from '../harness/checks/credential-change/procedure.js';
import { withScrubbedEvidence } from '../harness/checks/credential-change/scrubbed-evidence.js';
import { loginStep, PROCEDURE_TIMEOUT_FACTOR } from '../harness/checks/credential-change/steps.js';
import { safeForShell, type TemplateValues } from '../harness/checks/credential-change/template.js';
import { temporaryPassword } from '../harness/checks/credential-change/temporary-password.js';
import { isLoginProbe, loginProbeFor, PASSWORD_MECHANISMS, type LoginProbe } from '../harness/probes/login.js';
import type { CredentialChange } from '../harness/profile/schema.js';
import type { DeviceProfile, Service } from '../harness/profile/types.js';
import type { CheckContext } from '../harness/suite/context.js';
import { requirementSuite, serviceTarget } from '../harness/suite/define.js';
import { inconclusive, manual, type CheckOutcome } from '../harness/verdicts/outcome.js';

const REQUIREMENT = 'S1.1-03';
/** Logins in the test: before, old and new after the change, original and temporary after the restore. */
const LOGINS = 5;
const PROCEDURES = 2;

export default requirementSuite(REQUIREMENT, (suite) => {
  const { profile } = suite;
  const procedures = profile.services.filter((s) => s.credential !== undefined && s.credentialChange !== undefined);
  for (const service of procedures) {
    suite.check(
      {
        id: `${REQUIREMENT}/credential-change/${service.name}`,
        title: `The credential of ${service.name} can be changed: old value rejected, new accepted (TS 103 701 5.1-4-2)`,
        target: serviceTarget(profile, service),
        budgetMs: worstCaseMs(profile),
      },
      (ctx) => checkCredentialChange(ctx, service, service.credentialChange!),
    );
  }
  const untested = profile.services.filter((s) => PASSWORD_MECHANISMS.has(s.auth) && s.credentialChange === undefined);
  if (procedures.length === 0 || untested.length > 0) {
    suite.check(
      { id: `${REQUIREMENT}/authentication-change/declaration`, title: 'Declared procedure for changing each authentication value', basis: 'declared' },
      async (ctx) => {
        const declared = recordDeclaration(ctx, 'authenticationChange');
        const names = untested.map((s) => s.name).join(', ');
        const handsOn = procedures.length === 0
          ? 'no change procedure (services[].credentialChange) is given to test it on the device'
          : `no change procedure is given for ${names}`;
        if (!declared) return inconclusive(`the profile declares no authenticationChange, and ${handsOn}`);
        return manual(`a person must check the declared procedure ("${declared.procedure}") against the device: ${handsOn}`);
      },
    );
  }
  planCompleteness(suite, REQUIREMENT);
});

/** Every step bounded by its own timeout, so the budget never cuts the test between change and restore. */
function worstCaseMs(profile: DeviceProfile): number {
  const reply = profile.policy.budgets.replyTimeoutMs + profile.policy.budgets.connectTimeoutMs;
  return Math.max(profile.policy.budgets.checkMs, LOGINS * reply + PROCEDURES * PROCEDURE_TIMEOUT_FACTOR * reply) + profile.policy.holdOff.maxWaitMs;
}

async function checkCredentialChange(ctx: CheckContext, service: Service, change: CredentialChange): Promise<CheckOutcome> {
  const probe = loginProbeFor(service);
  if (!isLoginProbe(probe)) {
    ctx.evidence.record({ kind: 'note', summary: probe.missing, target: ctx.target });
    return inconclusive(`${probe.missing}; without a login, whether a change took effect cannot be seen, so nothing was changed`);
  }
  const credential = ctx.profile.credentials[service.credential!];
  if (credential?.username === undefined || !credential.password) {
    return inconclusive(`credential "${service.credential}" has no username and password to change`);
  }
  const { username, password: original } = credential;
  const temporary = temporaryPassword(ctx.policy.defaultPassword);
  const toTemporary: TemplateValues = { username, oldPassword: original, newPassword: temporary };
  const toOriginal: TemplateValues = { username, oldPassword: temporary, newPassword: original };
  if ('ssh' in change && !safeForShell(toTemporary)) {
    return inconclusive(`the username or password of credential "${service.credential}" holds a quote, "$", "\\" or a line break, which jcstar will not put into a command line; nothing was changed`);
  }
  const scrubbed = withScrubbedEvidence(ctx, [temporary], [username]);
  if (ctx.holdOffs.current(service.name)) {
    // An earlier check left the login held off: wait until the current value works again before changing anything.
    const recovered = await new PacedLogin(scrubbed, probe, ctx.policy.holdOff.maxWaitMs).attempt('positive-control', 'before-change-wait', { username, password: original });
    if (isHeldOff(recovered)) return inconclusive(`${service.name}: ${recovered.reason}; nothing was changed`);
  }

  const before = await loginStep(scrubbed, probe, 'before-change', { username, password: original });
  if (before.outcome !== 'accepted') {
    return inconclusive(`${service.name}: the declared credential "${service.credential}" was not accepted before the change (${before.detail}, evidence #${before.evidenceSeq}), so nothing was changed`);
  }
  const changed = await runProcedure(scrubbed, service, change, toTemporary, 'change');
  const oldAfter = await loginStep(scrubbed, probe, 'old-after-change', { username, password: original });
  const newAfter = await loginStep(scrubbed, probe, 'new-after-change', { username, password: temporary });
  const restore = restoreNeeded(oldAfter, newAfter) ? await restoreOriginal(scrubbed, service, change, toOriginal, probe) : { needed: false as const };
  return judgeChange({ service: service.name, change: changed, oldAfter, newAfter, restore });
}

async function restoreOriginal(ctx: CheckContext, service: Service, change: CredentialChange, values: TemplateValues, probe: LoginProbe): Promise<Restore> {
  const procedure = await runProcedure(ctx, service, change, values, 'restore');
  const oldBack = await loginStep(ctx, probe, 'old-after-restore', { username: values.username, password: values.newPassword });
  const temporaryGone = await loginStep(ctx, probe, 'new-after-restore', { username: values.username, password: values.oldPassword });
  return { needed: true, procedure, oldBack, temporaryGone };
}
