import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CheckContext } from '../../suite/context.js';
import type { UpdateSettings } from '../../profile/types.js';
import { readFirmwareVersion } from '../../probes/firmware-version/read.js';
import { imageVariant, makeAttackVariants } from '../../update/variants.js';
import { verifyImage } from '../../update/verify-image.js';
import type { ImageVariant, UpdateAttempt, VersionReading } from '../../update/types.js';
import { ATTACKS, ATTEMPT_TITLES, RESTORE_TRIES, serveModeFor } from './attempt-plan.js';
import { openDelivery, type Delivered, type Delivery } from './delivery.js';
import { installed, type AttemptRecord } from './attempt-record.js';

/** Everything the hands-on update trial established, shared by the S1.1-06 and S1.1-08 checks of one run. */
export interface UpdateTrialResult {
  /** Why no attempt could be judged (profile gap, genuine image does not verify, version unreadable); else null. */
  blocked: string | null;
  attempts: AttemptRecord[];
  /** Some attempt installed its image: the device's update path works, so its refusals mean something. */
  updatePathWorks: boolean;
  /** The version is read with the declared login, so a read after an attempt also shows the login still works. */
  versionReadLogsIn: boolean;
}

type RunningVersion = Extract<VersionReading, { ok: true }>;

/** Version polls while an image may be being applied. */
const SETTLE_POLL_MS = 500;

/**
 * The hands-on trial, run once per run by whichever update check needs it first. Every attack that reuses
 * the genuine image is served before the genuine image itself: once the device runs the genuine version,
 * a tampered copy it took could no longer be told apart. The control still decides whether any refusal
 * counts (updatePathWorks), and the rollback comes last, once the device runs the newer version.
 */
export class UpdateTrial {
  #result: Promise<UpdateTrialResult> | null = null;

  obtain(ctx: CheckContext): Promise<UpdateTrialResult> {
    this.#result ??= runTrial(ctx).catch((err: unknown) => ({ blocked: `the update trial failed: ${(err as Error).message}`, attempts: [], updatePathWorks: false, versionReadLogsIn: false }));
    return this.#result;
  }
}

