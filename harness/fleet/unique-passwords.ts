import { join } from 'node:path';
import { assessFleet, ownInitialPasswords, type FleetAssessment, type InitialPassword } from '../checks/default-password/fleet.js';
import { loadUniversalDefaults } from '../credentials/universal-defaults.js';
import { redactableSecrets, usernames } from '../engine/run.js';
import { Redactor } from '../evidence/redactor.js';
import { EvidenceStore } from '../evidence/store.js';
import type { Verdict } from '../verdicts/verdict.js';
import { establishedCredentials } from './established.js';
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
  /** Units whose passwords were compared (those their own run showed accepted). */
  units: string[];
  /** `cross-unit/evidence.jsonl#<seq>`, or null when nothing was recorded (merge). */
  evidence: string | null;
}

/** A declared password left out of the comparison, and why. */
interface NotJudged {
  unit: string;
  source: string;
  reason: string;
}

/**
 * Compares the passwords in memory (they never leave the process) with the rules the per-device check
 * uses, and records the assessment, which names units and rules only, redacted with every unit's secrets.
 * A password counts only once its unit's completed run showed the device accepting it (the positive
 * control); the others are listed as not judged, and keep the check from PASSing.
 */
export function checkUniqueInitialPasswords(devices: FleetDevice[], outDir: string): CrossUnitResult {
  const excluded = devices.filter((d) => schemeOf(d) !== undefined && schemeOf(d) !== 'unique-per-device');
  const compared = devices.filter((d) => !excluded.includes(d));
  const withoutPassword = compared.filter((d) => ownInitialPasswords(d.profile).length === 0).map((d) => d.unit);
  const established: InitialPassword[] = [];
  const notJudged: NotJudged[] = [];
  for (const d of compared) {
    const shown = establishedCredentials(join(outDir, d.unit), d.profile);
    for (const p of ownInitialPasswords(d.profile)) {
      if ('notEstablished' in shown) notJudged.push({ unit: d.unit, source: p.source, reason: shown.notEstablished });
      else if (p.credential !== undefined && shown.accepted.has(p.credential)) established.push(p);
      else notJudged.push({ unit: d.unit, source: p.source, reason: 'its run never showed the device accepting it (no positive control of S1.1-02 or S1.1-04 on a service that uses it)' });
    }
  }
  const models = groupByModel(established, devices);
  const assessments = [...models].map(([model, passwords]) => ({ model, ...assess(passwords, devices) }));
  const units = [...new Set(established.map((p) => p.unit))];

  const secrets = devices.flatMap((d) => redactableSecrets(d.profile).secrets);
  const store = EvidenceStore.open(join(outDir, CROSS_UNIT_FOLDER), new Redactor(secrets, devices.flatMap((d) => usernames(d.profile))));
  const now = () => new Date().toISOString();
  const started = Date.now();
  store.write({ type: 'check-start', at: now(), checkId: UNIQUENESS_CHECK.id });
  for (const d of excluded) store.record(UNIQUENESS_CHECK.id, UNIQUENESS_CHECK.requirement, { kind: 'note', summary: `unit ${d.unit} declares the scheme "${schemeOf(d)}", which ships no per-unit password; left out` });
  const record = store.record(UNIQUENESS_CHECK.id, UNIQUENESS_CHECK.requirement, {
    kind: 'observation',
    summary: `initial passwords of ${units.length} unit(s) in ${models.size} model(s), each seen accepted by its device, against the unique-per-device rules: ${assessments.every((a) => a.findings.length === 0) ? 'all rules met' : `${assessments.flatMap((a) => a.findings).length} finding(s)`}${notJudged.length > 0 ? `; ${notJudged.length} password(s) not judged` : ''}`,
    data: { models: assessments.map((a) => ({ model: a.model, units: a.units, passwords: a.assessments })), notJudged, withoutPassword },
  });
  const { verdict, reason } = judge(assessments, notJudged, withoutPassword, `evidence ${CROSS_UNIT_FOLDER} #${record.seq}`);
  const safeReason = store.redactor.text(reason);
  store.write({ type: 'verdict', at: now(), checkId: UNIQUENESS_CHECK.id, verdict, reason: safeReason, durationMs: Date.now() - started });
  store.close();
  return { ...UNIQUENESS_CHECK, verdict, reason: safeReason, units, evidence: `${CROSS_UNIT_FOLDER}/evidence.jsonl#${record.seq}` };
}

function schemeOf(device: FleetDevice): string | undefined {
  return device.profile.declarations.defaultPasswordScheme?.scheme;
}

/** Uniqueness holds among units of one model; different models may share nothing worth comparing. */
function groupByModel(passwords: InitialPassword[], devices: FleetDevice[]): Map<string, InitialPassword[]> {
  const groups = new Map<string, InitialPassword[]>();
  for (const p of passwords) {
    const { vendor, model } = profileOf(p.unit, devices).device;
    groups.set(`${vendor} ${model}`, [...(groups.get(`${vendor} ${model}`) ?? []), p]);
  }
  return groups;
}

function profileOf(unit: string, devices: FleetDevice[]): FleetDevice['profile'] {
  return devices.find((d) => d.unit === unit)!.profile;
}

function assess(passwords: InitialPassword[], devices: FleetDevice[]): FleetAssessment {
  const first = profileOf(passwords[0]!.unit, devices);
  return assessFleet(passwords, {
    model: first.device.model,
    strength: first.policy.defaultPassword,
    universalDefaults: loadUniversalDefaults().entries,
  });
}

function judge(assessments: (FleetAssessment & { model: string })[], notJudged: NotJudged[], withoutPassword: string[], where: string): { verdict: Verdict; reason: string } {
  const findings = assessments.flatMap((a) => a.findings);
  const unjudged = notJudged.map((n) => `unit ${n.unit} (${n.source}): ${n.reason}`).join('; ');
  if (findings.length > 0) return { verdict: 'FAIL', reason: `${findings.join('; ')}${unjudged ? `; not judged: ${unjudged}` : ''} (${where})` };
  if (notJudged.length > 0) {
    return { verdict: 'INCONCLUSIVE', reason: `a password counts only once its unit's completed run showed the device accepting it; not judged: ${unjudged} (${where})` };
  }
  if (withoutPassword.length > 0) {
    return { verdict: 'INCONCLUSIVE', reason: `unit(s) ${withoutPassword.join(', ')} declare no password for a login service, so their uniqueness cannot be compared; declare each unit's credentials (${where})` };
  }
  const compared = assessments.filter((a) => a.units >= 2);
  if (compared.length === 0) {
    return { verdict: 'NOT_APPLICABLE', reason: `uniqueness needs at least two units of one model with a declared initial password; this fleet has none (${where})` };
  }
  const described = compared.map((a) => `${a.units} units of ${a.model}`).join(', ');
  return { verdict: 'PASS', reason: `${described}: distinct initial passwords, each seen accepted by its device, none derived from MAC, serial number or model, none a universal default, all meeting the strength rule (${where})` };
}
