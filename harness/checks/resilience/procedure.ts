import { awaitDevice, recordDownPeriod, type DeviceReturn } from '../../actions/await-device.js';
import { labelledLogin } from '../../actions/labelled-login.js';
import { isLoginProbe, loginProbeFor } from '../../probes/login.js';
import { readFirmwareVersion } from '../../probes/firmware-version/read.js';
import type { Service } from '../../profile/types.js';
import type { CheckContext } from '../../suite/context.js';
import type { VersionReading } from '../../update/types.js';
import { inconclusive, type CheckOutcome } from '../../verdicts/outcome.js';
import { isHeldOff, PacedLogin } from '../hold-off/paced.js';
import { restoreNeeded } from '../credential-change/judge.js';
import { runProcedure } from '../credential-change/procedure.js';
import { withScrubbedEvidence } from '../credential-change/scrubbed-evidence.js';
import { safeForShell, type TemplateValues } from '../credential-change/template.js';
import { temporaryPassword } from '../credential-change/temporary-password.js';
import { disrupt, type Disruption } from './disruption.js';
import { judgeResilience } from './judge.js';
import { restoreOriginal } from './restore.js';

/**
 * TS 103 701 5.9-2: change the service's credential with S1.1-03's procedure, cut the power or the
 * network, wait for the device, then see the new value work, the old one refused and the version the
 * same; then put the original back.
 */
export async function checkResilience(ctx: CheckContext, service: Service, disruption: Disruption): Promise<CheckOutcome> {
  const hooks = ctx.profile.hooks!;
  const change = service.credentialChange!;
  const probe = loginProbeFor(service);
  if (!isLoginProbe(probe)) {
    ctx.evidence.record({ kind: 'note', summary: probe.missing, target: ctx.target });
    return inconclusive(`${probe.missing}; without a login, whether the credential survives cannot be seen, so nothing was disrupted`);
  }
  const credential = ctx.profile.credentials[service.credential!];
  if (credential?.username === undefined || !credential.password) return inconclusive(`credential "${service.credential}" has no username and password to change; nothing was disrupted`);
  const { username, password: original } = credential;
  const temporary = temporaryPassword(ctx.policy.defaultPassword);
  const toTemporary: TemplateValues = { username, oldPassword: original, newPassword: temporary };
  if ('ssh' in change && !safeForShell(toTemporary)) {
    return inconclusive(`the username or password of credential "${service.credential}" holds a quote, "$", "\\" or a line break, which jcstar will not put into a command line; nothing was changed`);
  }
  const scrubbed = withScrubbedEvidence(ctx, [temporary], [username]);
  if (ctx.holdOffs.current(service.name)) {
    // An earlier check left the login held off: wait until the declared value works again before changing anything.
    const recovered = await new PacedLogin(scrubbed, probe, ctx.policy.holdOff.maxWaitMs).attempt('positive-control', 'before-change-wait', { username, password: original });
    if (isHeldOff(recovered)) return inconclusive(`${service.name}: ${recovered.reason}; nothing was changed or disrupted`);
  }
  const before = await labelledLogin(scrubbed, probe, 'positive control: declared credential before the change', { username, password: original });
  if (before.outcome !== 'accepted') {
    return inconclusive(`${service.name}: the declared credential "${service.credential}" was not accepted before the test (${before.detail}, evidence #${before.evidenceSeq}), so nothing was changed or disrupted`);
  }
  const versionBefore = await versionOf(scrubbed, 'before');
  const changed = await runProcedure(scrubbed, service, change, toTemporary, 'change');
  const newAfterChange = await labelledLogin(scrubbed, probe, 'changed value before the outage', { username, password: temporary });
  const base = { service: service.name, recoverySeconds: hooks.recoverySeconds, change: changed, newAfterChange, versionBefore };
  if (!changed.ok || newAfterChange.outcome !== 'accepted') {
    const oldStill = await labelledLogin(scrubbed, probe, 'declared credential after a change that did not take', { username, password: original });
    const restore = restoreNeeded(oldStill, newAfterChange) ? await restoreOriginal(scrubbed, service, probe, { username, oldPassword: temporary, newPassword: original }) : { needed: false as const };
    return judgeResilience({ ...base, disruption: { disruption, actions: [], ok: false, outage: null }, recovery: NOT_AWAITED, oldAfter: null, versionAfter: null, restore });
  }
  const disrupted = await disrupt(scrubbed, hooks, disruption, { probe, credential: { username, password: temporary } });
  if (disrupted.outage && !disrupted.outage.seen) {
    // The device answered throughout: it still holds the temporary value, which must not stay.
    recordDownPeriod(scrubbed, disruption, disrupted.outage, null);
    const oldStill = await labelledLogin(scrubbed, probe, 'declared credential after an outage that was not seen', { username, password: original });
    const restore = restoreNeeded(oldStill, disrupted.outage.last ?? newAfterChange) ? await restoreOriginal(scrubbed, service, probe, { username, oldPassword: temporary, newPassword: original }) : { needed: false as const };
    return judgeResilience({ ...base, disruption: disrupted, recovery: NOT_AWAITED, oldAfter: null, versionAfter: null, restore });
  }
  const recovery = await awaitDevice(scrubbed, probe, { username, password: temporary }, hooks.recoverySeconds, 'changed value after the outage');
  if (disrupted.outage) recordDownPeriod(scrubbed, disruption, disrupted.outage, recovery);
  if (!recovery.back) {
    return judgeResilience({ ...base, disruption: disrupted, recovery, oldAfter: null, versionAfter: null, restore: { needed: false } });
  }
  const oldAfter = await labelledLogin(scrubbed, probe, 'old value after the outage', { username, password: original });
  const restore = restoreNeeded(oldAfter, recovery.login)
    ? await restoreOriginal(scrubbed, service, probe, { username, oldPassword: temporary, newPassword: original })
    : { needed: false as const };
  // Read with the declared credential, so after the restore; a restore changes no firmware.
  const versionAfter = await versionOf(scrubbed, 'after');
  return judgeResilience({ ...base, disruption: disrupted, recovery, oldAfter, versionAfter, restore });
}

const NOT_AWAITED: DeviceReturn = { back: false, last: null, waitedMs: 0, attempts: 0 };

async function versionOf(ctx: CheckContext, when: 'before' | 'after'): Promise<VersionReading> {
  const spec = ctx.profile.update?.version;
  const reading: VersionReading = spec
    ? await readFirmwareVersion(ctx, spec)
    : { ok: false, reason: 'the profile declares no update.version to read it with', method: 'none', at: new Date().toISOString() };
  ctx.evidence.record({
    kind: 'observation',
    summary: `firmware version ${when} the outage: ${reading.ok ? reading.version : `not read (${reading.reason})`} (${reading.method})`,
    data: { when, ...reading },
  });
  return reading;
}
