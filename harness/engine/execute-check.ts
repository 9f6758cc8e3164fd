import { setMaxListeners } from 'node:events';
import { inconclusive, type CheckOutcome } from '../verdicts/outcome.js';
import { VERDICTS } from '../verdicts/verdict.js';
import type { CheckContext } from '../suite/context.js';
import type { PlannedCheck } from '../suite/define.js';
import { describeError, withStraySink } from './stray-errors.js';

/**
 * Runs one check inside its time budget and enforces the verdict rules: a PASS needs evidence, every
 * other verdict needs a reason, and a check that throws is a harness ERROR, not a device finding.
 */
export async function executeCheck(check: PlannedCheck, ctx: Omit<CheckContext, 'signal'>, budgetMs: number, runSignal: AbortSignal): Promise<CheckOutcome> {
  const controller = new AbortController();
  // Concurrent probes (a port scan) each listen on the same signal.
  setMaxListeners(1000, controller.signal);
  const onRunAbort = () => controller.abort(new Error('run interrupted'));
  runSignal.addEventListener('abort', onRunAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const budget = new Promise<CheckOutcome>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(new Error('budget exhausted'));
      resolve(inconclusive(`the check did not finish within its budget of ${budgetMs} ms`));
    }, budgetMs);
  });
  const interrupted = new Promise<CheckOutcome>((resolve) => {
    controller.signal.addEventListener('abort', () => {
      if (runSignal.aborted) resolve(inconclusive('the run was interrupted while this check was running'));
    });
  });
  // An error the check's probes left unhandled ends it as a harness ERROR, as a throw would.
  let endOnStray: (error: unknown) => void = () => {};
  const stray = new Promise<CheckOutcome>((resolve) => {
    endOnStray = (error) => resolve({ verdict: 'ERROR', reason: `harness error: an error no probe handled: ${describeError(error)}` });
  });
  try {
    const body = withStraySink(endOnStray, () => check.body({ ...ctx, signal: controller.signal }));
    const outcome = await Promise.race([body, budget, interrupted, stray]);
    return validate(outcome, ctx.evidence.count);
  } catch (err) {
    if (runSignal.aborted) return inconclusive('the run was interrupted while this check was running');
    return { verdict: 'ERROR', reason: `harness error: ${describeError(err)}` };
  } finally {
    clearTimeout(timer);
    runSignal.removeEventListener('abort', onRunAbort);
    if (!controller.signal.aborted) controller.abort(new Error('check finished'));
  }
}

function validate(outcome: CheckOutcome, evidenceCount: number): CheckOutcome {
  if (!outcome || !VERDICTS.includes(outcome.verdict)) {
    return { verdict: 'ERROR', reason: `harness error: the check returned no valid verdict (${JSON.stringify(outcome)})` };
  }
  if (!outcome.reason?.trim()) {
    return { verdict: 'ERROR', reason: `harness error: the check returned ${outcome.verdict} without a reason` };
  }
  if (outcome.verdict === 'PASS' && evidenceCount === 0) {
    return { verdict: 'ERROR', reason: `harness error: the check claimed PASS without recording any evidence (${outcome.reason})` };
  }
  return outcome;
}
