import type { BaseCryptoRules } from '../crypto/load.js';
import { effectiveCryptoRules, type CryptoRuleChange, type EffectiveCryptoRules } from '../crypto/effective.js';
import type { CryptoProfile } from '../crypto/schema.js';
import type { Finding } from '../profile/finding.js';

/**
 * A new base rule set with the run's own profile changes on top. The changes are read from the evidence (each
 * crypto observation records them, as the run applied them), not from profile.yaml, which may need the
 * environment to load; they are validated against the new base exactly as a profile's `crypto` section is.
 */
export function rulesWithRunChanges(base: BaseCryptoRules, changes: CryptoRuleChange[]): { rules: EffectiveCryptoRules; problems: Finding[] } {
  const profile: CryptoProfile = { restrict: {}, permit: [] };
  const restrict = profile.restrict as Record<string, Record<string, unknown>>;
  for (const change of changes) {
    if (change.kind === 'permit') {
      profile.permit.push({ rule: change.rule, value: change.value, justification: change.justification });
      continue;
    }
    const [section, key] = change.rule.split('.') as [string, string];
    restrict[section] = { ...restrict[section], [key]: change.value };
  }
  return effectiveCryptoRules(profile, base);
}
