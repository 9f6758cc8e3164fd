import type { Basis, Verdict } from './verdict.js';

export interface RolledUpCheck {
  id: string;
  verdict: Verdict;
  reason: string;
  mandatory: boolean;
  basis: Basis;
}

export interface Rollup {
  verdict: Verdict;
  reason: string;
}

/** Checks named in a requirement's reason, so that a person sees the findings without opening each check. */
const NAMED = 3;
const REASON_CHARS = 160;

function named(checks: RolledUpCheck[]): string {
  const shown = checks.slice(0, NAMED).map((c) => `${c.id}: ${c.reason.length > REASON_CHARS ? `${c.reason.slice(0, REASON_CHARS - 1)}…` : c.reason}`);
  return `${shown.join(' | ')}${checks.length > NAMED ? ` | and ${checks.length - NAMED} more` : ''}`;
}

/**
 * Requirement verdict from its checks: any FAIL → FAIL; PASS only if every mandatory check is PASS or a
 * justified NOT_APPLICABLE (and at least one check passed); otherwise the weakest remaining state. A
 * requirement ★1 evaluates on documents whose device checks found nothing, with only declarations left
 * for a person, is MANUAL: that is the work left, not a doubt about the device.
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
  const withVerdict = (v: Verdict, list = checks) => list.filter((c) => c.verdict === v);
  const failed = withVerdict('FAIL');
  if (failed.length > 0) return { verdict: 'FAIL', reason: `${failed.length} check(s) failed: ${named(failed)}` };
  const errors = withVerdict('ERROR');
  if (errors.length > 0) return { verdict: 'ERROR', reason: `${errors.length} check(s) hit a harness error: ${named(errors)}` };
  const mandatory = checks.filter((c) => c.mandatory);
  const decisive = mandatory.length > 0 ? mandatory : checks;
  const passedCount = withVerdict('PASS', decisive).length;
  const open = decisive.filter((c) => c.verdict !== 'PASS' && c.verdict !== 'NOT_APPLICABLE');
  if (open.length === 0) {
    if (passedCount === 0) {
      return { verdict: 'INCONCLUSIVE', reason: `every check was not applicable; nothing was shown to pass: ${named(decisive)}` };
    }
    return { verdict: 'PASS', reason: `${passedCount} mandatory check(s) passed` };
  }
  const passed = passedCount > 0 ? `${passedCount} passed; ` : '';
  const inconclusive = withVerdict('INCONCLUSIVE', open);
  if (inconclusive.length > 0) {
    return { verdict: 'INCONCLUSIVE', reason: `${passed}${inconclusive.length} mandatory check(s) inconclusive: ${named(inconclusive)}` };
  }
  const toReview = withVerdict('MANUAL', open);
  const deviceChecks = decisive.filter((c) => c.basis === 'observed');
  if (context.evaluation === 'document' && toReview.every((c) => c.basis === 'declared')) {
    const device = deviceChecks.length > 0 ? `no finding on the device (${deviceChecks.length} check(s) passed or not applicable)` : 'nothing to test on the device';
    return { verdict: 'MANUAL', reason: `${device}; ${toReview.length} declaration(s) to review: ${toReview.map((c) => c.id).join(', ')}` };
  }
  return { verdict: 'MANUAL', reason: `${passed}${toReview.length} check(s) need a person to review: ${named(toReview)}` };
}
