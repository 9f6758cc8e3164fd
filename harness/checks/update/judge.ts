import { fail, inconclusive, notApplicable, pass, type CheckOutcome } from '../../verdicts/outcome.js';
import type { UpdateAttempt } from '../../update/types.js';
import { ATTEMPT_TITLES, CHANNEL_ATTACKS, INTEGRITY_ATTACKS } from './attempt-plan.js';
import { describeVersions, installed, versionChanged, type AttemptRecord } from './attempt-record.js';
import type { UpdateTrialResult } from './trial.js';

function feedbackText(record: AttemptRecord): string {
  const final = record.feedback.find((f) => f.finished);
  return final ? `; the device reported ${final.finished}${final.details[0] ? `: "${final.details[0].slice(0, 120)}"` : ''}` : '';
}

function served(record: AttemptRecord): string {
  return record.image ? ` (${record.image.description}; sha256 ${record.image.sha256.slice(0, 16)}…)` : '';
}

function silence(waitSeconds: number): string {
  return `the device did not contact the update server in ${waitSeconds} s`;
}

/**
 * An attack under S1.1-08 (TS 103 701 5.3-10): FAIL when the running version changed to what the image
 * states; PASS only when the device fetched it (or refused the channel), still runs what it ran and still
 * logs in, and the same trial showed that its update path installs images at all.
 */
export function judgeAttack(result: UpdateTrialResult, attempt: UpdateAttempt, waitSeconds: number): CheckOutcome {
  if (result.blocked) return inconclusive(result.blocked);
  const records = result.attempts.filter((a) => a.attempt === attempt);
  const taken = records.find(installed);
  if (taken && (CHANNEL_ATTACKS as readonly UpdateAttempt[]).includes(attempt)) return judgeChannelTaken(result, attempt, taken);
  if (taken) {
    const why = taken.purpose === 'restore' ? ' when jcstar served it to undo an attack the device had taken' : '';
    return fail(`the device installed ${ATTEMPT_TITLES[attempt]}${why}: version ${describeVersions(taken)}${served(taken)}${feedbackText(taken)}`);
  }
  const record = records.find((r) => r.purpose === 'test');
  if (!record) return inconclusive(`${ATTEMPT_TITLES[attempt]} was not served: the trial ended first`);
  if (record.skipped) return record.skipped.notApplicable ? notApplicable(record.skipped.reason) : inconclusive(record.skipped.reason);
  if (versionChanged(record)) {
    return inconclusive(`after ${ATTEMPT_TITLES[attempt]} the device runs ${record.after?.ok ? record.after.version : '?'}, not ${record.image?.installsAs.join(' or ')}, what the image would install as (version ${describeVersions(record)}): what it installed, if anything, is not established`);
  }
  if (record.deliveryFailure) return inconclusive(record.deliveryFailure);
  if (!record.contacted) return inconclusive(`${silence(waitSeconds)} while ${ATTEMPT_TITLES[attempt]} was offered${record.trigger ? ` (${record.trigger})` : ''}`);
  if (!record.fetched && !record.refusedChannel) return inconclusive(`the device asked the update server but did not download ${ATTEMPT_TITLES[attempt]} in ${waitSeconds} s`);
  if (!record.after?.ok) return inconclusive(`after ${ATTEMPT_TITLES[attempt]} the version could not be read (${record.after?.reason ?? 'not read'}): whether the device kept its firmware and still works is not established`);
  if (!result.updatePathWorks) {
    return inconclusive(`the device did not install ${ATTEMPT_TITLES[attempt]}, but it installed no image in the whole trial, not even the genuine one: its refusal proves nothing`);
  }
  const how = record.refusedChannel ? `refused the connection (${record.refusedChannel})` : `fetched it and did not install it`;
  const works = result.versionReadLogsIn ? 'and its version read still logs in with the declared credential' : 'and still answers its version read (which needs no login, so the login was not tried)';
  return pass(`the device ${how}: it still runs ${record.after.version} ${works}${served(record)}${feedbackText(record)}; the same trial installed an image, so the refusal counts`);
}

/**
 * A genuine image taken from a server the device should not have trusted. The image is genuine, so what
 * this shows depends on the signature check: where the same trial saw the device refuse every image that
 * was not genuinely signed, its integrity holds and the channel is a warning (S1.1-12 judges channels);
 * where it took one, a man in the middle could install anything.
 */
function judgeChannelTaken(result: UpdateTrialResult, attempt: UpdateAttempt, taken: AttemptRecord): CheckOutcome {
  const how = `the device installed ${ATTEMPT_TITLES[attempt]}: version ${describeVersions(taken)}${served(taken)}`;
  const signature = INTEGRITY_ATTACKS.map((a) => ({ attempt: a, outcome: judgeAttack(result, a, 0) }));
  const unsigned = signature.filter((s) => s.outcome.verdict === 'FAIL');
  if (unsigned.length > 0) return fail(`${how}; it also installs ${unsigned.map((s) => ATTEMPT_TITLES[s.attempt]).join(', ')}, so whoever plays that server can install anything`);
  const open = signature.filter((s) => s.outcome.verdict !== 'PASS');
  if (open.length > 0) return inconclusive(`${how}; whether its signature check would stop a tampered image from that server is not established (${open.map((s) => `${s.attempt}: ${s.outcome.verdict}`).join(', ')})`);
  return { ...pass(`${how}, but the image was genuinely signed and the device refused every image that was not (${INTEGRITY_ATTACKS.join(', ')}): integrity holds`), warnings: [`the device ${attempt === 'plain-http' ? 'downloads updates over plain HTTP when told to' : 'accepts an update server whose certificate it cannot trust'}; S1.1-12 judges the channel`] };
}

/** The positive control (S1.1-06, hands-on): the genuine image, served by jcstar, is installed. */
export function judgeGenuineUpdate(result: UpdateTrialResult, waitSeconds: number): CheckOutcome {
  if (result.blocked) return inconclusive(result.blocked);
  const record = result.attempts.find((a) => a.attempt === 'genuine');
  if (record && installed(record)) return pass(`the genuine image was installed: version ${describeVersions(record)}${served(record)}${feedbackText(record)}`);
  const other = result.attempts.find(installed);
  if (other) return pass(`the device installed an update from jcstar's server (${ATTEMPT_TITLES[other.attempt]}: version ${describeVersions(other)}), so its software can be updated; the genuine image itself was then no change`);
  if (!record) return inconclusive('the genuine image was not served: the trial ended first');
  if (record.skipped) return inconclusive(record.skipped.reason);
  if (!record.contacted) return inconclusive(`${silence(waitSeconds)} while the genuine image was offered${record.trigger ? ` (${record.trigger})` : ''}`);
  return inconclusive(`the device ${record.fetched ? 'fetched' : 'was offered'} the genuine image but still runs ${describeVersions(record)}${feedbackText(record)}: the update path did not work in ${waitSeconds} s, so no refusal can be judged`);
}
