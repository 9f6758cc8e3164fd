import type { SuiteBuilder } from '../../suite/define.js';
import { inconclusive, manual } from '../../verdicts/outcome.js';
import { DECLARED_NOT_OBSERVED } from './completeness.js';
import { attachDocument } from './local-document.js';

/**
 * A declared UK PSTI statement of compliance, attached with its hash. IPA deems the requirements tagged
 * psti-equivalent met on it (harness/results/recognition.ts); whether it covers this model stays for a person.
 */
export function planPstiStatement(suite: SuiteBuilder, requirement: string): void {
  const psti = suite.profile.declarations.pstiCompliance;
  if (!psti) return;
  suite.check(
    { id: `${requirement}/psti/statement-of-compliance`, title: `UK PSTI statement of compliance, which IPA deems to meet ${requirement} (${DECLARED_NOT_OBSERVED})`, basis: 'declared' },
    async (ctx) => {
      const statement = await attachDocument(ctx, 'pstiCompliance', psti.statementOfCompliance);
      if (!statement.attached) return inconclusive(`the UK PSTI statement of compliance could not be attached: ${statement.problem ?? `${psti.statementOfCompliance} is not a local file`}`);
      const { device } = ctx.profile;
      return manual(
        `${DECLARED_NOT_OBSERVED}: UK PSTI statement of compliance ${psti.statementOfCompliance} (sha256 ${statement.sha256}${psti.issuedOn ? `, issued ${psti.issuedOn}` : ''}); ` +
          `a person must check that it covers ${device.vendor} ${device.model} (firmware ${device.firmware})`,
      );
    },
  );
}
