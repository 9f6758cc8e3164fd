import { setTimeout as sleep } from 'node:timers/promises';
import { awaitOutage, type OutageSeen } from '../../actions/await-device.js';
import { performDeviceAction, type ActionObservation } from '../../actions/device-action.js';
import type { TrialCredential } from '../../probes/auth-observation.js';
import type { LoginProbe } from '../../probes/login.js';
import type { DeviceActionSpec, HooksSpec } from '../../profile/update-schema.js';
import type { CheckContext } from '../../suite/context.js';

export const DISRUPTIONS = ['power-cycle', 'network-outage'] as const;
export type Disruption = (typeof DISRUPTIONS)[number];

/** What the lab did to the device: every action that ran, and whether each did what it was declared to. */
export interface DisruptionResult {
  disruption: Disruption;
  actions: ActionObservation[];
  ok: boolean;
  /** Whether the device was seen down after the action; null when the action did not run as declared. */
  outage: OutageSeen | null;
}

/** The login that watches the device go down. */
export interface OutageWatch {
  probe: LoginProbe;
  credential: TrialCredential;
}

/** Whether the profile declares how to cause this disruption. */
export function declaredDisruption(hooks: HooksSpec | null, disruption: Disruption): boolean {
  return disruption === 'power-cycle' ? hooks?.powerCycle !== undefined : hooks?.networkOutage !== undefined;
}

/**
 * Power off and on, or network down, the declared time, and up; after the action, the device must be
 * seen down (within hooks.recoverySeconds), since the command may return before it goes. The network
 * is brought back up even when taking it down failed: the lab must never be left without it.
 */
export async function disrupt(ctx: CheckContext, hooks: HooksSpec, disruption: Disruption, watch: OutageWatch): Promise<DisruptionResult> {
  const seeDown = (label: string) => awaitOutage(ctx, watch.probe, watch.credential, hooks.recoverySeconds, label);
  if (disruption === 'power-cycle') {
    const cycle = await performDeviceAction(ctx, hooks.powerCycle!);
    const outage = cycle.ok ? await seeDown('waiting for the device to go down after the power cycle') : null;
    return { disruption, actions: [cycle], ok: cycle.ok, outage };
  }
  const declared = hooks.networkOutage!;
  const down = await performDeviceAction(ctx, declared.down);
  let outage: OutageSeen | null = null;
  if (down.ok) {
    outage = await seeDown('waiting for the device to go off the network');
    if (outage.seen) {
      ctx.evidence.record({ kind: 'note', summary: `network down for ${declared.seconds} s` });
      await sleep(declared.seconds * 1000, undefined, { signal: ctx.signal }).catch(() => undefined);
    }
  }
  const up = await performDeviceAction(ctx, declared.up);
  return { disruption, actions: [down, up], ok: down.ok && up.ok, outage };
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
