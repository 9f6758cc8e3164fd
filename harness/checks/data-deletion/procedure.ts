import { awaitDevice, awaitOutage, recordDownPeriod } from '../../actions/await-device.js';
import { performDeviceAction } from '../../actions/device-action.js';
import { labelledLogin } from '../../actions/labelled-login.js';
import { isLoginProbe, loginProbeFor } from '../../probes/login.js';
import type { Service } from '../../profile/types.js';
import type { CheckContext } from '../../suite/context.js';
import { inconclusive, type CheckOutcome } from '../../verdicts/outcome.js';
import { restoreNeeded, type Restore } from '../credential-change/judge.js';
import { runProcedure } from '../credential-change/procedure.js';
import { withScrubbedEvidence } from '../credential-change/scrubbed-evidence.js';
import { safeForShell, type TemplateValues } from '../credential-change/template.js';
import { temporaryPassword } from '../credential-change/temporary-password.js';
import { isHeldOff, PacedLogin } from '../hold-off/paced.js';
import type { FirstUseObservation } from '../default-password/first-use.js';
import { requestAtFirstUse } from '../default-password/first-use-request.js';
import { restoreOriginal } from '../resilience/restore.js';
import { judgeDeletion, loudRestore } from './judge.js';
import { userDataMarker } from './marker.js';

/**
 * TS 103 701 5.11-1: create user data holding a fresh marker, see it on the device, change the
 * credential to a temporary one (S1.1-03's procedure: the declared one may be the label password a
 * reset rightly restores), run the declared factory reset, see the device go down and come back, then
 * see the marker gone and the temporary credential refused (and a user-set-at-first-use device back at
 * first use). A temporary credential the reset left is changed back to the declared one.
 */
