import type { Basis } from '../verdicts/verdict.js';
import type { CheckOutcome } from '../verdicts/outcome.js';
import type { DeviceProfile, Service } from '../profile/types.js';
import type { Target } from '../results/schema.js';
import type { CheckContext } from './context.js';

export interface CheckSpec {
  /** Stable ID, "<requirement>/<check>/<service>", e.g. "S1.1-02/default-credentials/web-admin". */
  id: string;
  title: string;
  /** Optional checks inform but cannot hold a requirement back from PASS. */
  mandatory?: boolean;
  basis?: Basis;
  target?: Target | null;
  /** Overrides the policy's per-check budget. */
  budgetMs?: number;
}

export type CheckBody = (ctx: CheckContext) => Promise<CheckOutcome>;

export interface PlannedCheck {
  spec: Required<Omit<CheckSpec, 'budgetMs'>> & { budgetMs?: number };
  requirement: string;
  body: CheckBody;
}

export interface SuiteBuilder {
  profile: DeviceProfile;
  check(spec: CheckSpec, body: CheckBody): void;
}

/** One file in suites/: the checks of one requirement, planned against a profile at run time. */
export interface RequirementSuite {
  requirement: string;
  plan(profile: DeviceProfile): PlannedCheck[];
}

export function requirementSuite(requirement: string, build: (suite: SuiteBuilder) => void): RequirementSuite {
  return {
    requirement,
    plan(profile) {
      const planned: PlannedCheck[] = [];
      build({
        profile,
        check(spec, body) {
          if (!spec.id.startsWith(`${requirement}/`)) throw new Error(`check ${spec.id} must start with ${requirement}/`);
          planned.push({
            requirement,
            body,
            spec: { mandatory: true, basis: 'observed', target: null, ...spec },
          });
        },
      });
      return planned;
    },
  };
}

export function serviceTarget(profile: DeviceProfile, service: Service): Target {
  return { host: profile.target.address, port: service.port, protocol: service.protocol };
}
