import { defaultsFor, loadUniversalDefaults, type DefaultCredential } from '../../credentials/universal-defaults.js';
import type { Service } from '../../profile/types.js';
import type { CheckContext } from '../../suite/context.js';
import { fail, inconclusive, pass, type CheckOutcome } from '../../verdicts/outcome.js';
import { discoverEngine, evidenceOf, type Discovery, randomCommunity, sendCommunity, tryCommunity, tryUsmUser, type CommunityTrial } from '../snmp-trials.js';

const versionsOf = (trial: CommunityTrial) => trial.answered.map((v) => `SNMP${v}`).join(' and ');

/** Why the agent is known to be alive (null: nothing shows it), or the outcome that ends the check. */
type Liveness = { alive: string | null } | { outcome: CheckOutcome };

/** The declared community or USM user must be answered (positive control); without one, a discovery Report shows the agent alive. */
async function positiveControl(ctx: CheckContext, service: Service, discovery: Discovery): Promise<Liveness> {
  const name = service.credential;
  const credential = name ? ctx.profile.credentials[name] : undefined;
  if (service.auth === 'usm' && credential?.snmpv3) {
    if (!discovery.engine) {
      return { outcome: inconclusive(`${service.name} is declared with SNMPv3 user "${credential.snmpv3.user}", yet SNMPv3 engine discovery ${discovery.reply.detail} (evidence #${discovery.seq}); without an engine no USM request can be sent`) };
    }
    const { reply, seq } = await tryUsmUser(ctx, service, discovery.engine, credential.snmpv3, 'positive control');
    if (reply.outcome !== 'answered') {
      return { outcome: inconclusive(`the declared SNMPv3 user "${credential.snmpv3.user}" (credential "${name}") was not answered on ${service.name}: ${reply.detail} (evidence #${seq}); check the profile, since an agent that refuses everyone cannot be told apart from a secure one`) };
    }
    return { alive: `the declared SNMPv3 user "${credential.snmpv3.user}" was answered (evidence #${seq})` };
  }
  if (service.auth === 'community' && credential?.password) {
    const declared = await tryCommunity(ctx, service, credential.password, 'positive control');
    if (!declared.answered.length) {
      return { outcome: inconclusive(`the declared community (credential "${name}") got no answer on ${service.name} (evidence ${evidenceOf(declared)}); check the profile, since an agent that refuses everyone cannot be told apart from a secure one`) };
    }
    return { alive: `the declared community was answered over ${versionsOf(declared)} (evidence ${evidenceOf(declared)})` };
  }
  return { alive: discovery.engine ? `the agent answered SNMPv3 engine discovery (evidence #${discovery.seq})` : null };
}

/**
 * S1.1-02 on an SNMP agent: a random community must go unanswered (negative control), the declared
 * community or USM user must be answered (positive control, when the profile gives one), and then none of
 * the universal communities may be answered, over v1 or v2c. Silence counts as refusal only from an agent
 * shown alive. The communities are sent within the authentication rate limit without waiting for each
 * one's silence, up to defaultCredentials.maxAttemptsPerService, and sending stops at the first answer.
 */
export async function checkSnmpDefaultCredentials(ctx: CheckContext, service: Service): Promise<CheckOutcome> {
  const negative = await tryCommunity(ctx, service, randomCommunity(), 'negative control');
  if (negative.answered.length) {
    return inconclusive(`${service.name} answered a random community over ${versionsOf(negative)} (evidence ${evidenceOf(negative)}): it does not enforce authentication, so defaults prove nothing here (an S1.1-01 finding)`);
  }
  const discovery = await discoverEngine(ctx, service);
  const liveness = await positiveControl(ctx, service, discovery);
  if ('outcome' in liveness) return liveness.outcome;
  const { alive } = liveness;

  const list = loadUniversalDefaults();
  const candidates = defaultsFor(list, 'snmp', ctx.policy.defaultCredentials.maxAttemptsPerService);
  const trials: Array<{ entry: DefaultCredential; settled: Promise<CommunityTrial> }> = [];
  let answered = false;
  for (const entry of candidates) {
    if (answered || ctx.signal.aborted) break;
    const { settled } = await sendCommunity(ctx, service, entry.password.reveal(), `default ${entry.id}`);
    void settled.then((t) => (answered ||= t.answered.length > 0));
    trials.push({ entry, settled });
  }
  const settled = await Promise.all(trials.map(async (t) => ({ entry: t.entry, trial: await t.settled })));
  const accepted = settled.find((s) => s.trial.answered.length);
  if (accepted) {
    const { entry, trial } = accepted;
    return fail(`${service.name} answered the universal default community ${trial.shown} (entry ${entry.id}; source: ${entry.source}) over ${versionsOf(trial)}; see evidence ${evidenceOf(trial)}`);
  }
  if (ctx.signal.aborted || settled.length < candidates.length) {
    return inconclusive(`${service.name}: only ${settled.length} of ${candidates.length} universal communities were tried before the check was stopped`);
  }
  // An answer to a default would have shown the agent alive; their silence cannot.
  if (alive === null) {
    return inconclusive(
      `${service.name}: neither a random community nor any of ${candidates.length} universal communities got an answer (negative control evidence ${evidenceOf(negative)}), ` +
        `and nothing showed the agent alive: SNMPv3 engine discovery ${discovery.reply.detail} (evidence #${discovery.seq}) and no credential is declared; over UDP, silence is a refusal only from an agent that answers`,
    );
  }
  // The agent must still answer after the defaults: silence bought by blocking the client is no refusal.
  const after = await positiveControl(ctx, service, await discoverEngine(ctx, service));
  if ('outcome' in after || after.alive === null) {
    const why = 'outcome' in after ? after.outcome.reason : 'SNMPv3 engine discovery went unanswered';
    return inconclusive(`${service.name} no longer answered after the ${candidates.length} universal communities as it had before (${why}), so their silence may be a block, not a refusal`);
  }
  return pass(`${service.name} refused a random community and all ${candidates.length} universal SNMP communities of list ${list.version} over SNMPv1 and v2c (no answer, while ${alive}; negative control evidence ${evidenceOf(negative)})`);
}
