import type { AttackSurface } from '../inventory/surface.js';
import { discoveredServices } from '../inventory/discovered-services.js';
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
  /** Inventory checks run first and fill the attack surface that plans every other check. */
  phase?: 'inventory' | 'checks';
}

export type CheckBody = (ctx: CheckContext) => Promise<CheckOutcome>;

export interface PlannedCheck {
  spec: Required<Omit<CheckSpec, 'budgetMs'>> & { budgetMs?: number };
  requirement: string;
  body: CheckBody;
}

export interface SuiteBuilder {
  profile: DeviceProfile;
  /** The run's attack surface: empty while the inventory is planned, filled when the other checks are. */
  surface: AttackSurface;
  /** Undeclared services the inventory identified, to be tested like declared ones. */
  discovered: Service[];
  check(spec: CheckSpec, body: CheckBody): void;
}

/** One file in suites/: the checks of one requirement, planned against a profile at run time. */
export interface RequirementSuite {
  requirement: string;
  /** The suite tests what the inventory finds, so the inventory runs whenever this suite does. */
  readsSurface: boolean;
  plan(profile: DeviceProfile, surface: AttackSurface): PlannedCheck[];
}

export function requirementSuite(requirement: string, build: (suite: SuiteBuilder) => void, options: { readsSurface?: boolean } = {}): RequirementSuite {
  return {
    requirement,
    readsSurface: options.readsSurface ?? false,
    plan(profile, surface) {
      const planned: PlannedCheck[] = [];
      build({
        profile,
        surface,
        discovered: discoveredServices(profile, surface.identities),
        check(spec, body) {
          if (!spec.id.startsWith(`${requirement}/`)) throw new Error(`check ${spec.id} must start with ${requirement}/`);
          planned.push({
            requirement,
            body,
            spec: { mandatory: true, basis: 'observed', target: null, phase: 'checks', ...spec },
          });
        },
      });
      return planned;
    },
  };
}

export function serviceTarget(profile: DeviceProfile, service: Service): Target {
  return { host: profile.target.address, port: service.port, protocol: service.protocol, transport: service.transport };
}
