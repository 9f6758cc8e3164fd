import type { DeviceActionSpec } from '../profile/update-schema.js';
import type { CheckContext } from '../suite/context.js';
import type { ActionFill, ActionObservation } from './action-observation.js';
import { runHookAction } from './hook-action.js';
import { runHttpAction } from './http-action.js';
import { runSshAction } from './ssh-action.js';

export type { ActionFill, ActionObservation } from './action-observation.js';

/** Makes the declared action happen (a request to the device, or a lab-host command) and records it as evidence. */
export function performDeviceAction(ctx: CheckContext, action: DeviceActionSpec, fill: ActionFill = {}): Promise<ActionObservation> {
  if ('http' in action) return runHttpAction(ctx, action.http, fill);
  if ('ssh' in action) return runSshAction(ctx, action.ssh, fill);
  return runHookAction(ctx, action.hook);
}
