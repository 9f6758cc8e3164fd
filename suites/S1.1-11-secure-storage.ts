/**
 * S1.1-11 守るべき情報資産のセキュアな保存 — assets to protect are stored securely (EN 303 645 5.4-1, inferred).
 * Storage cannot be seen over the network: ★1 evaluates it on documents, so jcstar checks that the
 * declaration says what is stored, where and how, and points a reviewer at protection that names no
 * cipher from CRYPTREC's list (評価項目1) or one that is not on it.
 */
import { recordDeclaration } from '../harness/checks/declarations.js';
import { planCompleteness } from '../harness/checks/documents/completeness.js';
import { loadCryptrecList } from '../harness/checks/secure-storage/cryptrec-list.js';
import { reviewStoredAssets } from '../harness/checks/secure-storage/review.js';
import { requirementSuite } from '../harness/suite/define.js';
import { inconclusive, manual } from '../harness/verdicts/outcome.js';

const REQUIREMENT = 'S1.1-11';

export default requirementSuite(REQUIREMENT, (suite) => {
  suite.check(
    { id: `${REQUIREMENT}/secure-storage/declaration`, title: 'Declared storage of the assets to protect, and how each is protected (評価項目1)', basis: 'declared' },
    async (ctx) => {
      const declared = recordDeclaration(ctx, 'secureStorage');
      if (!declared) {
        return inconclusive('the profile declares no secureStorage: the ★1 checklist needs every asset to protect the device stores, where, and how it is protected (評価項目1: encrypted with ciphers from CRYPTREC\'s 電子政府推奨暗号リスト)');
      }
      const list = loadCryptrecList();
      const reviews = reviewStoredAssets(declared.assets, list);
      const hints = reviews.flatMap((r) => (r.hint ? [r.hint] : []));
      ctx.evidence.record({
        kind: 'note',
        summary: `${declared.assets.length} stored asset(s) declared; ${hints.length} with a review hint (cipher names per ${list.version})`,
        data: { list: list.version, reviews },
      });
      const outcome = manual(
        `a person must review how the ${declared.assets.length} declared stored asset(s) are protected` +
          (hints.length > 0 ? `; ${hints.length} name no cipher from the ${list.list} or one off it (see warnings)` : `; each names ciphers from the ${list.list}`),
      );
      return hints.length > 0 ? { ...outcome, warnings: hints } : outcome;
    },
  );
  planCompleteness(suite, REQUIREMENT);
});