export async function checkDataDeletion(ctx: CheckContext, service: Service): Promise<CheckOutcome> {
  const hooks = ctx.profile.hooks!;
  const userData = hooks.userData!;
  const probe = loginProbeFor(service);
  if (!isLoginProbe(probe)) {
    ctx.evidence.record({ kind: 'note', summary: probe.missing, target: ctx.target });
    return inconclusive(`${probe.missing}; without a login, whether the reset removed the credential cannot be seen, so nothing was reset`);
  }
  const credential = ctx.profile.credentials[service.credential!]!;
  if (credential.username === undefined || !credential.password) return inconclusive(`credential "${service.credential}" has no username and password; nothing was reset`);
  const { username } = credential;
  const declared = { username, password: credential.password };
  const change = service.credentialChange;
  const temporary = change ? temporaryPassword(ctx.policy.defaultPassword) : null;
  const toTemporary: TemplateValues | null = temporary ? { username, oldPassword: declared.password, newPassword: temporary } : null;
  if (change && toTemporary && 'ssh' in change && !safeForShell(toTemporary)) {
    return inconclusive(`the username or password of credential "${service.credential}" holds a quote, "$", "\\" or a line break, which jcstar will not put into a command line; nothing was reset`);
  }
  const scrubbed = withScrubbedEvidence(ctx, temporary ? [temporary] : [], [username]);
  if (ctx.holdOffs.current(service.name)) {
    // An earlier check left the login held off: wait until the declared value works again before resetting anything.
    const recovered = await new PacedLogin(scrubbed, probe, ctx.policy.holdOff.maxWaitMs).attempt('positive-control', 'before-reset-wait', declared);
    if (isHeldOff(recovered)) return inconclusive(`${service.name}: ${recovered.reason}; nothing was reset`);
  }
  const before = await labelledLogin(scrubbed, probe, 'positive control: declared credential before the reset', declared);
  if (before.outcome !== 'accepted') {
    return inconclusive(`${service.name}: the declared credential "${service.credential}" was not accepted before the reset (${before.detail}, evidence #${before.evidenceSeq}), so it could not show the reset removed it; nothing was reset`);
  }
  const marker = userDataMarker();
  scrubbed.evidence.record({ kind: 'note', summary: `user data marker for this test: ${marker}`, data: { marker } });
  const created = await performDeviceAction(scrubbed, userData.create, { marker });
  if (!created.ok) return inconclusive(`${service.name}: the user data could not be created (${created.action} ${created.detail}, evidence #${created.evidenceSeq}); nothing was reset`);
  const seen = await performDeviceAction(scrubbed, userData.read, { marker });
  if (!seen.ok || !seen.output.includes(marker)) {
    const why = seen.ok ? `its answer does not hold the marker ${marker}` : seen.detail;
    return inconclusive(`${service.name}: the user data just created cannot be read back (${seen.action}: ${why}, evidence #${seen.evidenceSeq}), so its absence after a reset would prove nothing; nothing was reset`);
  }
  // Changed after the user data is in place: actions on the service log in with the declared credential.
  const restoreFrom = toTemporary ? { username, oldPassword: toTemporary.newPassword, newPassword: declared.password } : null;
  if (toTemporary && restoreFrom) {
    const changed = await runProcedure(scrubbed, service, change!, toTemporary, 'change');
    const newAfterChange = await labelledLogin(scrubbed, probe, 'temporary credential before the reset', { username, password: toTemporary.newPassword });
    if (!changed.ok || newAfterChange.outcome !== 'accepted') {
      const oldStill = await labelledLogin(scrubbed, probe, 'declared credential after a change that did not take', declared);
      const restore = restoreNeeded(oldStill, newAfterChange) ? await restoreOriginal(scrubbed, service, probe, restoreFrom) : { needed: false as const };
      const why = !changed.ok ? `the change procedure failed (${changed.detail}, evidence #${changed.evidenceSeq})` : `the temporary credential was not accepted after the change (${newAfterChange.detail}, evidence #${newAfterChange.evidenceSeq})`;
      return inconclusive(`${service.name}: ${why}, so there was no credential set before the reset to see removed; nothing was reset${loudRestore(restore)}`);
    }
  }
  const watch = toTemporary ? { username, password: toTemporary.newPassword } : declared;
  const which = toTemporary ? 'temporary credential' : 'declared credential';
  const reset = await performDeviceAction(scrubbed, hooks.factoryReset!);
  // Even a failed reset request may have started the reset (a device that reboots mid-answer): look for the outage.
  const outage = await awaitOutage(scrubbed, probe, watch, hooks.recoverySeconds, `waiting for the device to go down after the reset (${which})`);
  const recovery = await awaitDevice(scrubbed, probe, watch, hooks.recoverySeconds, `${which} after the reset`);
  recordDownPeriod(scrubbed, 'factory reset', outage, recovery);
  const base = { service: service.name, credential: service.credential!, credentialChanged: toTemporary !== null, recoverySeconds: hooks.recoverySeconds, markerSeen: seen, reset, outage };
  if (!recovery.back) return judgeDeletion({ ...base, recovery, readAfter: null, markerAfter: false, firstUse: [], restore: { needed: false } });
  const readAfter = await performDeviceAction(scrubbed, userData.read, { marker });
  const markerAfter = readAfter.output.includes(marker);
  scrubbed.evidence.record({ kind: 'observation', summary: `user data marker after the reset: ${readAfter.ok ? (markerAfter ? 'still there' : 'gone') : `not read (${readAfter.detail})`}`, data: { marker, readOk: readAfter.ok, present: markerAfter } });
  const firstUse: FirstUseObservation[] = [];
  if (atFirstUse(ctx, service)) for (const path of service.paths!) firstUse.push(await requestAtFirstUse(scrubbed, service, path, null));
  // Never leave the unit on the temporary credential: the reset did not remove it.
  const restore: Restore = restoreFrom && recovery.login.outcome === 'accepted' ? await restoreOriginal(scrubbed, service, probe, restoreFrom) : { needed: false };
  return judgeDeletion({ ...base, recovery, readAfter, markerAfter, firstUse, restore });
}

/** A user-set-at-first-use device's HTTP service shows after a reset whether it is back at first use. */
function atFirstUse(ctx: CheckContext, service: Service): boolean {
  return ctx.profile.declarations.defaultPasswordScheme?.scheme === 'user-set-at-first-use' && (service.protocol === 'http' || service.protocol === 'https') && (service.paths?.length ?? 0) > 0;
}
