import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { plaintextCheckFor } from '../../../harness/checks/encryption/plaintext/plaintext-for.js';
import type { CheckResult } from '../../../harness/results/schema.js';
import { requirementSuite, serviceTarget } from '../../../harness/suite/define.js';
import { filesUnder } from '../../support/run-folder.js';
import { DEVICE, runProfile } from '../../support/run-profile.js';

/** No port scan, short replies: these runs only talk to the one fixture. */
const QUIET = { portScan: { tcpPorts: '' }, budgets: { replyTimeoutMs: 1500 } };

/** S1.1-12 as the lead's suite will plan it: one plaintext check per service whose protocol has one. */
const plaintextSuite = requirementSuite('S1.1-12', (suite) => {
  for (const service of suite.profile.services) {
    const check = plaintextCheckFor(service);
    if (!check) continue;
    suite.check({ id: `S1.1-12/plaintext/${service.name}`, title: `No plaintext channel on ${service.name}`, target: serviceTarget(suite.profile, service) }, (ctx) => check(ctx, service));
  }
});

export interface PlaintextRun {
  check: CheckResult;
  runDir: string;
}

/** Runs the plaintext check of `name` against `host`, with `services` declared (extra ones keep preflight happy). */
export async function runPlaintextCheck(
  host: string,
  services: Array<Record<string, unknown>>,
  options: { name?: string; credentials?: Record<string, unknown>; env?: Record<string, string>; budgets?: Record<string, number> } = {},
): Promise<PlaintextRun> {
  const name = options.name ?? String(services[0]!.name);
  const document = {
    device: DEVICE,
    target: { host },
    scope: [`${host}/32`],
    services,
    ...(options.credentials ? { credentials: options.credentials } : {}),
    policy: { ...QUIET, budgets: { ...QUIET.budgets, ...options.budgets } },
  };
  const run = await runProfile(document, { suites: [plaintextSuite], only: ['S1.1-12'], env: options.env });
  const check = run.results.checks.find((c) => c.id === `S1.1-12/plaintext/${name}`);
  if (!check) throw new Error(`no plaintext check for ${name}: ${run.results.checks.map((c) => `${c.id} ${c.verdict} ${c.reason}`).join('; ')}`);
  return { check, runDir: run.runDir };
}

/** No file of the run folder holds `secret`. */
export function expectNotRecorded(runDir: string, secret: string): void {
  for (const file of filesUnder(runDir)) expect(readFileSync(file).toString('latin1').includes(secret), `${secret} in ${file}`).to.equal(false);
}
