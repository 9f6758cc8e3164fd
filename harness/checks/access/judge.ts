import type { ServiceSpec } from '../../profile/schema.js';
import type { Service } from '../../profile/types.js';
import type { CheckContext } from '../../suite/context.js';
import { fail, inconclusive, notApplicable, pass, type CheckOutcome } from '../../verdicts/outcome.js';

/**
 * How one resource answered a request without credentials:
 * reached: the asset or function itself came back; refused: 401/403, a login prompt, CONNACK 5…;
 * absent: nothing there; unanswered: no answer at all; other: an answer that shows neither.
 */
export type Reach = 'reached' | 'refused' | 'absent' | 'unanswered' | 'other';

export interface Trial {
  /** As the profile's `public` entries name it: an HTTP/RTSP/CoAP path, an MQTT topic filter, "shell". */
  resource: string;
  reach: Reach;
  /**
   * Declared as needing authentication (an HTTP service's `paths`) or never public by nature (a shell,
   * an SSH session): no `public` entry covers it.
   */
  protected: boolean;
  /** What the device answered, in a few words: "HTTP 200 OK", "SUBACK granted QoS 0". */
  answer: string;
  /** Evidence record that shows the exchange. */
  seq: number;
}

export interface AccessSubject {
  name: string;
  /** The vendor declares the service unauthenticated (auth: none). */
  declaredUnauthenticated: boolean;
  public: NonNullable<ServiceSpec['public']>;
}

const LISTED = 5;

function list(trials: Trial[]): string {
  const shown = trials.slice(0, LISTED).map((t) => `${t.resource} (${t.answer}; evidence #${t.seq})`);
  return trials.length > LISTED ? `${shown.join(', ')} and ${trials.length - LISTED} more` : shown.join(', ');
}

/**
 * The verdict on what a service gave out without credentials. A resource reached without
 * authentication is covered only by a `public` entry that names it exactly; its justification goes into
 * the evidence. On a service declared `auth: none`, an uncovered resource is INCONCLUSIVE rather than
 * FAIL: the vendor says it is open on purpose, and only a person can tell whether what it shows is a
 * protected asset; a declared-protected resource, or one on a service that claims authentication, FAILs.
 * PASS needs a refusal seen, not just silence.
 */
export function judgeAccess(ctx: CheckContext, subject: AccessSubject, trials: Trial[], hint = ''): CheckOutcome {
  const covered: Array<{ trial: Trial; justification: string }> = [];
  const findings: Trial[] = [];
  for (const trial of trials.filter((t) => t.reach === 'reached')) {
    const entry = trial.protected ? undefined : subject.public.find((p) => p.resource === trial.resource);
    if (entry) covered.push({ trial, justification: entry.justification });
    else findings.push(trial);
  }
  for (const { trial, justification } of covered) {
    ctx.evidence.record({
      kind: 'note',
      summary: `${trial.resource} answered without credentials and is declared public: "${justification}"`,
      target: ctx.target,
      data: { resource: trial.resource, justification, evidence: trial.seq },
    });
  }
  const failing = findings.filter((t) => t.protected || !subject.declaredUnauthenticated);
  const unjustified = findings.filter((t) => !failing.includes(t));
  const unanswered = trials.filter((t) => t.reach === 'unanswered');
  const refused = trials.filter((t) => t.reach === 'refused');
  const coveredList = covered.map((c) => `${c.trial.resource} ("${c.justification}")`).join(', ');

  if (failing.length) {
    return fail(`${subject.name}: ${list(failing)} reachable without authentication${unjustified.length ? `; also unjustified on a service declared auth: none: ${list(unjustified)}` : ''}`);
  }
  if (unjustified.length) {
    return inconclusive(
      `${subject.name} is declared unauthenticated (auth: none) and gave out ${list(unjustified)} without credentials, but the profile does not declare ${unjustified.length > 1 ? 'these' : 'this'} public: ` +
        'whether it is a protected asset needs a person; declare each under services[].public with a justification, or protect it',
    );
  }
  if (unanswered.length) {
    return unanswered.length === trials.length
      ? inconclusive(`${subject.name} did not answer: ${list(unanswered)}`)
      : inconclusive(`${subject.name}: ${list(unanswered)} did not answer, so access without credentials is untested there`);
  }
  if (covered.length && subject.declaredUnauthenticated) {
    return notApplicable(`${subject.name} is declared unauthenticated (auth: none) and everything it gave out without credentials is declared public: ${coveredList}`);
  }
  if (!refused.length && !covered.length) {
    const seen = trials.length ? ` (${list(trials)})` : '';
    return inconclusive(`${subject.name}: nothing refused access without credentials${seen}, so no protected resource was found to test${hint ? `; ${hint}` : ''}`);
  }
  if (!refused.length) return pass(`${subject.name}: everything it gave out without credentials is declared public: ${coveredList}`);
  return pass(`${subject.name} refused ${list(refused)} without credentials${covered.length ? `; public by declaration: ${coveredList}` : ''}`);
}

export function subjectOf(service: Pick<Service, 'name' | 'auth' | 'public' | 'discovered'>): AccessSubject {
  // An undeclared service declares nothing: what it gives out without credentials is never on purpose.
  return { name: service.name, declaredUnauthenticated: service.auth === 'none' && !service.discovered, public: service.public ?? [] };
}
