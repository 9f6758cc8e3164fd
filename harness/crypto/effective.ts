import type { Finding } from '../profile/finding.js';
import { didYouMean } from '../profile/suggest.js';
import { loadBaseCryptoRules, type BaseCryptoRules } from './load.js';
import { RULES, type CryptoProfile, type CryptoRestrict, type RuleId, type RuleSections, type SeverityList } from './schema.js';

type RuleValue = SeverityList | string[] | number | string;
/** What a profile gives: judged lists are restricted to a list of names to keep. */
type ChangeValue = string[] | number | string;

export type CryptoRuleChange =
  | { kind: 'restrict'; rule: RuleId; value: ChangeValue }
  | { kind: 'permit'; rule: RuleId; value: string | number; justification: string };

/** The rules that judge a run: the base rule set with the profile's changes, and a record of both. */
export interface EffectiveCryptoRules extends RuleSections {
  /** The base version, with "+profile" when the profile changed anything. */
  version: string;
  base: { id: string; version: string; sha256: string };
  changes: CryptoRuleChange[];
}

const NO_CHANGES: CryptoProfile = { restrict: {}, permit: [] };
const USE_PERMIT = 'add a crypto.permit entry with a justification';
/** The reason quoted for an item a profile's restriction removed. */
const RESTRICTED = "removed by the profile's crypto.restrict";

/**
 * Applies a profile's restrictions, then its permits, to the base rules. Problems come back with paths
 * inside the profile's `crypto` section; the rules are complete only when there are none.
 */
export function effectiveCryptoRules(profile: CryptoProfile = NO_CHANGES, base: BaseCryptoRules = loadBaseCryptoRules()): { rules: EffectiveCryptoRules; problems: Finding[] } {
  const { tls, certificate, dtls, ssh, id, version } = base.rules;
  const sections: RuleSections = structuredClone({ tls, certificate, dtls, ssh });
  const changes: CryptoRuleChange[] = [];
  const problems: Finding[] = [];
  const table = sections as unknown as Record<string, Record<string, RuleValue>>;
  const baseValue = (rule: RuleId) => {
    const [section, key] = rule.split('.') as [string, string];
    return (base.rules as unknown as Record<string, Record<string, RuleValue>>)[section]![key]!;
  };

  for (const [section, values] of Object.entries(profile.restrict) as Array<[keyof CryptoRestrict, Record<string, ChangeValue>]>) {
    for (const [key, value] of Object.entries(values)) {
      const rule = `${section}.${key}` as RuleId;
      const path = ['restrict', section, key];
      const found = tighteningProblems(rule, baseValue(rule), value, version).map(({ index, message }) => ({ path: index === undefined ? path : [...path, index], message }));
      problems.push(...found);
      if (found.length > 0 || sameRule(value, baseValue(rule))) continue;
      table[section]![key] = RULES[rule].kind === 'judged' ? keepOnly(baseValue(rule) as SeverityList, value as string[]) : value;
      changes.push({ kind: 'restrict', rule, value });
    }
  }

  for (const [i, permit] of profile.permit.entries()) {
    const [section, key] = permit.rule.split('.') as [string, string];
    const message = looseningProblem(permit.rule, baseValue(permit.rule), permit.value, version);
    if (message) {
      problems.push({ path: ['permit', i, 'value'], message });
      continue;
    }
    const current = table[section]![key]!;
    const spec = RULES[permit.rule];
    if (spec.kind === 'judged') table[section]![key] = allowOne(current as SeverityList, permit.value as string);
    else if (spec.kind === 'allow') table[section]![key] = [...new Set([...(current as string[]), permit.value as string])];
    else if (spec.kind === 'deny') table[section]![key] = (current as string[]).filter((item) => item !== permit.value);
    else table[section]![key] = permit.value;
    changes.push({ kind: 'permit', rule: permit.rule, value: permit.value, justification: permit.justification });
  }

  return {
    rules: { ...sections, version: changes.length > 0 ? `${version}+profile` : version, base: { id, version, sha256: base.sha256 }, changes },
    problems,
  };
}

/** What a check records in its evidence so a verdict names exactly the rules that judged it. */
export function cryptoRulesRef(rules: EffectiveCryptoRules): Pick<EffectiveCryptoRules, 'version' | 'base' | 'changes'> {
  return { version: rules.version, base: rules.base, changes: rules.changes };
}

/** One line for a run's evidence: "restrict tls.versions to TLSv1.3; permit tls.cipherSuites X ("why")". */
export function describeCryptoChanges(rules: EffectiveCryptoRules): string {
  return rules.changes
    .map((c) => (c.kind === 'restrict' ? `restrict ${c.rule} to ${[c.value].flat().join(', ')}` : `permit ${c.rule} ${c.value} ("${c.justification}")`))
    .join('; ');
}

/** Every item a judged list accepts, with or without a warning. */
function acceptable(list: SeverityList): string[] {
  return [...list.allow, ...list.warn.flatMap((g) => g.items)];
}

