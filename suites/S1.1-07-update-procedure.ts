/**
 * S1.1-07 アップデート手順の明示 — the update procedure is made clear to users (EN 303 645 5.3-3,
 * inferred). ★1 evaluates it on documents: jcstar checks that the declaration says where users read the
 * procedure (評価項目: in the app, the web UI or with the download), and leaves reading it to a person.
 */
import { recordDeclaration } from '../harness/checks/declarations.js';
import { planCompleteness } from '../harness/checks/documents/completeness.js';
import { requirementSuite } from '../harness/suite/define.js';
import { inconclusive, manual } from '../harness/verdicts/outcome.js';

const REQUIREMENT = 'S1.1-07';

export default requirementSuite(REQUIREMENT, (suite) => {
  suite.check(
    { id: `${REQUIREMENT}/update-procedure/declaration`, title: 'Where users find the update procedure (評価項目)', basis: 'declared' },
    async (ctx) => {
      const declared = recordDeclaration(ctx, 'updateProcedure');
      const where = declared ? [declared.url, declared.document].filter(Boolean) : [];
      if (!declared || where.length === 0) {
        return inconclusive('the profile declares no updateProcedure.url or updateProcedure.document: the ★1 checklist needs where users read how to update (app, web UI or download page)');
      }
      return manual(`a person must check that ${where.join(' and ')} tells users how to apply updates${declared.description ? ` (${declared.description})` : ''}`);
    },
  );
  planCompleteness(suite, REQUIREMENT);
});
