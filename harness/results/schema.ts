import { z } from 'zod';
import { VERDICTS } from '../verdicts/verdict.js';

/** results.json: the machine report. Its JSON Schema (schemas/results.schema.json) is generated from this. */
/** 2: every check carries `warnings`. 3: `interfaces`, the inventory table; targets carry their transport. */
export const RESULTS_FORMAT_VERSION = 3;

const verdict = z.enum(VERDICTS);

export const Target = z
  .object({
    host: z.string(),
    port: z.number().int().nullable(),
    protocol: z.string(),
    transport: z.enum(['tcp', 'udp']).optional().describe('tcp or udp; absent for host-wide targets and in runs recorded before results format 3'),
  })
  .describe('Address, port and protocol that a check or exchange was aimed at');

export const Artifact = z.object({
  name: z.string(),
  path: z.string().describe('Path relative to the run folder'),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().nonnegative(),
  mediaType: z.string(),
});

export const EvidenceItem = z
  .object({
    seq: z.number().int().nonnegative().describe('Position in evidence.jsonl'),
    at: z.iso.datetime(),
    kind: z.enum(['exchange', 'observation', 'note']),
    summary: z.string(),
    target: Target.nullable(),
    sent: z.string().nullable().describe('Excerpt of what jcstar sent, secrets redacted'),
    received: z.string().nullable().describe('Excerpt of what came back, secrets redacted'),
    artifacts: z.array(Artifact),
    data: z.record(z.string(), z.unknown()).nullable(),
  })
  .describe('One thing jcstar tried or saw');

export const CheckResult = z.object({
  id: z.string(),
  requirement: z.string().regex(/^S\d+\.\d+-\d{2}$/),
  title: z.string(),
  mandatory: z.boolean(),
  basis: z.enum(['observed', 'declared']),
  verdict,
  reason: z.string(),
  warnings: z.array(z.string()).describe('What is not recommended but did not decide the verdict (a PASS with warnings is a PASS); empty when none'),
  target: Target.nullable(),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().nullable(),
  durationMs: z.number().nonnegative().nullable(),
  evidence: z.array(EvidenceItem),
});

export const Recognition = z
  .object({
    scheme: z.literal('UK PSTI'),
    statement: z
      .object({
        path: z.string().describe('The statement of compliance as attached, relative to the run folder'),
        sha256: z.string().regex(/^[0-9a-f]{64}$/),
        declared: z.string().describe('The file as the profile names it'),
      })
      .nullable()
      .describe('Null when no check of this run attached it (the requirement was not selected)'),
    issuedOn: z.string().nullable(),
    note: z.string(),
  })
  .describe('Another scheme\'s certification that IPA deems to meet this requirement (mutual recognition); declared, not observed');

export const RequirementResult = z.object({
  id: z.string().regex(/^S\d+\.\d+-\d{2}$/),
  title: z.string(),
  titleJa: z.string().nullable(),
  evaluation: z.enum(['document', 'device', 'both', 'unconfirmed']),
  etsi: z.array(z.string()),
  ts103701: z.array(z.string()),
  tags: z.array(z.string()),
  confirmed: z.object({ title: z.boolean(), statement: z.boolean(), evaluation: z.boolean(), mapping: z.boolean() }),
  verdict,
  reason: z.string(),
  checks: z.array(z.string()).describe('IDs of the checks in `checks[]` that decide this requirement'),
  declarations: z.array(z.string()).describe('Keys of `declarations[]` that bear on this requirement'),
  recognition: Recognition.nullable()
    .optional()
    .describe('Set when the profile declares UK PSTI compliance and IPA deems it to meet this requirement: the verdict is then PASS unless a check FAILs (or hit a harness ERROR)'),
});

export const Declaration = z.object({
  key: z.string(),
  requirements: z.array(z.string()),
  value: z.unknown().describe('As declared in the profile, secrets redacted'),
});

export const InterfaceEntry = z
  .object({
    port: z.number().int().min(1).max(65535),
    transport: z.enum(['tcp', 'udp']),
    state: z.enum(['open', 'closed', 'filtered', 'open|filtered']).describe('As nmap names port states; a silent UDP port is open|filtered, never open'),
    service: z.string().nullable().describe('What identification found answering ("ssh", "coap+tcp", "unknown"); null when not identified'),
    tls: z.boolean().describe('TLS (DTLS on UDP) wraps the service'),
    product: z.string().nullable(),
    banner: z.string().nullable(),
    declared: z.string().nullable().describe('Name of the declared service on this port; null when the profile does not declare it'),
    debug: z.string().nullable().describe('A known debug or factory service, as catalogue/inventory/debug-services.yaml names it'),
    checks: z.array(z.string()).describe('IDs of the checks that ran on this interface (a check cut short by an interruption is not among them)'),
  })
  .describe('One port the inventory found answering: an open TCP port, or a UDP port that answered (open) or stayed silent (open|filtered)');

export const Results = z.object({
  formatVersion: z.literal(RESULTS_FORMAT_VERSION),
  tool: z.object({ name: z.literal('jcstar'), version: z.string() }),
  run: z.object({
    id: z.string(),
    status: z.enum(['complete', 'interrupted', 'aborted']),
    statusReason: z.string().nullable(),
  }),
  device: z.object({
    vendor: z.string(),
    model: z.string(),
    firmware: z.string(),
    unit: z.string(),
    category: z.string(),
    mac: z.string().optional(),
    state: z.enum(['factory-fresh', 'configured']).optional(),
  }),
  target: z.object({ host: z.string(), scope: z.array(z.string()) }),
  profile: z.object({ path: z.string().nullable(), sha256: z.string() }),
  rules: z.object({
    catalogue: z.string(),
    policy: z.string(),
    crypto: z.string().optional().describe('Crypto rule set version, "+profile" when the profile changed it; absent in runs recorded before crypto rules existed'),
  }),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  summary: z.object({
    requirements: z.record(verdict, z.number().int()),
    checks: z.record(verdict, z.number().int()),
  }),
  requirements: z.array(RequirementResult),
  checks: z.array(CheckResult),
  runEvidence: z.array(EvidenceItem).describe('Evidence of the run itself: the reachability preflight and run-level notes'),
  declarations: z.array(Declaration),
  interfaces: z.array(InterfaceEntry).describe('The interface inventory (S1.1-01, S1.1-13); empty when the inventory did not run'),
});

export type Target = z.infer<typeof Target>;
export type Artifact = z.infer<typeof Artifact>;
export type EvidenceItem = z.infer<typeof EvidenceItem>;
export type CheckResult = z.infer<typeof CheckResult>;
export type RequirementResult = z.infer<typeof RequirementResult>;
export type Recognition = z.infer<typeof Recognition>;
export type Declaration = z.infer<typeof Declaration>;
export type InterfaceEntry = z.infer<typeof InterfaceEntry>;
export type Results = z.infer<typeof Results>;
