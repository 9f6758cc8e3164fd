import type { Verdict } from './verdict.js';

export interface RolledUpCheck {
  verdict: Verdict;
  mandatory: boolean;
}

export interface Rollup {
  verdict: Verdict;
  reason: string;
}

/**
 * Requirement verdict from its checks: any FAIL → FAIL; PASS only if every mandatory check is PASS or a
 * justified NOT_APPLICABLE (and at least one check passed); otherwise the weakest remaining state.
 */
export function rollUp(checks: RolledUpCheck[], context: { hasDeclarations: boolean; evaluation: string }): Rollup {
  if (checks.length === 0) {
    if (context.evaluation === 'device') {
      return { verdict: 'INCONCLUSIVE', reason: '★1 evaluates this on the device and jcstar has no automated check for it yet' };
    }
    return context.hasDeclarations
      ? { verdict: 'MANUAL', reason: 'no automated check yet; a person must review the vendor declaration' }
      : { verdict: 'INCONCLUSIVE', reason: 'no automated check yet and nothing declared in the profile' };
  }
  const count = (v: Verdict, list = checks) => list.filter((c) => c.verdict === v).length;
  if (count('FAIL') > 0) return { verdict: 'FAIL', reason: `${count('FAIL')} check(s) failed` };
  if (count('ERROR') > 0) return { verdict: 'ERROR', reason: `${count('ERROR')} check(s) hit a harness error` };
  const mandatory = checks.filter((c) => c.mandatory);
  const decisive = mandatory.length > 0 ? mandatory : checks;
  const open = decisive.filter((c) => c.verdict !== 'PASS' && c.verdict !== 'NOT_APPLICABLE');
  if (open.length === 0) {
    if (count('PASS', decisive) === 0) {
      return { verdict: 'INCONCLUSIVE', reason: 'every check was not applicable; nothing was shown to pass' };
    }
    return { verdict: 'PASS', reason: `${count('PASS', decisive)} mandatory check(s) passed` };
  }
  const passed = count('PASS', decisive) > 0 ? `${count('PASS', decisive)} passed; ` : '';
  if (open.some((c) => c.verdict === 'INCONCLUSIVE')) {
    return { verdict: 'INCONCLUSIVE', reason: `${passed}${count('INCONCLUSIVE', decisive)} mandatory check(s) inconclusive` };
  }
  return { verdict: 'MANUAL', reason: `${passed}${count('MANUAL', decisive)} check(s) need a person to review` };
}
