import type { Service } from '../../profile/types.js';
import type { CheckContext } from '../../suite/context.js';
import { inconclusive, type CheckOutcome } from '../../verdicts/outcome.js';
import { discoverEngine, evidenceOf, randomCommunity, sendCommunity, tryCommunity, tryUsmUser, unknownUser, type CommunityTrial, type UsmTrial } from '../snmp-trials.js';
import { judgeAccess, subjectOf, type Trial } from './judge.js';

/**
 * The community an SNMP manager sends when it is given none (nmap's snmp library, net-snmp's examples,
 * and jcstar's own S1.1-12 check): an agent that answers it serves anyone who asks, as if without credentials.
 */
const ANONYMOUS_COMMUNITY = 'public';

function communityTrials(trial: CommunityTrial, what: string, alive: string | null): Trial[] {
  return trial.replies.map(({ reply, seq }) => ({
    resource: `sysDescr.0 over SNMP${reply.version} with ${what}`,
    reach: reply.outcome === 'answered' ? 'reached' : alive ? 'refused' : 'unanswered',
    protected: true,
    answer: reply.outcome === 'answered' ? reply.detail : alive ? `no answer, while ${alive}` : 'no answer',
    seq,
  }));
}

function unknownUserTrial({ reply, seq }: UsmTrial): Trial {
  const answer = reply.outcome === 'report' ? reply.detail : reply.outcome === 'answered' ? `${reply.detail} to an unknown user at noAuthNoPriv` : reply.detail;
  const reach = reply.outcome === 'answered' ? 'reached' : reply.counter === 'unknownUserNames' ? 'refused' : reply.outcome === 'no-answer' ? 'unanswered' : 'other';
  return { resource: `sysDescr.0 over SNMPv3 as an unknown user (noAuthNoPriv)`, reach, protected: true, answer, seq };
}

/**
 * S1.1-01 on an SNMP agent: a random community and "public" over v1 and v2c, then SNMPv3 engine discovery
 * and a GetRequest as an unknown user. Over UDP a refusal is silence, which counts only once the agent is
 * shown alive (a discovery Report, or the declared community answered); USM refuses an unknown user with
 * a usmStatsUnknownUserNames Report.
 */
export async function checkSnmpAccess(ctx: CheckContext, service: Service): Promise<CheckOutcome> {
  // Both communities are sent before either is waited for: silence costs the whole reply timeout.
  const random = await sendCommunity(ctx, service, randomCommunity(), 'random community');
  const anonymous = await sendCommunity(ctx, service, ANONYMOUS_COMMUNITY, 'the community managers send by default');
  const [randomTrial, anonymousTrial] = await Promise.all([random.settled, anonymous.settled]);
  const discovery = await discoverEngine(ctx, service);
  const unknown = discovery.engine && !ctx.signal.aborted ? await tryUsmUser(ctx, service, discovery.engine, unknownUser(), 'unknown user') : null;

  let alive = discovery.engine ? `the agent answered SNMPv3 engine discovery (evidence #${discovery.seq})` : null;
  const credential = service.credential ? ctx.profile.credentials[service.credential] : undefined;
  if (!alive && service.auth === 'community' && credential?.password && !ctx.signal.aborted) {
    const declared = await tryCommunity(ctx, service, credential.password, 'declared community');
    if (declared.answered.length) alive = `the declared community was answered (evidence ${evidenceOf(declared)})`;
  }
  const unknownTrial = unknown && unknownUserTrial(unknown);
  const trials = [
    ...communityTrials(randomTrial, 'a random community', alive),
    ...communityTrials(anonymousTrial, `the community "${ANONYMOUS_COMMUNITY}"`, alive),
    ...(unknownTrial ? [unknownTrial] : []),
  ];
  const subject = subjectOf(service);
  if (trials.some((t) => t.reach === 'reached')) return judgeAccess(ctx, subject, trials);
  if (!alive) {
    return inconclusive(
      `${service.name}: no answer to a random community or "${ANONYMOUS_COMMUNITY}" (evidence ${evidenceOf(randomTrial)}, ${evidenceOf(anonymousTrial)}), ` +
        `and nothing showed the agent alive: SNMPv3 engine discovery ${discovery.reply.detail} (evidence #${discovery.seq})` +
        `${service.auth === 'community' ? (credential?.password ? ', nor was the declared community answered' : '; declare the community under services[].credential so that it can show the agent alive') : ''}. ` +
        'Over UDP, silence is a refusal only from an agent that is shown to answer',
    );
  }
  if (unknownTrial && unknownTrial.reach !== 'refused') {
    return inconclusive(`${service.name}: SNMPv3 answered a GetRequest as an unknown user with ${unknownTrial.answer} (evidence #${unknownTrial.seq}), not with the usmStatsUnknownUserNames Report that shows USM refused it`);
  }
  return judgeAccess(ctx, subject, trials);
}
