import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { cataloguePath } from '../paths.js';
import { CheckedPolicy, Policy, type PolicyOverrides } from './schema.js';

export function loadDefaultPolicy(): Policy {
  return loadPolicyFile(cataloguePath('policy', 'default-policy.yaml'));
}

/** A full policy file, validated as the default one is; `jcstar report --policy` judges with it. */
export function loadPolicyFile(path: string): Policy {
  return Policy.parse(parse(readFileSync(path, 'utf8')));
}

/** A base policy (the default one unless given) with a profile's overrides applied section by section; the version notes the override. */
export function effectivePolicy(overrides: PolicyOverrides = {}, base: Policy = loadDefaultPolicy()): Policy {
  const merged: Policy = {
    version: Object.keys(overrides).length > 0 ? `${base.version}+profile` : base.version,
    rateLimit: { ...base.rateLimit, ...overrides.rateLimit },
    budgets: { ...base.budgets, ...overrides.budgets },
    defaultCredentials: { ...base.defaultCredentials, ...overrides.defaultCredentials },
    defaultPassword: { ...base.defaultPassword, ...overrides.defaultPassword },
    bruteForce: { ...base.bruteForce, ...overrides.bruteForce },
    holdOff: { ...base.holdOff, ...overrides.holdOff },
    portScan: { ...base.portScan, ...overrides.portScan },
    udpScan: { ...base.udpScan, ...overrides.udpScan },
    identification: { ...base.identification, ...overrides.identification },
  };
  return CheckedPolicy.parse(merged);
}
