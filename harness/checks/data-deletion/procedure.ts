import { awaitDevice } from '../../actions/await-device.js';
import { performDeviceAction } from '../../actions/device-action.js';
import { labelledLogin } from '../../actions/labelled-login.js';
import { isLoginProbe, loginProbeFor } from '../../probes/login.js';
import type { Service } from '../../profile/types.js';
import type { CheckContext } from '../../suite/context.js';
import { inconclusive, type CheckOutcome } from '../../verdicts/outcome.js';
import { isHeldOff, PacedLogin } from '../hold-off/paced.js';
import type { FirstUseObservation } from '../default-password/first-use.js';
import { requestAtFirstUse } from '../default-password/first-use-request.js';
import { judgeDeletion } from './judge.js';
import { userDataMarker } from './marker.js';

/**
 * TS 103 701 5.11-1: create user data holding a fresh marker, see it on the device, run the declared
 * factory reset, wait for the device, then see the marker gone and the declared credential refused
 * (and a user-set-at-first-use device back at first use).
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
  const declared = { username: credential.username, password: credential.password };
  if (ctx.holdOffs.current(service.name)) {
    // An earlier check left the login held off: wait until the declared value works again before resetting anything.
    const recovered = await new PacedLogin(ctx, probe, ctx.policy.holdOff.maxWaitMs).attempt('positive-control', 'before-reset-wait', declared);
    if (isHeldOff(recovered)) return inconclusive(`${service.name}: ${recovered.reason}; nothing was reset`);
  }
  const before = await labelledLogin(ctx, probe, 'positive control: declared credential before the reset', declared);
  if (before.outcome !== 'accepted') {
    return inconclusive(`${service.name}: the declared credential "${service.credential}" was not accepted before the reset (${before.detail}, evidence #${before.evidenceSeq}), so it could not show the reset removed it; nothing was reset`);
  }
  const marker = userDataMarker();
  ctx.evidence.record({ kind: 'note', summary: `user data marker for this test: ${marker}`, data: { marker } });
  const created = await performDeviceAction(ctx, userData.create, { marker });
  if (!created.ok) return inconclusive(`${service.name}: the user data could not be created (${created.action} ${created.detail}, evidence #${created.evidenceSeq}); nothing was reset`);
  const seen = await performDeviceAction(ctx, userData.read, { marker });
  if (!seen.ok || !seen.output.includes(marker)) {
    const why = seen.ok ? `its answer does not hold the marker ${marker}` : seen.detail;
    return inconclusive(`${service.name}: the user data just created cannot be read back (${seen.action}: ${why}, evidence #${seen.evidenceSeq}), so its absence after a reset would prove nothing; nothing was reset`);
  }
  const reset = await performDeviceAction(ctx, hooks.factoryReset!);
  const recovery = await awaitDevice(ctx, probe, declared, hooks.recoverySeconds, 'declared credential after the reset');
  if (!recovery.back) return judgeDeletion({ service: service.name, credential: service.credential!, recoverySeconds: hooks.recoverySeconds, markerSeen: seen, reset, recovery, readAfter: null, markerAfter: false, firstUse: [] });
  const readAfter = await performDeviceAction(ctx, userData.read, { marker });
  const markerAfter = readAfter.output.includes(marker);
  ctx.evidence.record({ kind: 'observation', summary: `user data marker after the reset: ${readAfter.ok ? (markerAfter ? 'still there' : 'gone') : `not read (${readAfter.detail})`}`, data: { marker, readOk: readAfter.ok, present: markerAfter } });
  const firstUse: FirstUseObservation[] = [];
  if (atFirstUse(ctx, service)) for (const path of service.paths!) firstUse.push(await requestAtFirstUse(ctx, service, path, null));
  return judgeDeletion({ service: service.name, credential: service.credential!, recoverySeconds: hooks.recoverySeconds, markerSeen: seen, reset, recovery, readAfter, markerAfter, firstUse });
}

/** A user-set-at-first-use device's HTTP service shows after a reset whether it is back at first use. */
function atFirstUse(ctx: CheckContext, service: Service): boolean {
  return ctx.profile.declarations.defaultPasswordScheme?.scheme === 'user-set-at-first-use' && (service.protocol === 'http' || service.protocol === 'https') && (service.paths?.length ?? 0) > 0;
}
