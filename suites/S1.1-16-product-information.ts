/**
 * S1.1-16 製品の情報提供 — product information, the support period included, is provided to users
 * (EN 303 645 5.3-13, inferred). ★1 evaluates it on documents: jcstar checks that the declaration gives a
 * support end date not already past and the model designation, and, where the profile allow-lists the
 * public pages, that they carry them. Reading them stays with a person. A UK PSTI statement of compliance
 * makes it deemed met.
 */
import { recordDeclaration } from '../harness/checks/declarations.js';
import { DECLARED_NOT_OBSERVED, planCompleteness } from '../harness/checks/documents/completeness.js';
import { planPstiStatement } from '../harness/checks/documents/psti-statement.js';
import { planPublicPages } from '../harness/checks/documents/public-page.js';
import { requirementSuite } from '../harness/suite/define.js';
import { inconclusive, manual } from '../harness/verdicts/outcome.js';

const REQUIREMENT = 'S1.1-16';

export default requirementSuite(REQUIREMENT, (suite) => {
  suite.check(
    { id: `${REQUIREMENT}/support-period/declaration`, title: 'The published support period and product information, read by a person', basis: 'declared' },
    async (ctx) => {
      const support = recordDeclaration(ctx, 'supportPeriod');
      const product = recordDeclaration(ctx, 'productInformation');
      if (!support) return inconclusive('the profile declares no supportPeriod (endsOn, url); the ★1 checklist needs the published end of the support period');
      const model = product ? `model "${product.modelDesignation}"` : 'no declared model designation';
      return manual(`${DECLARED_NOT_OBSERVED}: a person must check that ${support.url} tells users the support period ends on ${support.endsOn}, for ${model}`);
    },
  );
  planCompleteness(suite, REQUIREMENT);
  planPublicPages(suite, REQUIREMENT, ['support-period', 'product-information']);
  planPstiStatement(suite, REQUIREMENT);
});
