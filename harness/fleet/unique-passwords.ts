import { join } from 'node:path';
import { assessFleet, ownInitialPasswords, type FleetAssessment, type InitialPassword } from '../checks/default-password/fleet.js';
import { loadUniversalDefaults } from '../credentials/universal-defaults.js';
import { redactableSecrets, usernames } from '../engine/run.js';
import { Redactor } from '../evidence/redactor.js';
import { EvidenceStore } from '../evidence/store.js';
import type { Verdict } from '../verdicts/verdict.js';
import type { FleetDevice } from './load.js';

/** S1.1-02 across the units a fleet ran: each unit's declared initial password against every other unit's of its model. */
export const UNIQUENESS_CHECK = {
  id: 'S1.1-02/fleet/unique-initial-passwords',
  requirement: 'S1.1-02',
  title: 'initial passwords are unique per unit across the fleet (TS 103 701 5.1-2)',
} as const;

/** The fleet's own evidence log, beside the per-device run folders. */
export const CROSS_UNIT_FOLDER = 'cross-unit';

export interface CrossUnitResult {
  id: string;
  requirement: string;
  title: string;
  verdict: Verdict;
  reason: string;
  /** Units whose passwords were compared. */
  units: string[];
  /** `cross-unit/evidence.jsonl#<seq>`, or null when nothing was recorded (merge). */
  evidence: string | null;
}

/**
 * Compares the passwords in memory (they never leave the process) with the rules the per-device check
 * uses, and records the assessment, which names units and rules only, redacted with every unit's secrets.
 */
export function checkUniqueInitialPasswords(devices: FleetDevice[], outDir: string): CrossUnitResult {
  const excluded = devices.filter((d) => schemeOf(d) !== undefined && schemeOf(d) !== 'unique-per-device');
  const compared = devices.filter((d) => !excluded.includes(d));
  const withoutPassword = compared.filter((d) => ownInitialPasswords(d.profile).length === 0).map((d) => d.unit);
  const models = groupByModel(compared.filter((d) => !withoutPassword.includes(d.unit)));
  const assessments = [...models].map(([model, group]) => ({ model, ...assess(model, group) }));
  const units = [...models.values()].flat().map((d) => d.unit);

  const secrets = devices.flatMap((d) => redactableSecrets(d.profile).secrets);
  const store = EvidenceStore.open(join(outDir, CROSS_UNIT_FOLDER), new Redactor(secrets, devices.flatMap((d) => usernames(d.profile))));
  const now = () => new Date().toISOString();
  const started = Date.now();
  store.write({ type: 'check-start', at: now(), checkId: UNIQUENESS_CHECK.id });
  for (const d of excluded) store.record(UNIQUENESS_CHECK.id, UNIQUENESS_CHECK.requirement, { kind: 'note', summary: `unit ${d.unit} declares the scheme "${schemeOf(d)}", which ships no per-unit password; left out` });
  const record = store.record(UNIQUENESS_CHECK.id, UNIQUENESS_CHECK.requirement, {
    kind: 'observation',
    summary: `initial passwords of ${units.length} unit(s) in ${models.size} model(s) against the unique-per-device rules: ${assessments.every((a) => a.findings.length === 0) ? 'all rules met' : `${assessments.flatMap((a) => a.findings).length} finding(s)`}`,
    data: { models: assessments.map((a) => ({ model: a.model, units: a.units, passwords: a.assessments })), withoutPassword },
  });
  const { verdict, reason } = judge(assessments, withoutPassword, `evidence ${CROSS_UNIT_FOLDER} #${record.seq}`);
  const safeReason = store.redactor.text(reason);
  store.write({ type: 'verdict', at: now(), checkId: UNIQUENESS_CHECK.id, verdict, reason: safeReason, durationMs: Date.now() - started });
  store.close();
  return { ...UNIQUENESS_CHECK, verdict, reason: safeReason, units, evidence: `${CROSS_UNIT_FOLDER}/evidence.jsonl#${record.seq}` };
}

function schemeOf(device: FleetDevice): string | undefined {
  return device.profile.declarations.defaultPasswordScheme?.scheme;
}

/** Uniqueness holds among units of one model; different models may share nothing worth comparing. */
function groupByModel(devices: FleetDevice[]): Map<string, FleetDevice[]> {
  const groups = new Map<string, FleetDevice[]>();
  for (const d of devices) {
    const model = `${d.profile.device.vendor} ${d.profile.device.model}`;
    groups.set(model, [...(groups.get(model) ?? []), d]);
  }
  return groups;
}

function assess(model: string, group: FleetDevice[]): FleetAssessment {
  const passwords: InitialPassword[] = group.flatMap((d) => ownInitialPasswords(d.profile));
  return assessFleet(passwords, {
    model: group[0]!.profile.device.model,
    strength: group[0]!.profile.policy.defaultPassword,
    universalDefaults: loadUniversalDefaults().entries,
  });
}

function judge(assessments: (FleetAssessment & { model: string })[], withoutPassword: string[], where: string): { verdict: Verdict; reason: string } {
  const findings = assessments.flatMap((a) => a.findings);
  if (findings.length > 0) return { verdict: 'FAIL', reason: `${findings.join('; ')} (${where})` };
  if (withoutPassword.length > 0) {
    return { verdict: 'INCONCLUSIVE', reason: `unit(s) ${withoutPassword.join(', ')} declare no password for a login service, so their uniqueness cannot be compared; declare each unit's credentials (${where})` };
  }
  const compared = assessments.filter((a) => a.units >= 2);
  if (compared.length === 0) {
    return { verdict: 'NOT_APPLICABLE', reason: `uniqueness needs at least two units of one model with a declared initial password; this fleet has none (${where})` };
  }
  const described = compared.map((a) => `${a.units} units of ${a.model}`).join(', ');
  return { verdict: 'PASS', reason: `${described}: distinct initial passwords, none derived from MAC, serial number or model, none a universal default, all meeting the strength rule (${where})` };
}
