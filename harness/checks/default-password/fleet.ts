import type { CredentialFamily, DefaultCredential } from '../../credentials/universal-defaults.js';
import type { Policy } from '../../policy/schema.js';
import { loginProbeFor, PASSWORD_MECHANISMS } from '../../probes/login.js';
import type { DeviceProfile } from '../../profile/types.js';
import type { Secret } from '../../secrets/secret.js';
import { derivationsFound, macDerivations, modelDerivations, serialDerivations } from './derivations.js';
import { sameCounterPattern, strengthProblems } from './strength.js';

/** One unit's initial password, and where the profile gave it. */
export interface InitialPassword {
  unit: string;
  mac?: string;
  /** "credential admin" for the unit under test, "fleet[2]" for the others. */
  source: string;
  password: Secret;
  /** The profile's credential it is, for the unit's own (not for fleet[]). */
  credential?: string;
  /** The login it opens, when the profile says: its user and protocol families. */
  login?: { username: string; families: CredentialFamily[] };
}

export interface FleetRules {
  model: string;
  strength: Policy['defaultPassword'];
  universalDefaults: DefaultCredential[];
}

export interface RuleResult {
  rule: 'distinct' | 'no-counter-pattern' | 'not-derived' | 'strength' | 'not-universal-default';
  passed: boolean;
  detail: string;
}

/** The rules one password met or broke; it names units and rules, never a password. */
export interface PasswordAssessment {
  unit: string;
  source: string;
  rules: RuleResult[];
}

export interface FleetAssessment {
  units: number;
  assessments: PasswordAssessment[];
  /** One sentence per broken rule; empty when every password is clean. */
  findings: string[];
}

/**
 * The unit under test's initial password is the declared credential of its login services (one per
 * distinct credential); fleet[] adds the other units. A unit listed in both is one unit.
 */
export function initialPasswords(profile: DeviceProfile): InitialPassword[] {
  const fleet = profile.fleet.map((u, i) => ({ unit: u.unit, ...(u.mac ? { mac: u.mac } : {}), source: `fleet[${i}]`, password: u.initialPassword }));
  return [...ownInitialPasswords(profile), ...fleet];
}

/** The unit's own declared login passwords, without fleet[]: what `jcstar fleet` compares across the units it runs. */
export function ownInitialPasswords(profile: DeviceProfile): InitialPassword[] {
  const { device } = profile;
  const logins = profile.services.filter((s) => PASSWORD_MECHANISMS.has(s.auth) && s.credential);
  const names = new Set(logins.map((s) => s.credential!));
  return [...names].flatMap((name) => {
    const { password, username } = profile.credentials[name] ?? {};
    if (!password) return [];
    const families = [...new Set(logins.filter((s) => s.credential === name).flatMap((s) => {
      const probe = loginProbeFor(s);
      return 'family' in probe ? [probe.family] : [];
    }))];
    const login = username !== undefined ? { login: { username, families } } : {};
    return [{ unit: device.unit, ...(device.mac ? { mac: device.mac } : {}), source: `credential ${name}`, credential: name, password, ...login }];
  });
}

/** TS 103 701 5.1-2: unique per unit, no regularities, nothing derived from public information, appropriate complexity. */
export function assessFleet(passwords: InitialPassword[], rules: FleetRules): FleetAssessment {
  const entries = sameUnitOnce(passwords);
  const findings = pairFindings(entries);
  const assessments = entries.map((entry) => {
    const value = entry.password.reveal();
    const others = entries.filter((o) => o.unit !== entry.unit);
    const twins = others.filter((o) => o.password.reveal() === value);
    const counted = others.filter((o) => sameCounterPattern(o.password.reveal(), value));
    const derived = derivationsFound(value, [
      ...(entry.mac ? macDerivations(entry.mac) : []),
      ...serialDerivations(entry.unit),
      ...modelDerivations(rules.model),
    ]);
    const weak = strengthProblems(value, rules.strength);
    const universal = universalDefaultOf(entry, rules.universalDefaults);
    const own: RuleResult[] = [
      rule('not-derived', derived.length === 0, `contains ${derived.join(', ')}`, `nothing derived from the ${entry.mac ? 'MAC, ' : ''}serial number or model`),
      rule('strength', weak.length === 0, weak.join(' and '), `at least ${rules.strength.minLength} characters and ${rules.strength.minCharacterClasses} character classes`),
      rule('not-universal-default', universal === null, universal ?? '', 'not on the universal-defaults list'),
    ];
    for (const broken of own.filter((r) => !r.passed)) findings.push(`unit ${label(entry)}: the password ${broken.detail}`);
    const results: RuleResult[] = [
      rule('distinct', twins.length === 0, `same password as ${twins.map(label).join(', ')}`, 'differs from every other unit'),
      rule('no-counter-pattern', counted.length === 0, `differs from ${counted.map(label).join(', ')} only in its digits`, 'no counter pattern shared with another unit'),
      ...own,
    ];
    return { unit: entry.unit, source: entry.source, rules: results };
  });
  return { units: new Set(entries.map((e) => e.unit)).size, assessments, findings };
}

/**
 * How the password is on the universal-defaults list, or null. The list holds logins (protocol, user, password),
 * so the entry named is this login's own when there is one; a password listed only for another user or protocol
 * is still one that default-credential attacks try, and is said to be just that.
 */
function universalDefaultOf(entry: InitialPassword, defaults: DefaultCredential[]): string | null {
  const value = entry.password.reveal();
  const listed = defaults.filter((d) => d.password.reveal() === value);
  if (listed.length === 0) return null;
  const { login } = entry;
  if (!login) return `is the universal default of entry ${listed[0]!.id}`;
  const own = listed.find((d) => login.families.includes(d.family) && d.username === login.username);
  if (own) return `is the universal default of entry ${own.id}`;
  const sameProtocol = listed.find((d) => login.families.includes(d.family));
  return `is a published default password (entry ${(sameProtocol ?? listed[0]!).id}, listed for another ${sameProtocol ? 'user' : 'protocol'})`;
}

/** Each pair of units once: a shared password, or two passwords that differ only in their digits (a counter). */
function pairFindings(entries: InitialPassword[]): string[] {
  const findings: string[] = [];
  entries.forEach((a, i) => {
    for (const b of entries.slice(i + 1).filter((o) => o.unit !== a.unit)) {
      const [x, y] = [a.password.reveal(), b.password.reveal()];
      if (x === y) findings.push(`units ${label(a)} and ${label(b)} share the same initial password`);
      else if (sameCounterPattern(x, y)) findings.push(`units ${label(a)} and ${label(b)} have passwords that differ only in their digits (a counter)`);
    }
  });
  return findings;
}

function rule(name: RuleResult['rule'], passed: boolean, broken: string, kept: string): RuleResult {
  return { rule: name, passed, detail: passed ? kept : broken };
}

function label(entry: InitialPassword): string {
  return `${entry.unit} (${entry.source})`;
}

/** The same password given twice for one unit (web and ssh share it) is one password. */
function sameUnitOnce(passwords: InitialPassword[]): InitialPassword[] {
  return passwords.filter((p, i) => passwords.findIndex((q) => q.unit === p.unit && q.password.reveal() === p.password.reveal()) === i);
}