async function runTrial(ctx: CheckContext): Promise<UpdateTrialResult> {
  const update = ctx.profile.update;
  const missing = handsOnGap(update);
  if (missing || !update?.images || !update.version) return { blocked: missing ?? 'incomplete update section', attempts: [], updatePathWorks: false, versionReadLogsIn: false };
  const { images } = update;
  const genuine = readFileSync(images.genuine.file);
  const checked = verifyImage(images.format, genuine, images.signingKey);
  ctx.evidence.record({ kind: 'observation', summary: `the profile's genuine image ${checked.ok ? 'verifies' : 'does not verify'} with the declared signing key`, data: { file: images.genuine.file, format: images.format, verification: checked } });
  if (!checked.ok) return { blocked: `the profile's genuine image does not verify with update.images.signingKey (${checked.reason}); fix the profile before any attack can be judged`, attempts: [], updatePathWorks: false, versionReadLogsIn: false };

  const variants = new Map<UpdateAttempt, ImageVariant>();
  for (const v of makeAttackVariants({ format: images.format, genuine, genuineVersion: images.genuine.version, signingKeyPem: readFileSync(images.signingKey, 'utf8') })) variants.set(v.attempt, v);
  for (const attempt of ['genuine', 'untrusted-certificate', 'plain-http', 'cut-download'] as const) variants.set(attempt, imageVariant(attempt, images.format, genuine, images.genuine.version));
  if (images.older) variants.set('rollback', imageVariant('rollback', images.format, readFileSync(images.older.file), images.older.version));

  const delivery = await openDelivery(ctx, update);
  const attempts: AttemptRecord[] = [];
  /**
   * A device that took an attack now runs the image's version, and would hide the next attack that states
   * it: serving the older genuine image puts it back, where the device allows rollback at all. Tried after
   * the attack and again in the read before the next attempt, which also shows an attack taken late or a
   * restore the device did not take in time (a client that was busy or slow to poll again).
   */
  const restoreAfterAttack = async (version: RunningVersion): Promise<RunningVersion> => {
    const older = variants.get('rollback');
    const last = lastTestAttempt(attempts);
    if (!older || !last || !installed(last.record) || !ATTACKS.includes(last.record.attempt as (typeof ATTACKS)[number])) return version;
    if (older.version === version.version || attempts.length - 1 - last.index >= RESTORE_TRIES) return version;
    const restore: AttemptRecord = { ...(await runAttempt(ctx, update, delivery, 'rollback', older, version)), purpose: 'restore' };
    attempts.push(restore);
    return restore.after?.ok ? restore.after : version;
  };
  try {
    const first = await readFirmwareVersion(ctx, update.version);
    if (!first.ok) return { blocked: `the running firmware version cannot be read (${first.reason}): without it no update can be judged`, attempts, updatePathWorks: false, versionReadLogsIn: false };
    let version: RunningVersion = first;
    const waitMs = update.waitSeconds * 1000;
    for (const attempt of [...ATTACKS, 'genuine', 'rollback'] as const) {
      if (ctx.signal.aborted) break;
      const now = await rereadBefore(ctx, update.version, version, attempts.at(-1), waitMs);
      if (!now.ok) {
        attempts.push(notMade(attempt, version, `the firmware version could not be read before this attempt (${now.reason}): the device may still be rebooting, so nothing more was served`));
        continue;
      }
      version = now;
      version = await restoreAfterAttack(version);
      // The rollback test serves the older image to a device on the genuine version: to one on any other
      // version the older image could be an upgrade.
      const record =
        attempt === 'rollback' && variants.has('rollback') && version.version !== images.genuine.version
          ? notMade(attempt, version, `the rollback test serves ${images.older?.version ?? 'an older image'} to a device on the genuine ${images.genuine.version}, but it runs ${version.version}`)
          : await runAttempt(ctx, update, delivery, attempt, variants.get(attempt) ?? null, version);
      attempts.push(record);
      if (record.after?.ok) version = record.after;
      version = await restoreAfterAttack(version);
    }
  } finally {
    await delivery.close(ctx);
  }
  return { blocked: null, attempts, updatePathWorks: attempts.some(installed), versionReadLogsIn: versionReadLogsIn(ctx, update.version) };
}

/**
 * The version read again before the next attempt. The last attempt was judged on a read made as soon as
 * the device refused; a device that installs the image after all shows it here, and that attempt's
 * record takes the later reading, so that a late install is still a taken image. A device that cannot
 * be read (rebooting) gets the declared wait to come back.
 */
async function rereadBefore(ctx: CheckContext, spec: NonNullable<UpdateSettings['version']>, last: RunningVersion, previous: AttemptRecord | undefined, waitMs: number): Promise<VersionReading> {
  const deadline = Date.now() + waitMs;
  let now = await readFirmwareVersion(ctx, spec);
  while (!now.ok && !ctx.signal.aborted && Date.now() < deadline) {
    await sleep(SETTLE_POLL_MS * 2, undefined, { signal: ctx.signal }).catch(() => {});
    now = await readFirmwareVersion(ctx, spec);
  }
  if (now.ok && now.version !== last.version && previous && !previous.skipped) previous.after = now;
  return now;
}

function lastTestAttempt(attempts: AttemptRecord[]): { record: AttemptRecord; index: number } | null {
  for (let index = attempts.length - 1; index >= 0; index--) if (attempts[index]!.purpose === 'test') return { record: attempts[index]!, index };
  return null;
}

function versionReadLogsIn(ctx: CheckContext, spec: NonNullable<UpdateSettings['version']>): boolean {
  const name = Object.values(spec)[0]?.service;
  const service = ctx.profile.services.find((s) => s.name === name);
  return service !== undefined && service.auth !== 'none' && service.credential !== undefined;
}

