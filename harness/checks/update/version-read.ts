import { readFirmwareVersion } from '../../probes/firmware-version/read.js';
import type { CheckContext } from '../../suite/context.js';
import { inconclusive, pass, type CheckOutcome } from '../../verdicts/outcome.js';

/** S1.1-06's device half without hands-on: the running version is readable and a mechanism is declared. */
export async function judgeVersionRead(ctx: CheckContext): Promise<CheckOutcome> {
  const spec = ctx.profile.update?.version;
  if (!spec) return inconclusive('the profile does not say how to read the firmware version (update.version: an HTTP path, SSH command, SNMP OID, MQTT topic or CoAP resource)');
  const reading = await readFirmwareVersion(ctx, spec);
  if (!reading.ok) return inconclusive(`the firmware version could not be read: ${reading.reason}`);
  const mechanism = ctx.profile.update?.mechanism ? ('pull' in ctx.profile.update.mechanism ? `pull (${ctx.profile.update.mechanism.pull.protocol})` : 'upload') : ctx.profile.declarations.updateMechanism?.method;
  if (!mechanism) return inconclusive(`the device reports firmware ${reading.version}, but no update mechanism is declared (update.mechanism or declarations.updateMechanism)`);
  const outcome = pass(`the device reports firmware ${reading.version} (${reading.method}); declared update mechanism: ${mechanism}`);
  const declared = ctx.profile.device.firmware;
  return reading.version === declared ? outcome : { ...outcome, warnings: [`the profile says the device runs ${declared}, but it reports ${reading.version}`] };
}
