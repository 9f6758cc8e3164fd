import { setTimeout as sleep } from 'node:timers/promises';
import { performDeviceAction, type ActionObservation } from '../../actions/device-action.js';
import type { DeviceActionSpec, HooksSpec } from '../../profile/update-schema.js';
import type { CheckContext } from '../../suite/context.js';

export const DISRUPTIONS = ['power-cycle', 'network-outage'] as const;
export type Disruption = (typeof DISRUPTIONS)[number];

/** What the lab did to the device: every action that ran, and whether each did what it was declared to. */
export interface DisruptionResult {
  disruption: Disruption;
  actions: ActionObservation[];
  ok: boolean;
}

/** Whether the profile declares how to cause this disruption. */
export function declaredDisruption(hooks: HooksSpec | null, disruption: Disruption): boolean {
  return disruption === 'power-cycle' ? hooks?.powerCycle !== undefined : hooks?.networkOutage !== undefined;
}

/**
 * Power off and on, or network down, the declared time, and up. The network is brought back up even
 * when taking it down failed: the lab must never be left without it.
 */
export async function disrupt(ctx: CheckContext, hooks: HooksSpec, disruption: Disruption): Promise<DisruptionResult> {
  if (disruption === 'power-cycle') {
    const cycle = await performDeviceAction(ctx, hooks.powerCycle!);
    return { disruption, actions: [cycle], ok: cycle.ok };
  }
  const outage = hooks.networkOutage!;
  const down = await performDeviceAction(ctx, outage.down);
  if (down.ok) {
    ctx.evidence.record({ kind: 'note', summary: `network down for ${outage.seconds} s` });
    await sleep(outage.seconds * 1000, undefined, { signal: ctx.signal }).catch(() => undefined);
  }
  const up = await performDeviceAction(ctx, outage.up);
  return { disruption, actions: [down, up], ok: down.ok && up.ok };
}

/** The time a declared action may take at most. */
export function actionWorstCaseMs(ctx: Pick<CheckContext, 'profile'>, action: DeviceActionSpec | undefined): number {
  if (!action) return 0;
  const { replyTimeoutMs, connectTimeoutMs } = ctx.profile.policy.budgets;
  if ('hook' in action) return (ctx.profile.hooks?.commands[action.hook]?.timeoutSeconds ?? 0) * 1000 + HOOK_KILL_MARGIN_MS;
  return replyTimeoutMs + connectTimeoutMs;
}

/** SIGTERM grace and the output pipes' wait after a hook is killed. */
const HOOK_KILL_MARGIN_MS = 4000;
