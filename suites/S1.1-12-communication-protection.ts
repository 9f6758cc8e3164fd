/**
 * S1.1-12 通信の盗聴からの保護 — assets that travel over the network are protected against eavesdropping
 * (EN 303 645 5.5-1; TS 103 701 5.5-1-1/2: best-practice cryptography per a reference catalogue).
 * Every encrypted service is graded against the versioned crypto rules (CRYPTREC and Mozilla
 * intermediate, catalogue/crypto), and every plaintext service is shown to carry, or not to carry,
 * credentials and assets in the clear.
 */
import { checkDtlsCrypto } from '../harness/checks/encryption/dtls.js';
import { plaintextCheckFor } from '../harness/checks/encryption/plaintext/plaintext-for.js';
import { checkSshCrypto } from '../harness/checks/encryption/ssh.js';
import { checkTlsCrypto } from '../harness/checks/encryption/tls.js';
import { recordDeclaration } from '../harness/checks/declarations.js';
import type { Protocol } from '../harness/profile/schema.js';
import type { Service } from '../harness/profile/types.js';
import type { CheckContext } from '../harness/suite/context.js';
import { requirementSuite, serviceTarget } from '../harness/suite/define.js';
import { inconclusive, manual, type CheckOutcome } from '../harness/verdicts/outcome.js';

const REQUIREMENT = 'S1.1-12';

type CryptoCheck = { what: string; check: (ctx: CheckContext, service: Service) => Promise<CheckOutcome> };
const TLS: CryptoCheck = { what: 'TLS', check: checkTlsCrypto };

/** Encrypted protocols and their grader; FTP is graded on its AUTH TLS upgrade besides its plaintext check. */
const GRADERS: Partial<Record<Protocol, CryptoCheck>> = {
  https: TLS,
  mqtts: TLS,
  rtsps: TLS,
  ftps: TLS,
  ftp: { what: 'AUTH TLS', check: checkTlsCrypto },
  coaps: { what: 'DTLS', check: checkDtlsCrypto },
  ssh: { what: 'SSH', check: checkSshCrypto },
};

export default requirementSuite(REQUIREMENT, (suite) => {
  const { profile } = suite;
  // Undeclared services found by the inventory are graded like declared ones.
  for (const service of [...profile.services, ...suite.discovered]) {
    const grader = GRADERS[service.protocol];
    if (grader) {
      suite.check(
        {
          id: `${REQUIREMENT}/crypto/${service.name}`,
          title: `${grader.what} on ${service.name} (${service.port}/${service.transport}) uses only allowed versions, algorithms and keys`,
          target: serviceTarget(profile, service),
        },
        (ctx) => grader.check(ctx, service),
      );
    }
    const plaintext = plaintextCheckFor(service);
    if (plaintext) {
      suite.check(
        {
          id: `${REQUIREMENT}/plaintext/${service.name}`,
          title: `No credentials or assets travel in plaintext on ${service.name} (${service.protocol}/${service.port})`,
          target: serviceTarget(profile, service),
        },
        (ctx) => plaintext(ctx, service),
      );
    }
  }
  suite.check(
    {
      id: `${REQUIREMENT}/communication-protection/declaration`,
      title: 'Declared protection of every path that carries assets, including those the lab network cannot see',
      basis: 'declared',
      // The network checks above decide what they can see; this records what only documents show.
      mandatory: false,
    },
    async (ctx) => {
      const declared = recordDeclaration(ctx, 'communicationProtection');
      if (!declared) return inconclusive('the profile declares no communicationProtection; paths the lab cannot observe (cloud, app) stay unexamined');
      const reference = declared.cryptoReference ? ` against ${declared.cryptoReference}` : '';
      return manual(`the vendor declares: "${declared.description}"${reference}; a person must check it covers the paths the lab cannot observe (cloud, companion app)`);
    },
  );
}, { readsSurface: true });
