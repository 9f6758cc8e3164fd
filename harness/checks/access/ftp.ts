import { ANONYMOUS, probeFtpAnonymous, type FtpAnonymousObservation } from '../../probes/ftp/anonymous.js';
import type { Service } from '../../profile/types.js';
import type { CheckContext } from '../../suite/context.js';
import type { CheckOutcome } from '../../verdicts/outcome.js';
import { judgeAccess, subjectOf, type Reach } from './judge.js';

/** The resource an anonymous login opens, as a `public` entry names it: the root of the file tree. */
const ROOT = '/';

function classify(o: FtpAnonymousObservation): { reach: Reach; answer: string } {
  const login = `${ANONYMOUS.username}/${ANONYMOUS.password} → "${o.detail}"`;
  if (o.login === 'error') return { reach: 'unanswered', answer: o.detail };
  if (o.login === 'refused') return { reach: 'refused', answer: login };
  if (o.login === 'other') return { reach: 'other', answer: login };
  if (o.listing) return { reach: 'reached', answer: `${login}, and LIST returned ${o.listing.length} entr${o.listing.length === 1 ? 'y' : 'ies'}` };
  return { reach: 'other', answer: `${login}, but no listing came back (${o.listingFailure})` };
}

/**
 * S1.1-01 on an FTP or FTPS service: the anonymous login (RFC 1635), and the root listing it opens. A
 * listing is the proof of access; an accepted login that lists nothing is left for a person to judge.
 */
export async function checkFtpAccess(ctx: CheckContext, service: Service): Promise<CheckOutcome> {
  await ctx.net.authAttempt(ctx.signal);
  const observed = await probeFtpAnonymous(ctx.net, {
    host: ctx.profile.target.address,
    port: service.port,
    tls: service.protocol === 'ftps',
    signal: ctx.signal,
    timeoutMs: ctx.policy.budgets.replyTimeoutMs,
  });
  const { reach, answer } = classify(observed);
  const evidence = ctx.evidence.record({
    kind: 'exchange',
    summary: `FTP login as ${ANONYMOUS.username} without credentials → ${answer}`,
    target: ctx.target,
    sent: observed.sent,
    received: observed.received,
    data: { resource: ROOT, reach, login: observed.login, listing: observed.listing, listingFailure: observed.listingFailure, failure: observed.failure },
    artifacts: observed.rawListing.length ? [{ name: 'anonymous-listing.txt', bytes: observed.rawListing, mediaType: 'text/plain' }] : [],
  });
  return judgeAccess(ctx, subjectOf(service), [{ resource: ROOT, reach, protected: false, answer, seq: evidence.seq }]);
}
