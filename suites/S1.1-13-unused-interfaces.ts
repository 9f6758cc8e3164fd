/**
 * S1.1-13 — topic inferred, not confirmed: by clause order most likely 未使用インタフェースの無効化,
 * unused interfaces disabled (EN 303 645 5.6-1; TS 103 701 5.6-1-1/2: every exposed interface is
 * documented and in use). Judged on the interface inventory of S1.1-01; see catalogue/star1.
 */
import { checkUnusedInterfaces } from '../harness/checks/inventory/unused-interfaces.js';
import { requirementSuite } from '../harness/suite/define.js';

const REQUIREMENT = 'S1.1-13';

export default requirementSuite(REQUIREMENT, (suite) => {
  suite.check(
    {
      id: `${REQUIREMENT}/unused-interfaces/inventory`,
      title: 'No interface answers that the vendor does not declare in use (inferred topic: unused interfaces disabled)',
      target: { host: suite.profile.target.address, port: null, protocol: 'ip' },
    },
    (ctx) => checkUnusedInterfaces(ctx),
  );
}, { readsSurface: true });
