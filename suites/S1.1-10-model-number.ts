/**
 * S1.1-10 型番のユーザへの提供 — the model number is provided to the user (EN 303 645 5.3-16, inferred).
 * 評価項目2 (readable in the product's GUI or web UI) is partly observable: jcstar reads what the device
 * says about itself — what identification already read on every open port, the UPnP device description,
 * SNMP's system group with the declared credential, and the first page of each web UI — and compares it
 * with the declared designation. 評価項目1 (printed on the product) is for a person.
 */
import { recordDeclaration } from '../harness/checks/declarations.js';
import { modelDesignationOf } from '../harness/checks/model-number/designation.js';
import { judgeModelNumber } from '../harness/checks/model-number/judge.js';
import { readSelfDescription } from '../harness/checks/model-number/read-device.js';
import { requirementSuite } from '../harness/suite/define.js';
import { inconclusive, manual } from '../harness/verdicts/outcome.js';

const REQUIREMENT = 'S1.1-10';

export default requirementSuite(REQUIREMENT, (suite) => {
  suite.check(
    { id: `${REQUIREMENT}/model-number/device`, title: 'The device shows the declared model designation to its user (評価項目2, TS 103 701 5.3-16-2)' },
    async (ctx) => judgeModelNumber({ ...(await readSelfDescription(ctx)), firmware: ctx.profile.device.firmware }, modelDesignationOf(ctx.profile)),
  );
  suite.check(
    { id: `${REQUIREMENT}/model-number/declaration`, title: 'The model designation is printed on the product (評価項目1)', basis: 'declared' },
    async (ctx) => {
      const declared = recordDeclaration(ctx, 'productInformation');
      if (!declared) {
        return inconclusive(`the profile declares no productInformation.modelDesignation; a person must check that the label on the product shows the model "${ctx.profile.device.model}"`);
      }
      return manual(`a person must check that the label on the product shows the declared model designation "${declared.modelDesignation}"`);
    },
  );
}, { readsSurface: true });
