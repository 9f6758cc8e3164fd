/**
 * S1.1-15 利用者データの削除 — user data can be deleted before the device is disposed of or transferred
 * (EN 303 645 5.11-1). Hands-on (`--hands-on reset`), jcstar runs TS 103 701 5.11-1 with the lab's hooks:
 * create user data holding a fresh marker, change the credential to a temporary one (the declared one
 * may be a label password a reset rightly restores), run the declared factory reset, see the device go
 * down and come back, and see the marker gone and the temporary credential refused. Whether the declared
 * method covers all user data is for a person.
 */
import { recordDeclaration } from '../harness/checks/declarations.js';
import { checkDataDeletion } from '../harness/checks/data-deletion/procedure.js';
import { actionWorstCaseMs } from '../harness/checks/resilience/disruption.js';
import { PASSWORD_MECHANISMS } from '../harness/probes/login.js';
import type { DeviceActionSpec } from '../harness/profile/update-schema.js';
import type { DeviceProfile, Service } from '../harness/profile/types.js';
import { requirementSuite, serviceTarget } from '../harness/suite/define.js';
import { inconclusive, manual } from '../harness/verdicts/outcome.js';

const REQUIREMENT = 'S1.1-15';
/**
 * Logins outside the waits, requests to the device, the first-use requests after it, and the change to
 * the temporary credential and its restore (each procedure counted twice: it may take twice a reply).
 */
const EXCHANGES = 16;

export default requirementSuite(REQUIREMENT, (suite) => {
  const { profile } = suite;
  const hooks = profile.hooks;
  const handsOn = profile.handsOn.includes('reset');
  const service = credentialService(profile);
  const testable = handsOn && hooks?.factoryReset !== undefined && hooks.userData !== undefined && service !== undefined;
  if (testable) {
    suite.check(
      {
        id: `${REQUIREMENT}/data-deletion/${service.name}`,
        title: 'The declared factory reset deletes user data and the credential set before it (TS 103 701 5.11-1)',
        target: serviceTarget(profile, service),
        budgetMs: worstCaseMs(profile),
      },
      (ctx) => checkDataDeletion(ctx, service),
    );
  }
  suite.check(
    { id: `${REQUIREMENT}/user-data-deletion/declaration`, title: 'Declared method for deleting user data', basis: 'declared' },
    async (ctx) => {
      const declared = recordDeclaration(ctx, 'userDataDeletion');
      const device = testable ? 'the reset is tested on the device by the data-deletion check' : `not tested on the device: ${missingForHandsOn(profile, handsOn, service !== undefined)}`;
      if (!declared) return inconclusive(`the profile declares no userDataDeletion; ${device}`);
      return manual(`a person must check that the declared method ("${declared.method}") deletes all user data: ${device}`);
    },
  );
});

/** The service whose credential the reset must remove: the one user data is created on, else the first with a password login. */
function credentialService(profile: DeviceProfile): Service | undefined {
  const create = profile.hooks?.userData?.create;
  const named = create && !('hook' in create) ? ('http' in create ? create.http.service : create.ssh.service) : undefined;
  const candidates = profile.services.filter((s) => s.credential !== undefined && PASSWORD_MECHANISMS.has(s.auth));
  return candidates.find((s) => s.name === named) ?? candidates[0];
}

function missingForHandsOn(profile: DeviceProfile, handsOn: boolean, hasLogin: boolean): string {
  const needs: string[] = [];
  if (!profile.hooks?.factoryReset) needs.push('declare hooks.factoryReset');
  if (!profile.hooks?.userData) needs.push('declare hooks.userData (create with {{marker}}, read)');
  if (!hasLogin) needs.push('declare a service with a password login and its credential');
  if (!handsOn) needs.push('run with --hands-on reset (or hooks.handsOn: true)');
  return needs.join('; ');
}

function worstCaseMs(profile: DeviceProfile): number {
  const hooks = profile.hooks!;
  const ctx = { profile };
  const { replyTimeoutMs, connectTimeoutMs } = profile.policy.budgets;
  const actions: Array<DeviceActionSpec | undefined> = [hooks.userData?.create, hooks.userData?.read, hooks.userData?.read, hooks.factoryReset];
  // Up to recoverySeconds to see it go down, then up to recoverySeconds to see it back.
  const wait = 2 * (hooks.recoverySeconds * 1000 + replyTimeoutMs + connectTimeoutMs);
  return profile.policy.budgets.checkMs + EXCHANGES * (replyTimeoutMs + connectTimeoutMs) + actions.reduce((sum, a) => sum + actionWorstCaseMs(ctx, a), 0) + wait + profile.policy.holdOff.maxWaitMs;
}
