import { z } from 'zod';
import { parsePortRanges } from '../probes/tcp/port-ranges.js';

/** Thresholds and budgets. Defaults live in catalogue/policy/default-policy.yaml; a profile overrides parts. */
const positive = z.number().positive();
const count = z.number().int().positive();

const scanPace = z.strictObject({
  connectionsPerSecond: positive.max(100000).describe('New TCP connections per second at most'),
  maxConcurrency: count.max(4096).describe('TCP connection attempts in flight at most'),
});

function validPortRanges(text: string): boolean {
  try {
    parsePortRanges(text);
    return true;
  } catch {
    return false;
  }
}

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
    tcpPorts: z
      .string()
      .refine(validPortRanges, { error: 'expected nmap port ranges such as "1-65535" or "22,80,8000-8100" (ports 1 to 65535)' })
      .describe('TCP ports scanned, in nmap range syntax; "" scans none'),
    speed: z.enum(['gentle', 'fast']).describe('Which pace the TCP scan keeps: gentle (default, for fragile devices) or fast'),
    gentle: scanPace,
    fast: scanPace,
    minTimeoutMs: count.describe('Shortest wait for a TCP answer, however fast the device answered before'),
    maxTimeoutMs: count.describe('Longest wait for a TCP answer'),
    retries: z.number().int().min(0).max(10).describe('Further attempts on a silent port before it is called filtered'),
  }),
  udpScan: z.strictObject({
    retries: z.number().int().min(0).max(5).describe('Sends after the first before a silent UDP port is open|filtered'),
    timeoutMs: count.max(30000).describe('Longest wait for an answer after each UDP send, and the wait until the host has answered on any port'),
    minTimeoutMs: count.max(30000).describe('Shortest wait after a UDP send once the host has answered: the wait is 4x its slowest answer, between this and timeoutMs'),
    concurrency: count.max(64).describe('UDP ports probed at once'),
    ports: z.array(z.number().int().min(1).max(65535)).describe('UDP ports probed with an empty datagram besides the payload table (closed vs open|filtered only)'),
    payloadTable: z.boolean().describe('Probe every port of the payload table; false probes only `ports` and the declared UDP services'),
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
}).refine((p) => p.portScan.minTimeoutMs <= p.portScan.maxTimeoutMs, {
  error: (issue) => `expected at most portScan.maxTimeoutMs (${(issue.input as Policy).portScan.maxTimeoutMs}), found ${(issue.input as Policy).portScan.minTimeoutMs}`,
  path: ['portScan', 'minTimeoutMs'],
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
    udpScan: Policy.shape.udpScan.partial(),
    identification: Policy.shape.identification.partial(),
  })
  .partial()
  .describe('Overrides of the default policy (thresholds and budgets)');

export type Policy = z.infer<typeof Policy>;
export type PolicyOverrides = z.infer<typeof PolicyOverrides>;
