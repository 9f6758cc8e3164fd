/**
 * S1.1-01 適切な認証に基づくアクセス制御 — access control based on appropriate authentication
 * (EN 303 645 5.5-4/5.5-5). The vendor lists every access path to the assets; jcstar checks that list
 * against every TCP port and the usual IoT UDP ports the device really opens (TS 103 701 5.5-4-2:
 * undocumented mechanisms are found), and asks every service, declared or found, for its assets without
 * credentials (5.5-4-2: unauthenticated subjects are denied). What the profile declares public, with a
 * justification, may answer.
 */
import { accessCheckFor } from '../harness/checks/access/probe-for.js';
import { recordDeclaration } from '../harness/checks/declarations.js';
import { planCompleteness } from '../harness/checks/documents/completeness.js';
import { inventoryBudgetMs } from '../harness/checks/inventory/budget.js';
import { inventoryTcp } from '../harness/checks/inventory/tcp.js';
import { inventoryUdp } from '../harness/checks/inventory/udp.js';
import { keyLoginAccess } from '../harness/checks/key-login/access.js';
import { tcpInventoryPorts } from '../harness/inventory/tcp-ports.js';
import { requirementSuite, serviceTarget } from '../harness/suite/define.js';
import { inconclusive, manual } from '../harness/verdicts/outcome.js';

const REQUIREMENT = 'S1.1-01';

export default requirementSuite(REQUIREMENT, (suite) => {
  const { profile } = suite;
  suite.check(
    {
      id: `${REQUIREMENT}/interface-inventory/tcp`,
      title: `Every open TCP port (of ${tcpInventoryPorts(profile) || 'none'}) is a declared service`,
      target: { host: profile.target.address, port: null, protocol: 'tcp' },
      phase: 'inventory',
      budgetMs: inventoryBudgetMs(profile),
    },
    (ctx) => inventoryTcp(ctx, suite.surface),
  );
  suite.check(
    {
      id: `${REQUIREMENT}/interface-inventory/udp`,
      title: 'Every UDP port that answers its protocol\'s probe is a declared service',
      target: { host: profile.target.address, port: null, protocol: 'udp' },
      phase: 'inventory',
    },
    (ctx) => inventoryUdp(ctx, suite.surface),
  );
  // Undeclared services are tried with the protocol identification found, where jcstar has a probe for it.
  const discovered = suite.discovered.filter((s) => typeof accessCheckFor(s) === 'function' && s.protocol !== 'coaps');
  for (const service of [...profile.services, ...discovered]) {
    const access = accessCheckFor(service);
    suite.check(
      {
        id: `${REQUIREMENT}/unauthenticated-access/${service.name}`,
        title: `Nothing protected answers without authentication on ${service.name} (${service.protocol}/${service.port}, ${service.discovered ? `undeclared ${service.transport} port found by the inventory` : `declared ${service.auth}`})`,
        target: serviceTarget(profile, service),
      },
      async (ctx) => {
        // Authentication below the application (a required client certificate, DTLS-PSK) decides first.
        const belowApplication = await keyLoginAccess(ctx, service);
        if (belowApplication) return belowApplication;
        if (typeof access === 'function') return access(ctx, service);
        ctx.evidence.record({ kind: 'note', summary: access.missing, target: ctx.target });
        return inconclusive(access.missing);
      },
    );
  }
  suite.check(
    { id: `${REQUIREMENT}/access-control/declaration`, title: 'Declared assets and access paths with their authentication', basis: 'declared' },
    async (ctx) => {
      const declared = recordDeclaration(ctx, 'accessControl');
      if (!declared) return inconclusive('the profile declares no accessControl (assets and access paths); the ★1 checklist needs it');
      return manual(`${declared.assets.length} asset(s) and ${declared.accessPaths.length} access path(s) declared: a person must review them against the technical documentation`);
    },
  );
  planCompleteness(suite, REQUIREMENT);
}, { readsSurface: true });
