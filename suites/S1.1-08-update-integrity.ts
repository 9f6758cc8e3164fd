/**
 * S1.1-08 アップデートの完全性確認 — integrity is checked before a network update is applied (EN 303 645
 * 5.3-9/5.3-10, inferred). Hands-on, jcstar plays the update server and serves the misuse cases of TS 103
 * 701 5.3-10, one check each; the device must keep the version it ran and still work. Judged by the
 * version read from the device, never by the update client's own report alone.
 */
import { recordDeclaration } from '../harness/checks/declarations.js';
import { ATTACKS, ATTEMPT_TITLES } from '../harness/checks/update/attempt-plan.js';
import { handsOnNotRun, trialBudgetMs, updateHandsOn } from '../harness/checks/update/hands-on.js';
import { judgeAttack } from '../harness/checks/update/judge.js';
import { judgePublishedImage } from '../harness/checks/update/published.js';
import { requirementSuite } from '../harness/suite/define.js';
import { inconclusive, manual } from '../harness/verdicts/outcome.js';

const REQUIREMENT = 'S1.1-08';

export default requirementSuite(REQUIREMENT, (suite) => {
  const { profile } = suite;
  const handsOn = updateHandsOn(profile);
  if (handsOn) {
    for (const attempt of [...ATTACKS, 'rollback'] as const) {
      suite.check(
        { id: `${REQUIREMENT}/update-attack/${attempt}`, title: `The device refuses ${ATTEMPT_TITLES[attempt]} (hands-on)`, budgetMs: trialBudgetMs(profile) },
        async (ctx) => {
          const result = await ctx.updateTrial.obtain(ctx);
          ctx.evidence.record({ kind: 'observation', summary: `the ${attempt} attempt(s) of the update trial`, data: { attempts: result.attempts.filter((a) => a.attempt === attempt), blocked: result.blocked, updatePathWorks: result.updatePathWorks } });
          return judgeAttack(result, attempt, ctx.profile.update?.waitSeconds ?? 120);
        },
      );
    }
  } else {
    suite.check({ id: `${REQUIREMENT}/update-attack/hands-on`, title: 'Misuse of the update path (hands-on, TS 103 701 5.3-10)', mandatory: false }, async (ctx) => handsOnNotRun(ctx.profile));
  }
  if (profile.update?.published) {
    suite.check(
      { id: `${REQUIREMENT}/update-published/signature`, title: 'The published image verifies with the declared signing key, over a graded channel', mandatory: false },
      async (ctx) => judgePublishedImage(ctx),
    );
  }
  suite.check(
    { id: `${REQUIREMENT}/update-integrity/declaration`, title: 'The declared integrity protection of updates', basis: 'declared', mandatory: !handsOn },
    async (ctx) => {
      const declared = recordDeclaration(ctx, 'updateIntegrity');
      if (!declared) return inconclusive('the profile declares no updateIntegrity: the ★1 checklist needs how an update\'s integrity is verified before it is applied');
      return manual(`a person must review the declared integrity check (${declared.mechanism}${declared.antiRollback === undefined ? '' : `; anti-rollback ${declared.antiRollback ? 'declared' : 'not declared'}`})`);
    },
  );
});
