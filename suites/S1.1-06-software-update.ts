/**
 * S1.1-06 ソフトウェアコンポーネントのアップデート — software components can be updated (EN 303 645
 * 5.3-1/5.3-2, inferred). jcstar reads the firmware version the device reports; hands-on, it serves the
 * vendor's genuine image from its own update server and shows that the running version changes.
 */
import { recordDeclaration } from '../harness/checks/declarations.js';
import { handsOnNotRun, trialBudgetMs, updateHandsOn } from '../harness/checks/update/hands-on.js';
import { judgeGenuineUpdate } from '../harness/checks/update/judge.js';
import { judgeVersionRead } from '../harness/checks/update/version-read.js';
import { requirementSuite } from '../harness/suite/define.js';
import { inconclusive, manual } from '../harness/verdicts/outcome.js';

const REQUIREMENT = 'S1.1-06';

export default requirementSuite(REQUIREMENT, (suite) => {
  const { profile } = suite;
  const handsOn = updateHandsOn(profile);
  suite.check(
    { id: `${REQUIREMENT}/update/version-read`, title: 'The device reports the firmware version it runs, and an update mechanism is declared', mandatory: profile.update?.version !== undefined },
    async (ctx) => judgeVersionRead(ctx),
  );
  suite.check(
    { id: `${REQUIREMENT}/update/genuine-image`, title: 'The genuine image, served by jcstar as the update server, is installed (hands-on)', mandatory: handsOn, budgetMs: trialBudgetMs(profile) },
    async (ctx) => {
      if (!handsOn) return handsOnNotRun(ctx.profile);
      const result = await ctx.updateTrial.obtain(ctx);
      ctx.evidence.record({ kind: 'observation', summary: 'the genuine-image attempt of the update trial', data: { attempt: result.attempts.find((a) => a.attempt === 'genuine') ?? null, blocked: result.blocked } });
      return judgeGenuineUpdate(result, ctx.profile.update?.waitSeconds ?? 120);
    },
  );
  suite.check(
    { id: `${REQUIREMENT}/update/declaration`, title: 'The declared update mechanism (評価項目)', basis: 'declared', mandatory: !handsOn },
    async (ctx) => {
      const declared = recordDeclaration(ctx, 'updateMechanism');
      if (!declared) return inconclusive('the profile declares no updateMechanism: the ★1 checklist needs how the device is updated (automatic, companion app, device UI or manual download)');
      return manual(`a person must review the declared update mechanism (${declared.method}${declared.description ? `: ${declared.description}` : ''})`);
    },
  );
});
