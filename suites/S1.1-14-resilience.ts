/**
 * S1.1-14 停電・ネットワーク停止後の状態維持 — after power or network loss the device keeps its
 * authentication values and applied updates (EN 303 645 5.9-2). Hands-on (`--hands-on resilience`),
 * jcstar runs TS 103 701 5.9-2 with the lab's hooks: change a credential (S1.1-03's procedure), cut the
 * power or the network, and see the device come back in time with the new credential, not the old one,
 * and the same firmware version.
 */
import { recordDeclaration } from '../harness/checks/declarations.js';
import { actionWorstCaseMs, declaredDisruption, DISRUPTIONS, type Disruption } from '../harness/checks/resilience/disruption.js';
import { checkResilience } from '../harness/checks/resilience/procedure.js';
import type { DeviceProfile } from '../harness/profile/types.js';
import { requirementSuite, serviceTarget } from '../harness/suite/define.js';
import { inconclusive, manual } from '../harness/verdicts/outcome.js';

const REQUIREMENT = 'S1.1-14';
const HOOK = { 'power-cycle': 'hooks.powerCycle', 'network-outage': 'hooks.networkOutage' } as const;
/** Logins outside the wait: control, new after the change, old after, and two after the restore; two procedures, two version reads. */
const LOGINS = 5;
const EXCHANGES = 4;

export default requirementSuite(REQUIREMENT, (suite) => {
  const { profile } = suite;
  const handsOn = profile.handsOn.includes('resilience');
  const service = profile.services.find((s) => s.credential !== undefined && s.credentialChange !== undefined);
  const testable = DISRUPTIONS.filter((d) => handsOn && service && declaredDisruption(profile.hooks, d));
  for (const disruption of testable) {
    suite.check(
      {
        id: `${REQUIREMENT}/${disruption}/${service!.name}`,
        title: `After ${disruption === 'power-cycle' ? 'a power cycle' : 'a network outage'} the device comes back keeping a changed credential and its firmware version (TS 103 701 5.9-2)`,
        target: serviceTarget(profile, service!),
        budgetMs: worstCaseMs(profile, disruption),
      },
      (ctx) => checkResilience(ctx, service!, disruption),
    );
  }
  if (testable.length < DISRUPTIONS.length) {
    const untested = DISRUPTIONS.filter((d) => !testable.includes(d));
    suite.check(
      { id: `${REQUIREMENT}/resilience/declaration`, title: 'Declared behaviour across power and network loss', basis: 'declared' },
      async (ctx) => {
        const declared = recordDeclaration(ctx, 'resilience');
        const needs = missingForHandsOn(profile, untested, handsOn, service !== undefined);
        if (!declared) return inconclusive(`the profile declares no resilience, and ${needs}`);
        return manual(`a person must check the declared behaviour ("${declared.description}") against the device: ${needs}`);
      },
    );
  }
});

/** Exactly what the profile or the command line would need for jcstar to test the rest on the device. */
function missingForHandsOn(profile: DeviceProfile, untested: Disruption[], handsOn: boolean, changeable: boolean): string {
  const needs: string[] = [];
  const hooks = untested.filter((d) => !declaredDisruption(profile.hooks, d)).map((d) => HOOK[d]);
  if (hooks.length > 0) needs.push(`declare ${hooks.join(' and ')}`);
  if (!changeable) needs.push('declare services[].credentialChange on a service with a credential');
  if (!handsOn) needs.push('run with --hands-on resilience (or hooks.handsOn: true)');
  return `${untested.map((d) => d.replace('-', ' ')).join(' and ')} not tested on the device: ${needs.join('; ')}`;
}

/** The waits for the device dominate; every other step is bounded by its own timeout. */
function worstCaseMs(profile: DeviceProfile, disruption: Disruption): number {
  const hooks = profile.hooks!;
  const { replyTimeoutMs, connectTimeoutMs } = profile.policy.budgets;
  const exchange = replyTimeoutMs + connectTimeoutMs;
  const ctx = { profile };
  const outage = disruption === 'power-cycle'
    ? actionWorstCaseMs(ctx, hooks.powerCycle)
    : actionWorstCaseMs(ctx, hooks.networkOutage?.down) + actionWorstCaseMs(ctx, hooks.networkOutage?.up) + (hooks.networkOutage?.seconds ?? 0) * 1000;
  // Up to recoverySeconds to see it go down, then up to recoverySeconds to see it back.
  const wait = 2 * (hooks.recoverySeconds * 1000 + exchange);
  return profile.policy.budgets.checkMs + LOGINS * exchange + EXCHANGES * 2 * exchange + outage + wait + profile.policy.holdOff.maxWaitMs;
}