/** A restriction: the named items keep their severity; every other acceptable item fails, saying so. */
function keepOnly(list: SeverityList, keep: string[]): SeverityList {
  const removed = acceptable(list).filter((item) => !keep.includes(item));
  return {
    allow: list.allow.filter((item) => keep.includes(item)),
    warn: list.warn.map((g) => ({ ...g, items: g.items.filter((item) => keep.includes(item)) })).filter((g) => g.items.length > 0),
    fail: removed.length > 0 ? [{ why: RESTRICTED, items: removed }, ...list.fail] : list.fail,
  };
}

/** A permit: the item is allowed, without a warning, wherever it was listed before. */
function allowOne(list: SeverityList, item: string): SeverityList {
  const without = (groups: SeverityList['warn']) => groups.map((g) => ({ ...g, items: g.items.filter((i) => i !== item) })).filter((g) => g.items.length > 0);
  return { allow: [...list.allow, item], warn: without(list.warn), fail: without(list.fail) };
}

/** Lists are sets here: reordering or repeating the base list changes nothing. */
function sameRule(value: ChangeValue, base: RuleValue): boolean {
  const b = typeof base === 'object' && !Array.isArray(base) ? acceptable(base) : base;
  const a = value;
  if (!Array.isArray(a) || !Array.isArray(b)) return a === b;
  const left = new Set(a);
  return left.size === new Set(b).size && b.every((item) => left.has(item));
}

function tighteningProblems(rule: RuleId, base: RuleValue, value: ChangeValue, version: string): Array<{ index?: number; message: string }> {
  const spec = RULES[rule];
  if (spec.kind === 'allow' || spec.kind === 'judged') {
    const accepted = spec.kind === 'judged' ? acceptable(base as SeverityList) : (base as string[]);
    return (value as string[]).flatMap((item, index) => {
      if (accepted.includes(item)) return [];
      const known = !('known' in spec) || (spec.known as readonly string[]).includes(item);
      const message = known
        ? `${item} is not allowed by the base rule ${rule} (${version}), and restrict can only narrow it; to allow it, ${USE_PERMIT}`
        : `unknown ${rule} value "${item}"${didYouMean(item, accepted)}`;
      return [{ index, message }];
    });
  }
  if (spec.kind === 'deny') {
    const dropped = (base as string[]).filter((item) => !(value as string[]).includes(item));
    return dropped.length === 0 ? [] : [{ message: `restrict cannot drop ${dropped.join(', ')} from ${rule} (${version}); to stop forbidding it, ${USE_PERMIT}` }];
  }
  if (spec.kind === 'minimum') {
    return (value as number) >= (base as number) ? [] : [{ message: `${value} is below the base minimum of ${base} (${rule}, ${version}), and restrict can only raise it; to lower it, ${USE_PERMIT}` }];
  }
  const levels = spec.levels as readonly string[];
  return levels.indexOf(value as string) <= levels.indexOf(base as string)
    ? []
    : [{ message: `${value} is looser than the base rule's ${base} (${rule}, ${version}), and restrict can only tighten it; to loosen it, ${USE_PERMIT}` }];
}

function looseningProblem(rule: RuleId, base: RuleValue, value: string | number, version: string): string | undefined {
  const spec = RULES[rule];
  const tighten = `a permit only loosens; use crypto.restrict to tighten`;
  if (spec.kind === 'minimum') {
    if (typeof value !== 'number') return `expected a number of bits for ${rule}, found "${value}"`;
    return value < (base as number) ? undefined : `${value} is not below the base minimum of ${base} (${rule}, ${version}); ${tighten}`;
  }
  if (typeof value !== 'string') return `expected a name for ${rule}, found ${value}`;
  if (spec.kind === 'judged') {
    if ((base as SeverityList).allow.includes(value)) return `${value} is already allowed by ${rule} (${version}); permit only what the rules warn about or forbid`;
    if ('known' in spec && !(spec.known as readonly string[]).includes(value)) return `unknown ${rule} value "${value}"${didYouMean(value, spec.known as readonly string[])}`;
    return undefined;
  }
  if (spec.kind === 'allow') {
    if ((base as string[]).includes(value)) return `${value} is already allowed by ${rule} (${version}); permit only what the rules forbid`;
    if ('known' in spec && !(spec.known as readonly string[]).includes(value)) return `unknown ${rule} value "${value}"${didYouMean(value, spec.known as readonly string[])}`;
    return undefined;
  }
  if (spec.kind === 'deny') {
    return (base as string[]).includes(value) ? undefined : `${value} is not forbidden by ${rule} (${version}); nothing to permit`;
  }
  const levels = spec.levels as readonly string[];
  if (!levels.includes(value)) return `expected one of ${levels.join(', ')} for ${rule}, found "${value}"${didYouMean(value, levels)}`;
  return levels.indexOf(value) > levels.indexOf(base as string) ? undefined : `${value} is not looser than the base rule's ${base} (${rule}, ${version}); ${tighten}`;
}