function notMade(attempt: UpdateAttempt, before: RunningVersion, reason: string): AttemptRecord {
  return { attempt, purpose: 'test', skipped: { reason, notApplicable: false }, image: null, mode: null, before, after: null, requests: [], feedback: [], fetched: false, refusedChannel: null, deliveryFailure: null, contacted: false, trigger: null, healthy: null, durationMs: 0 };
}

/** What a profile lacks for the hands-on trial, or null. */
export function handsOnGap(update: UpdateSettings | null): string | null {
  const needs = (['version', 'mechanism', 'server', 'images'] as const).filter((k) => !update?.[k] && !(k === 'server' && update?.mechanism && 'upload' in update.mechanism));
  return needs.length > 0 ? `the hands-on update trial needs ${needs.map((k) => `update.${k}`).join(', ')} in the profile` : null;
}

async function runAttempt(ctx: CheckContext, update: UpdateSettings, delivery: Delivery, attempt: UpdateAttempt, variant: ImageVariant | null, before: RunningVersion): Promise<AttemptRecord> {
  const started = Date.now();
  const base: AttemptRecord = { ...notMade(attempt, before, ''), skipped: null };
  const mode = serveModeFor(attempt, update);
  if ('notApplicable' in mode) return { ...base, skipped: { reason: mode.notApplicable, notApplicable: true } };
  if ('needs' in mode) return { ...base, skipped: { reason: mode.needs, notApplicable: false } };
  if (!variant) return { ...base, skipped: { reason: attempt === 'rollback' ? 'the rollback test needs an older, genuinely signed image: give update.images.older' : `no ${attempt} image could be made`, notApplicable: false } };
  // A device reports the version its metadata states, or the one its installed firmware carries: an image
  // whose metadata alone was changed installs the genuine firmware under either.
  const installsAs = attempt === 'metadata-byte-changed' ? [variant.version, update.images!.genuine.version] : [variant.version];
  if (installsAs.includes(before.version)) {
    return { ...base, skipped: { reason: `the device already runs ${before.version}, the version ${ATTEMPT_TITLES[attempt]} states: taking it could not be seen`, notApplicable: false } };
  }
  const image = { sha256: variant.sha256, version: variant.version, description: variant.description, installsAs };
  ctx.evidence.record({ kind: 'note', summary: `update attempt ${attempt}: ${ATTEMPT_TITLES[attempt]}, sha256 ${variant.sha256}`, data: { attempt, image, mode } });
  const delivered = await delivery.deliver(ctx, variant, mode);
  const after = await settle(ctx, update, before, delivered).finally(() => delivered.done());
  return {
    ...base,
    image,
    mode,
    after,
    requests: delivered.requests,
    feedback: delivered.feedback,
    fetched: delivered.fetched,
    refusedChannel: delivered.refusal,
    deliveryFailure: delivered.deliveryFailure,
    contacted: delivered.contacted,
    trigger: delivered.trigger,
    healthy: after.ok,
    durationMs: Date.now() - started,
  };
}

/**
 * Reads the version until it changes or the wait is over. After a refusal (a failure report, a refused
 * channel) it is still watched for `settleSeconds`, since clients report a refusal and install anyway; a
 * success report does not end the wait, since clients report success for images they then reject: only
 * the version read from the device counts. A device that showed nothing at all has already had the whole wait.
 */
async function settle(ctx: CheckContext, update: UpdateSettings, before: RunningVersion, delivered: Delivered): Promise<VersionReading> {
  const started = Date.now();
  let refusedAt: number | null = null;
  let reading = await readFirmwareVersion(ctx, update.version!);
  if (!delivered.busy && !delivered.refusedNow()) return reading;
  for (;;) {
    if (refusedAt === null && delivered.refusedNow()) refusedAt = Date.now();
    const deadline = refusedAt !== null ? refusedAt + update.settleSeconds * 1000 : started + update.waitSeconds * 1000;
    if (ctx.signal.aborted || Date.now() >= deadline || (reading.ok && reading.version !== before.version)) return reading;
    await sleep(SETTLE_POLL_MS, undefined, { signal: ctx.signal }).catch(() => {});
    reading = await readFirmwareVersion(ctx, update.version!);
  }
}
