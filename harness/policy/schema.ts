import { z } from 'zod';

/** Thresholds and budgets. Defaults live in catalogue/policy/default-policy.yaml; a profile overrides parts. */
const positive = z.number().positive();
const count = z.number().int().positive();

export const Policy = z.strictObject({
  version: z.string(),
  rateLimit: z.strictObject({
    authAttemptsPerSecond: positive.max(10000).describe('Authentication attempts per second against one target; keep it low on real devices'),
    connectionsPerSecond: positive.max(1000).describe('New connections per second against one target (scans)'),
  }),
  budgets: z.strictObject({
    checkMs: count.describe('Time budget of one check; past it the check is INCONCLUSIVE'),
    connectTimeoutMs: count,
    replyTimeoutMs: count,
  }),
  defaultCredentials: z.strictObject({
    maxAttemptsPerService: count.max(200).describe('Upper bound on default-credential attempts per service'),
  }),
  defaultPassword: z.strictObject({
    minLength: count.describe('Shortest acceptable initial password'),
    minCharacterClasses: count.max(4).describe('Of lower case, upper case, digits, symbols'),
  }),
  bruteForce: z.strictObject({
    maxAttempts: count.max(500).describe('Wrong-credential attempts per login mechanism, at most'),
    maxDurationMs: count.describe('Longest burst per login mechanism'),
    maxGuessesPerDay: count.describe('Most guesses a day an attacker may achieve for PASS'),
    maxUnlockWaitMs: count.describe('Longest wait for a lockout to clear'),
    parallelConnections: count.max(16).describe('Connections at once in the parallel phase'),
    parallelAttempts: z.number().int().nonnegative().describe('Part of maxAttempts spent in the parallel phase'),
  }),
  holdOff: z.strictObject({
    firstPollMs: count.describe('First pause before polling a held-off login again; polls then double'),
    maxWaitMs: count.describe('Longest wait for one held-off login to recover'),
    budgetMs: count.describe('Most time one check may spend waiting for hold-offs to clear (default-credential trials)'),
  }),
  portScan: z.strictObject({
    ports: z.array(z.number().int().min(1).max(65535)).describe('TCP ports probed besides the declared ones'),
    concurrency: count.max(256),
  }),
  identification: z.strictObject({
    concurrency: count.max(64).describe('Open ports identified at once'),
    perPortBudgetMs: count.describe('Most time spent identifying one port; past it the port is named by what was seen so far'),
    replyTimeoutMs: count.describe('Wait for a reply to one identification probe (and for a banner a service may send first)'),
  }),
});

/** The merged policy, with the rules that span fields. */
export const CheckedPolicy = Policy.refine((p) => p.bruteForce.parallelAttempts < p.bruteForce.maxAttempts, {
  error: (issue) => {
    const { maxAttempts, parallelAttempts } = (issue.input as Policy).bruteForce;
    return `expected fewer than bruteForce.maxAttempts (${maxAttempts}), found ${parallelAttempts}`;
  },
  path: ['bruteForce', 'parallelAttempts'],
});

export const PolicyOverrides = z
  .strictObject({
    rateLimit: Policy.shape.rateLimit.partial(),
    budgets: Policy.shape.budgets.partial(),
    defaultCredentials: Policy.shape.defaultCredentials.partial(),
    defaultPassword: Policy.shape.defaultPassword.partial(),
    bruteForce: Policy.shape.bruteForce.partial(),
    holdOff: Policy.shape.holdOff.partial(),
    portScan: Policy.shape.portScan.partial(),
    identification: Policy.shape.identification.partial(),
  })
  .partial()
  .describe('Overrides of the default policy (thresholds and budgets)');

export type Policy = z.infer<typeof Policy>;
export type PolicyOverrides = z.infer<typeof PolicyOverrides>;
