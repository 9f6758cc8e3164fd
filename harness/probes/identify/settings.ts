import type { Policy } from '../../policy/schema.js';

export interface IdentificationSettings {
  concurrency: number;
  perPortBudgetMs: number;
  replyTimeoutMs: number;
}

/** The policy's `identification` section, as identifyTcpServices takes it (the caller adds the run's signal). */
export function identificationSettings(policy: Policy): IdentificationSettings {
  const { concurrency, perPortBudgetMs, replyTimeoutMs } = policy.identification;
  return { concurrency, perPortBudgetMs, replyTimeoutMs };
}
